// The token stream with spans (queryfilter.md §2), as the highlighter sees it.

import assert from 'node:assert/strict';
import { TokenKind, tokenize } from '../../../src/core/queryfilter';

describe('queryfilter §2 tokenize', () => {
  it('gives three tokens per string, escapes removed from the text, spans in the original', () => {
    const text = `(/a eq "x\\"y")and !/b pr`;
    const tokens = tokenize(text).map((t) => [t.kind, t.text, text.slice(t.start, t.end)]);
    assert.deepEqual(tokens, [
      [TokenKind.OpenParen, '(', '('],
      [TokenKind.Word, '/a', '/a'],
      [TokenKind.Word, 'eq', 'eq'],
      [TokenKind.OpenQuote, '"', '"'],
      [TokenKind.StringContent, 'x"y', 'x\\"y'],
      [TokenKind.CloseQuote, '"', '"'],
      [TokenKind.CloseParen, ')', ')'],
      [TokenKind.Word, 'and', 'and'],
      [TokenKind.Word, '!/b', '!/b'],
      [TokenKind.Word, 'pr', 'pr'],
    ]);
  });

  it('keeps quotes, backslashes and TABs inside words', () => {
    assert.deepEqual(
      tokenize(`eq"x" a\\b c\td`).map((t) => t.text),
      ['eq"x"', 'a\\b', 'c\td'],
    );
  });

  it('ends without a closing quote and never throws on a trailing escape', () => {
    assert.deepEqual(
      tokenize('/a eq "x').map((t) => t.kind),
      [TokenKind.Word, TokenKind.Word, TokenKind.OpenQuote, TokenKind.StringContent],
    );
    const tokens = tokenize('/a eq "x\\');
    assert.equal(tokens.at(-1)!.kind, TokenKind.StringContent);
    assert.equal(tokens.at(-1)!.end, 9);
  });
});
