// A job file parsed tolerantly with jsonc-parser: the tree keeps offsets for every node, syntax
// errors become diagnostics, and string values are decoded by JsonString so invalid escapes (the
// platform's docs print "$\{Time.now}") are reported exactly and do not hide later checks.
import { Node, ParseError, ParseErrorCode, printParseErrorCode } from 'jsonc-parser';
import { looksMisdecoded } from './encoding';
import { JsonString } from './json-string';
import { parseTreeFast } from './long-strings';
import { JobDiagnostic } from './types';

export type JsonPath = (string | number)[];

/** One job inside a file: a Frodo export may hold several under `idm`. */
export interface JobEntry {
  /** Where the job object sits in the file. */
  path: JsonPath;
  node: Node;
  value: Record<string, unknown>;
  /** The job's name: from `_id` (`schedule/<name>`) or the file name. */
  name?: string;
}

export interface JobDocument {
  text: string;
  root: Node | undefined;
  value: unknown;
  diagnostics: JobDiagnostic[];
  jobs: JobEntry[];
}

const SYNTAX_MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'a property name in double quotes is expected',
  [ParseErrorCode.ValueExpected]: 'a value is expected',
  [ParseErrorCode.ColonExpected]: "':' is expected",
  [ParseErrorCode.CommaExpected]: "',' is expected",
  [ParseErrorCode.CloseBraceExpected]: "'}' is expected",
  [ParseErrorCode.CloseBracketExpected]: "']' is expected",
  [ParseErrorCode.EndOfFileExpected]: 'text after the end of the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON: the platform rejects them',
  [ParseErrorCode.UnexpectedEndOfComment]: 'unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidCharacter]: 'a control character must be escaped inside a JSON string',
};

const stringCache = new WeakMap<Node, JsonString>();

/** The decoded string of a string node, with its offset map (cached per node). */
export function stringOf(text: string, node: Node): JsonString {
  let s = stringCache.get(node);
  if (!s) {
    s = JsonString.decode(text, node.offset, node.length);
    stringCache.set(node, s);
  }
  return s;
}

function valueOf(text: string, node: Node, out: JobDiagnostic[]): unknown {
  switch (node.type) {
    case 'object': {
      const obj: Record<string, unknown> = {};
      const props = node.children ?? [];
      const seen = new Map<string, number>();
      props.forEach((prop, i) => {
        const [key, val] = prop.children ?? [];
        if (!key) return;
        const k = stringOf(text, key);
        pushStringProblems(k, out);
        const earlier = seen.get(k.value);
        if (earlier !== undefined)
          out.push(duplicateKey(text, props[earlier], props[earlier + 1], key, k.value));
        seen.set(k.value, i);
        if (val) obj[k.value] = valueOf(text, val, out);
      });
      return obj;
    }
    case 'array':
      return (node.children ?? []).map((c) => valueOf(text, c, out));
    case 'string': {
      const s = stringOf(text, node);
      pushStringProblems(s, out);
      (node as { value: unknown }).value = s.value; // also for long strings the fast parse left empty
      return s.value;
    }
    default:
      return node.value;
  }
}

/**
 * A key given twice in one object: the platform's JSON reader (Jackson's default, like JSON.parse and
 * so `push`) keeps the last value without a word, so the earlier one is dead text that reads as if
 * it applied (issue 12 item 14; docs/rules.md json-duplicate-key).
 */
function duplicateKey(text: string, earlier: Node, next: Node, later: Node, name: string): JobDiagnostic {
  const key = earlier.children![0];
  const line = text.slice(0, later.offset).split('\n').length;
  return {
    severity: 'warning',
    code: 'json-duplicate-key',
    message: `'${name}' is given again on line ${line}: the platform keeps that last value and ignores this one`,
    start: key.offset,
    end: key.offset + key.length,
    fixes: [
      {
        title: `Remove this earlier '${name}'`,
        // The property, its comma and the space up to the next property (there always is one).
        edits: [{ start: earlier.offset, end: next.offset, newText: '' }],
      },
    ],
  };
}

function pushStringProblems(s: JsonString, out: JobDiagnostic[]): void {
  for (const p of s.problems) {
    out.push({
      severity: 'error',
      code: p.control ? 'json-syntax' : 'json-invalid-escape',
      message: p.message,
      start: p.start,
      end: p.end,
      fixes:
        p.replacement !== undefined
          ? [
              {
                title: `Remove the backslash`,
                edits: [{ start: p.start, end: p.end, newText: p.replacement }],
              },
            ]
          : undefined,
    });
  }
}

function child(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k?.value === key) return v;
  }
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A job is an object with `invokeService` or `invokeContext` (idm-api.md §2.1). */
export function looksLikeJob(v: unknown): v is Record<string, unknown> {
  return isObject(v) && ('invokeService' in v || 'invokeContext' in v);
}

function nameFromId(id: unknown): string | undefined {
  return typeof id === 'string' && id ? id.replace(/^schedule\//, '') : undefined;
}

/** Where nesting first goes deeper than `limit` (outside strings), or -1 when it never does. */
function tooDeepAt(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > limit) return i;
    } else if (c === '}' || c === ']') depth--;
  }
  return -1;
}

const MAX_DEPTH = 1000;

export function parseJobFile(text: string): JobDocument {
  try {
    return parseTolerant(text);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    // jsonc-parser recurses once per level: absurd nesting overflows the stack, never a job. Any other
    // overflow is named as what it is, not as nesting (issue 12 item 15).
    const at = tooDeepAt(text, MAX_DEPTH);
    const message =
      at >= 0
        ? `JSON: nested more than ${MAX_DEPTH} levels deep here; a job is a few levels deep`
        : `JSON: the file (${(text.length / 1_048_576).toFixed(1)} MB) could not be checked: ${err.message}`;
    const diagnostics: JobDiagnostic[] = [
      { severity: 'error', code: 'json-syntax', message, start: Math.max(0, at), end: Math.max(0, at) + 1 },
    ];
    return { text, root: undefined, value: undefined, diagnostics, jobs: [] };
  }
}

function parseTolerant(original: string): JobDocument {
  if (looksMisdecoded(original)) {
    const message =
      'the file starts with zero characters: it is UTF-16 or UTF-32 read as UTF-8. Reopen it with its ' +
      'encoding (VS Code: "Reopen with Encoding") and save it as UTF-8';
    return {
      text: original,
      root: undefined,
      value: undefined,
      diagnostics: [{ severity: 'error', code: 'file-encoding', message, start: 0, end: 0 }],
      jobs: [],
    };
  }
  // A UTF-8 byte-order mark left in the text is skipped as Jackson skips it (encoding.ts); a space of
  // the same length keeps every offset.
  const text = original.charCodeAt(0) === 0xfeff ? ` ${original.slice(1)}` : original;
  const errors: ParseError[] = [];
  const root = parseTreeFast(text, errors);
  const diagnostics: JobDiagnostic[] = [];
  const reportedAt = new Set<number>();
  for (const e of errors) {
    // One finding per place: after the first, jsonc-parser's follow-up errors only repeat it.
    if (reportedAt.has(e.offset)) continue;
    reportedAt.add(e.offset);
    // Invalid escapes and raw control characters are reported by JsonString at the character itself.
    if (
      e.error === ParseErrorCode.InvalidEscapeCharacter ||
      e.error === ParseErrorCode.InvalidUnicode ||
      e.error === ParseErrorCode.InvalidCharacter
    ) {
      continue;
    }
    diagnostics.push({
      severity: 'error',
      code: 'json-syntax',
      message: `JSON: ${SYNTAX_MESSAGES[e.error] ?? printParseErrorCode(e.error)}`,
      start: Math.min(e.offset, text.length),
      end: Math.min(e.offset + Math.max(1, e.length), text.length), // at the end of the file: empty
    });
  }
  const value = root ? valueOf(text, root, diagnostics) : undefined;
  if (!root && text.trim() === '') {
    diagnostics.length = 0; // one finding, not jsonc-parser's "value expected" as well
    diagnostics.push({
      severity: 'error',
      code: 'json-syntax',
      message: 'JSON: the file is empty',
      start: 0,
      end: 0,
    });
  }
  const jobs: JobEntry[] = [];
  if (root && looksLikeJob(value)) {
    jobs.push({ path: [], node: root, value, name: nameFromId(value._id) });
  } else if (root && isObject(value) && isObject(value.idm)) {
    // Frodo export: { "idm": { "schedule/<name>": { …job… } } } (peers.md §1.1)
    const idm = child(root, 'idm')!;
    for (const [key, job] of Object.entries(value.idm)) {
      const node = child(idm, key);
      if (node && looksLikeJob(job)) {
        jobs.push({ path: ['idm', key], node, value: job, name: nameFromId(job._id) ?? nameFromId(key) });
      }
    }
  }
  diagnostics.sort((a, b) => a.start - b.start);
  return { text, root, value, diagnostics, jobs };
}

/** The node at a path below `node`, or undefined. */
export function nodeAt(node: Node | undefined, path: JsonPath): Node | undefined {
  let n = node;
  for (const seg of path) {
    if (!n) return undefined;
    if (typeof seg === 'number') n = n.type === 'array' ? n.children?.[seg] : undefined;
    else n = child(n, seg);
  }
  return n;
}

/** The property key node of the value `node` (undefined for the root or an array element). */
export function keyOf(node: Node): Node | undefined {
  return node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
}
