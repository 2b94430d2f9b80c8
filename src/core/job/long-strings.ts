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

/** String literals longer than LONG (ending on the same line), skipping comments. */
function longLiterals(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const token = /"(?:[^"\\\n\r]|\\[^\n\r])*"?|\/\/[^\n\r]*|\/\*[\s\S]*?(?:\*\/|$)|[^"/]+|\//gy;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const t = m[0];
    if (t.length > LONG && t[0] === '"' && t.endsWith('"') && !t.endsWith('\\"')) {
      out.push({ start: m.index, end: m.index + t.length });
    }
  }
  return out;
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
