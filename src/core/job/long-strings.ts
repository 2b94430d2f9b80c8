// jsonc-parser reads strings one character at a time; for a job holding a 1 MB script that is most
// of the time spent. This parses the file with every long, well-formed string literal replaced by
// `""`, then moves the tree's offsets back to the real text. The strings themselves are decoded
// from the real text (JsonString), where invalid escapes and control characters are reported.
import { Node, ParseError, parseTree } from 'jsonc-parser';

const LONG = 32_768;

interface Mask {
  /** Offset of the opening quote in the masked text. */
  at: number;
  /** Characters removed: the literal's length minus 2. */
  removed: number;
}

/**
 * String literals longer than LONG (ending on the same line), skipping comments. A plain loop, not a
 * regular expression: V8's regex engine recurses per repetition and overflows the stack on a
 * literal of a few megabytes (a 50 MB script was reported as "nested too deep", issue 12 item 15).
 */
export function longLiterals(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = literalEnd(text, i + 1);
      // An unterminated literal (the parser reports it) ends at its line's end, as before.
      if (end > 0 && end - i > LONG) out.push({ start: i, end });
      i = Math.abs(end);
    } else if (c === 0x2f /* / */ && text[i + 1] === '/') {
      i = lineEnd(text, i);
    } else if (c === 0x2f && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else i++;
  }
  return out;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/**
 * The offset just past the closing quote of a literal whose body starts at `from`; for a literal not
 * closed on its line, minus the offset of that line's end (0 never occurs: `from` is at least 1).
 */
function literalEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x0a || c === 0x0d) return -i;
    if (c === 0x5c /* backslash */) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x0a || next === 0x0d) return -(i + 1);
      i++;
    }
  }
  return -text.length;
}

function shift(masks: Mask[], p: number): number {
  let q = p;
  for (const m of masks) if (p > m.at) q += m.removed;
  return q;
}

/** jsonc-parser declares the tree read-only; this module built it and owns it until it returns. */
type MutableNode = { -readonly [K in keyof Node]: Node[K] };

function fix(node: MutableNode, masks: Mask[]): void {
  const end = shift(masks, node.offset + node.length);
  node.offset = shift(masks, node.offset);
  node.length = end - node.offset;
  if (node.colonOffset !== undefined) node.colonOffset = shift(masks, node.colonOffset);
  for (const c of node.children ?? []) fix(c, masks);
}

/** parseTree with long strings skipped; offsets refer to `text`. Long strings get value ''. */
export function parseTreeFast(text: string, errors: ParseError[]): Node | undefined {
  const options = { allowTrailingComma: false, disallowComments: true };
  const literals = text.length > LONG ? longLiterals(text) : [];
  if (literals.length === 0) return parseTree(text, errors, options);
  let masked = '';
  let last = 0;
  const masks: Mask[] = [];
  for (const l of literals) {
    masked += text.slice(last, l.start);
    masks.push({ at: masked.length, removed: l.end - l.start - 2 });
    masked += '""';
    last = l.end;
  }
  masked += text.slice(last);
  const found: ParseError[] = [];
  const root = parseTree(masked, found, options);
  if (root) fix(root, masks);
  for (const e of found) {
    const end = shift(masks, e.offset + e.length);
    const offset = shift(masks, e.offset);
    errors.push({ ...e, offset, length: end - offset });
  }
  return root;
}
