// Names for characters in messages, so an invisible TAB or NBSP is named rather than printed.

const separators: Record<string, string> = {
  '\t': 'TAB',
  '\n': 'line feed',
  '\r': 'carriage return',
  '\u000b': 'vertical tab',
  '\u000c': 'form feed',
  '\u00a0': 'no-break space',
  '\u2028': 'line separator',
  '\u2029': 'paragraph separator',
  '\u3000': 'ideographic space',
  '\u2007': 'figure space',
  '\u202f': 'narrow no-break space',
};

/** True for the units separatorName names (checked by code first, so long tokens cost no lookups). */
export function isSeparatorCode(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x3000
  );
}

/** The first unit of text from `from` that separatorName names, or -1. */
export function findSeparator(text: string, from = 0): number {
  for (let i = from; i < text.length; i++) if (isSeparatorCode(text.charCodeAt(i))) return i;
  return -1;
}

/** The name of a whitespace-like character that people use as a separator, or undefined. */
export function separatorName(ch: string): string | undefined {
  const named = separators[ch];
  if (named) return named;
  const c = ch.charCodeAt(0);
  if (c >= 0x2000 && c <= 0x200a) return 'Unicode space';
  return undefined;
}

export function describeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 32 || (c >= 0x7f && c <= 0xa0))
    return `the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${ch}\``;
}
