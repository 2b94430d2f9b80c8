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
