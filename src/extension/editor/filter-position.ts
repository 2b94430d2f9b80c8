// What may come next at a cursor inside a query filter (queryfilter.md §3): the filter before the
// cursor is tokenized by core and walked through the grammar's positions, so completion offers
// pointers where a primary starts, operators after a pointer, `and`/`or` after a complete
// comparison, and the `${Time.now}` macros inside a quoted value. Plain code, no editor API.
import { TokenKind, tokenize } from '../../core/queryfilter/tokenizer';

export type FilterSlot =
  /** A primary may start: a pointer, `!`, `(`, `true`, `false`. */
  | 'primary'
  /** A pointer was written: an operator (or `pr`) follows. */
  | 'operator'
  /** An operator was written: a value follows. */
  | 'value'
  /** A comparison, presence test or group is complete: `and`, `or` or `)` follows. */
  | 'connective'
  /** Inside a quoted value. */
  | 'string';

export interface FilterPosition {
  slot: FilterSlot;
  /** Start (value index) of the word or string text being typed; completion replaces [from, cursor). */
  from: number;
}

const isKeyword = (word: string, k: string) => word.toLowerCase() === k;

function after(slot: FilterSlot, kind: TokenKind, text: string): FilterSlot {
  switch (slot) {
    case 'primary':
      if (kind === TokenKind.OpenParen) return 'primary';
      if (kind !== TokenKind.Word) return 'primary';
      if (text === '!') return 'primary';
      if (isKeyword(text, 'true') || isKeyword(text, 'false')) return 'connective';
      return 'operator';
    case 'operator':
      return kind === TokenKind.Word && isKeyword(text, 'pr') ? 'connective' : 'value';
    case 'value':
      return kind === TokenKind.OpenQuote ? 'string' : 'connective';
    case 'string':
      return kind === TokenKind.CloseQuote ? 'connective' : 'string';
    case 'connective':
      if (kind === TokenKind.Word && (isKeyword(text, 'and') || isKeyword(text, 'or'))) return 'primary';
      return 'connective';
  }
}

/** The grammar position at `cursor` (an index into the decoded filter value). */
export function filterPositionAt(filter: string, cursor: number): FilterPosition {
  const tokens = tokenize(filter.slice(0, cursor));
  let slot: FilterSlot = 'primary';
  const last = tokens[tokens.length - 1];
  // A word touching the cursor is still being typed: it does not move the position yet.
  const typing = last && last.end === cursor && last.kind === TokenKind.Word ? last : undefined;
  for (const t of typing ? tokens.slice(0, -1) : tokens) slot = after(slot, t.kind, t.text);
  if (slot === 'string') {
    // A macro being typed starts at its `$`; anything else in the string stays.
    const dollar = filter.lastIndexOf('$', cursor - 1);
    const content = last?.kind === TokenKind.StringContent ? last : undefined;
    const from = content && dollar >= content.start ? dollar : cursor;
    return { slot, from };
  }
  return { slot, from: typing ? typing.start : cursor };
}
