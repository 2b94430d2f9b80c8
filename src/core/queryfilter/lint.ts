// Warnings for filters the server accepts (or rejects) but that are almost surely not what the
// author meant (queryfilter.md §11). Each code is documented in docs/queryfilter.md.

import type { FilterNode, Pointer } from './ast';
import { equalsKeyword } from './java-text';
import { expandMacros, findMacros, MacroCode } from './macros';
import { parseFilter } from './parser';
import { isSeparatorCode, separatorName } from './describe';
import { EscapeAtEnd, FilterTokenizer, NO_TOKEN, TokenKind } from './tokenizer';

export interface FilterLint {
  code: string;
  message: string;
  start: number;
  end: number;
  severity: 'warning' | 'info';
}

export const LintCode = {
  notKeyword: 'not-keyword',
  nonSpaceSeparator: 'non-space-separator',
  tildeEscape: 'tilde-escape',
  eqNull: 'eq-null',
  quotedNumberOrder: 'quoted-number-order',
  gluedNegation: 'glued-negation',
  keywordAsField: 'keyword-as-field',
  alwaysFalseOperator: 'always-false-operator',
  unknownMacro: 'unknown-macro',
  macroSpacing: 'macro-spacing',
  macroOffset: 'macro-bad-offset',
  macroUnknownUnit: 'macro-unknown-unit',
  macroUnquoted: 'macro-unquoted',
  literalEscape: 'literal-escape',
  escapedMacro: 'escaped-macro',
} as const;

/** One-line documentation per lint code (shown by the editor's hover and in docs/queryfilter.md). */
export const LINT_DOCS: Record<string, string> = {
  [LintCode.notKeyword]:
    '`not` is not a keyword in filters; negation is `!` standing on its own, e.g. `! (/a pr)`.',
  [LintCode.nonSpaceSeparator]:
    'Only the ASCII space separates tokens; a TAB, line break or no-break space glues two tokens into one.',
  [LintCode.tildeEscape]:
    '`~0`/`~1` are not escapes in these draft-02 pointers; `/a~1b` means the key `a~1b`. Use `%2F` for `/`.',
  [LintCode.eqNull]:
    'There is no `null` value; `eq null` is rejected. Use `! (/field pr)` for a missing or null field.',
  [LintCode.quotedNumberOrder]:
    'A quoted number compares as text with lt/le/gt/ge ("10" lt "9" is true); write the number unquoted.',
  [LintCode.gluedNegation]:
    '`!` glued to a field (`!/a pr`) is part of the field name `/!/a`, not a negation; write `! /a pr`.',
  [LintCode.keywordAsField]:
    'A keyword (`and`, `or`, `pr`, `)`…) in field position is read as a field name, e.g. `and pr` tests the field `/and`.',
  [LintCode.alwaysFalseOperator]:
    "Operators other than eq co sw lt le gt ge pr (ne, regex, in…) evaluate to false in IDM's in-memory evaluation.",
  [LintCode.unknownMacro]:
    'Only `${Time.now}` (with an optional ` + 1d` style offset) is substituted; any other `${…}` is copied without the braces.',
  [LintCode.macroSpacing]:
    'A Time.now offset needs spaces around the sign: `${Time.now + 1d}`; `${Time.now+1d}` is not substituted.',
  [LintCode.macroOffset]:
    'A Time.now offset is a whole number followed by a unit s m h d M y, e.g. `${Time.now - 30d}`; otherwise the scan fails.',
  [LintCode.macroUnknownUnit]: 'A Time.now offset unit other than s m h d M y is counted as seconds.',
  [LintCode.macroUnquoted]:
    'A `${Time.now}` outside quotes becomes a bare timestamp, which is not a valid value; put it inside "…".',
  [LintCode.literalEscape]:
    'Inside strings a backslash takes the next character literally: `\\n` is the letter n, not a line break.',
  [LintCode.escapedMacro]:
    '`\\${` is not substituted; the backslash stays in the text until the filter parser removes it inside a string.',
};

function lint(
  code: string,
  message: string,
  start: number,
  end: number,
  severity: 'warning' | 'info' = 'warning',
): FilterLint {
  return { code, message, start, end, severity };
}

export function lintFilter(text: string, ast?: FilterNode): FilterLint[] {
  const out: FilterLint[] = [];
  if (typeof text !== 'string') return out;
  const strings = tokenLints(text, out);
  const tree =
    ast ??
    (() => {
      const r = parseFilter(text);
      return r.ok ? r.ast : undefined;
    })();
  if (tree) astLints(tree, out);
  macroLints(text, strings, out);
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/** Where a string's content lies in the text (escape backslashes included). */
interface StringSpan {
  start: number;
  end: number;
}

/**
 * The lints of single tokens, read off the tokenizer's cursor without a token object per token
 * (64 KB of `(` is 64 K tokens; issue 13's bound); answers the string contents, for macroLints.
 * Ends as tokenize() does: a backslash ending the text inside a string makes a last string content
 * from the end of the last token read whole.
 */
function tokenLints(text: string, out: FilterLint[]): StringSpan[] {
  const strings: StringSpan[] = [];
  const t = new FilterTokenizer(text);
  let prevKind: number = NO_TOKEN;
  /** The end of the last token read whole. */
  let readEnd = 0;
  try {
    while (t.hasNext()) {
      const kind = t.kind;
      if (kind === TokenKind.StringContent) {
        stringLints(text, t.start, t.end, out);
        strings.push({ start: t.start, end: t.end });
      } else if (kind === TokenKind.Word) wordLints(t.currentText(), t.start, t.end, prevKind, out);
      const end = t.end;
      t.advance();
      prevKind = kind;
      readEnd = end;
    }
  } catch (e) {
    if (!(e instanceof EscapeAtEnd)) throw e;
    stringLints(text, readEnd, text.length, out);
    strings.push({ start: readEnd, end: text.length });
  }
  return strings;
}

function stringLints(text: string, start: number, end: number, out: FilterLint[]): void {
  const m = /\\([ntrbfu0])/.exec(text.slice(start, end));
  if (m) {
    const at = start + m.index;
    out.push(
      lint(
        LintCode.literalEscape,
        `\`\\${m[1]}\` is the letter ${m[1]} here, not an escape sequence`,
        at,
        at + 2,
        'info',
      ),
    );
  }
}

function wordLints(word: string, start: number, end: number, prevKind: number, out: FilterLint[]): void {
  for (let k = 0; k < word.length; k++) {
    const sep = isSeparatorCode(word.charCodeAt(k)) ? separatorName(word[k]!) : undefined;
    if (sep) {
      out.push(
        lint(
          LintCode.nonSpaceSeparator,
          `a ${sep} separates these tokens; only spaces do`,
          start + k,
          start + k + 1,
        ),
      );
      break;
    }
  }
  if (equalsKeyword(word, 'not')) {
    out.push(lint(LintCode.notKeyword, '`not` is not an operator here: use `!`', start, end));
  }
  if (equalsKeyword(word, 'null') && prevKind === TokenKind.Word) {
    out.push(
      lint(
        LintCode.eqNull,
        'there is no `null` value in a filter: use `! (/field pr)` for a missing or null field',
        start,
        end,
      ),
    );
  }
}

function pointerLints(p: Pointer, out: FilterLint[]): void {
  const tilde = /~[01]/.exec(p.raw);
  if (tilde) {
    const at = p.span.start + tilde.index;
    out.push(
      lint(
        LintCode.tildeEscape,
        `\`${tilde[0]}\` is not an escape in these pointers: it means the characters \`${tilde[0]}\` (write \`%2F\` for \`/\`)`,
        at,
        at + 2,
      ),
    );
  }
  if (p.raw.length > 1 && p.raw.startsWith('!')) {
    out.push(
      lint(
        LintCode.gluedNegation,
        `\`${p.raw}\` is the field \`/${p.raw.replace(/^\//, '')}\`, not a negation: put a space after \`!\``,
        p.span.start,
        p.span.end,
      ),
    );
  }
  const keyword =
    ['and', 'or', 'pr'].find((k) => equalsKeyword(p.raw, k)) ??
    (p.raw === ')' || p.raw === "'" ? p.raw : undefined);
  if (keyword) {
    out.push(
      lint(
        LintCode.keywordAsField,
        `\`${p.raw}\` is read as a field name here, not as a keyword`,
        p.span.start,
        p.span.end,
      ),
    );
  }
}

function astLints(root: FilterNode, out: FilterLint[]): void {
  const stack: FilterNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.kind) {
      case 'and':
      case 'or':
        stack.push(...node.children);
        break;
      case 'not':
        stack.push(node.operand);
        break;
      case 'presence':
        pointerLints(node.pointer, out);
        break;
      case 'comparison': {
        pointerLints(node.pointer, out);
        const op = node.operator;
        if (!op.core) {
          const asKeyword = equalsKeyword(op.name, 'and') || equalsKeyword(op.name, 'or');
          out.push(
            lint(
              LintCode.alwaysFalseOperator,
              asKeyword
                ? `\`${op.name}\` is read as an operator here (an extended match, always false in memory): is a comparison missing before it?`
                : `\`${op.name}\` is not a core operator: IDM's in-memory evaluation treats it as false (so its negation is true)`,
              op.span.start,
              op.span.end,
            ),
          );
        }
        const v = node.value;
        if (
          op.core &&
          ['lt', 'le', 'gt', 'ge'].includes(op.name) &&
          v.kind === 'string' &&
          /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v.value)
        ) {
          out.push(
            lint(
              LintCode.quotedNumberOrder,
              `"${v.value}" is compared as text, not as a number ("10" lt "9" is true): remove the quotes to compare numbers`,
              v.span.start,
              v.span.end,
            ),
          );
        }
        break;
      }
      default:
        break;
    }
  }
}

function macroLints(text: string, strings: StringSpan[], out: FilterLint[]): void {
  for (let i = text.indexOf('\\${'); i >= 0; i = text.indexOf('\\${', i + 1)) {
    out.push(
      lint(
        LintCode.escapedMacro,
        '`\\${` is not substituted: the backslash keeps this `${` literal',
        i,
        i + 3,
        'info',
      ),
    );
  }
  const seen = new Set<string>();
  for (const site of findMacros(text)) {
    const spaced = /^Time\.now *([+-]) *(\S+)$/.exec(site.body);
    if (spaced && !/^Time\.now [+-] \S+$/.test(site.body)) {
      out.push(
        lint(
          LintCode.macroSpacing,
          `write spaces around \`${spaced[1]}\`: \`\${Time.now ${spaced[1]} ${spaced[2]}}\` (without them the macro becomes the text \`${site.body}\`)`,
          site.start,
          site.end,
        ),
      );
    } else {
      for (const p of expandMacros(text.slice(site.start, site.end), new Date(0)).problems) {
        const code = p.code === MacroCode.unknown ? LintCode.unknownMacro : p.code;
        if (!seen.has(`${code}@${site.start}`)) {
          seen.add(`${code}@${site.start}`);
          out.push(lint(code, p.message, site.start, site.end));
        }
      }
    }
    const inString = insideString(strings, site.start, site.end);
    if (!inString && /^Time\.now( [+-] \S+)?$/.test(site.body)) {
      out.push(
        lint(
          LintCode.macroUnquoted,
          `\`\${${site.body}}\` is not inside quotes: the timestamp it becomes is not a valid value`,
          site.start,
          site.end,
        ),
      );
    }
  }
}

/** Binary search over the string-content tokens (sorted, disjoint) for one holding [start, end). */
function insideString(strings: StringSpan[], start: number, end: number): boolean {
  let lo = 0;
  let hi = strings.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = strings[mid]!;
    if (t.end < start) lo = mid + 1;
    else if (t.start > start) hi = mid - 1;
    else return t.start <= start && end <= t.end;
  }
  return false;
}
