// Plain-words explanations for the rejections whose upstream message says little: a bad value
// (NumberFormatException, §7 E4) and a bad pointer (JsonException, §7 E5).

import { ErrorCode, FilterError } from './errors';
import { equalsKeyword } from './java-text';
import type { PointerProblem } from './pointer';
import { TokenKind, type Token } from './tokenizer';
import { describeChar, isSeparatorCode, separatorName } from './describe';

const coreNames = ['eq', 'gt', 'ge', 'lt', 'le', 'co', 'sw'] as const;

function col(offset: number): number {
  return offset + 1;
}

/** E5: the pointer token java.net.URI rejects, with the URISyntaxException text upstream. */
export function pointerError(tok: Token, p: PointerProblem): FilterError {
  const at = tok.start + p.offset;
  const ch = tok.text[p.offset]!;
  const upstream = (code: string, message: string, start: number, end: number) =>
    FilterError.create(code, message, 'JsonException', p.upstreamMessage, start, end);
  const sep = separatorName(ch);
  if (sep) {
    return upstream(
      ErrorCode.nonSpaceSeparator,
      `a ${sep} separates these tokens; only spaces do`,
      at,
      at + 1,
    );
  }
  const macro = tok.text.indexOf('${');
  if (macro >= 0) {
    return upstream(
      ErrorCode.macroInPointer,
      `\`${tok.text}\` is not a field name: \`\${…}\` macros are not substituted in a field position`,
      tok.start,
      tok.end,
    );
  }
  if (p.malformedEscape) {
    return upstream(
      ErrorCode.malformedPercentEscape,
      `\`%\` at column ${col(at)} must start a two-digit hex escape such as \`%20\` (write a literal % as \`%25\`)`,
      at,
      Math.min(at + 3, tok.end),
    );
  }
  return upstream(
    ErrorCode.illegalPointerCharacter,
    `${describeChar(ch)} at column ${col(at)} cannot appear in a field name: write it as ${percent(ch)}`,
    at,
    at + 1,
  );
}

/** E4: the NumberFormatException escapes upstream with Java's own message (§7). */
export function numberError(upstreamMessage: string, ptrTok: Token, opTok: Token, v: Token): FilterError {
  const nfe = (code: string, message: string, start: number, end: number) =>
    FilterError.create(code, message, 'NumberFormatException', upstreamMessage, start, end);
  const text = v.text;
  if (equalsKeyword(ptrTok.text, 'not')) {
    return nfe(ErrorCode.notKeyword, '`not` is not an operator here: use `!`', ptrTok.start, ptrTok.end);
  }
  if (equalsKeyword(opTok.text, 'and') || equalsKeyword(opTok.text, 'or')) {
    return nfe(
      ErrorCode.missingOperator,
      `expected an operator after \`${ptrTok.text}\`, found \`${opTok.text}\``,
      ptrTok.start,
      opTok.end,
    );
  }
  if (opTok.kind === TokenKind.OpenQuote) {
    return nfe(
      ErrorCode.missingOperator,
      `expected an operator after \`${ptrTok.text}\`, found a quoted string${isCore(ptrTok.text) ? `; is a field missing before \`${ptrTok.text}\`?` : ''}`,
      ptrTok.start,
      opTok.end,
    );
  }
  for (let i = 0; i < text.length; i++) {
    const sep = isSeparatorCode(text.charCodeAt(i)) ? separatorName(text[i]!) : undefined;
    if (sep && v.kind === TokenKind.Word) {
      return nfe(
        ErrorCode.nonSpaceSeparator,
        `a ${sep} separates these tokens; only spaces do`,
        v.start + i,
        v.start + i + 1,
      );
    }
  }
  if (equalsKeyword(text, 'null')) {
    return nfe(
      ErrorCode.nullValue,
      'there is no `null` value in a filter: to match a missing or null field use `! (/field pr)`',
      v.start,
      v.end,
    );
  }
  if (upstreamMessage === 'multiple points' || (text.indexOf('.') >= 0 && /^[+-]?[0-9.]/.test(text))) {
    return nfe(ErrorCode.invalidNumber, `\`${text}\` is not a number`, v.start, v.end);
  }
  if (/^[+-]?[0-9]+$/.test(text)) {
    return nfe(
      ErrorCode.integerOutOfRange,
      `\`${text}\` is outside the 64-bit integer range`,
      v.start,
      v.end,
    );
  }
  if (/^[+-]?[0-9]+[eE][+-]?[0-9]+$/.test(text)) {
    return nfe(
      ErrorCode.exponentWithoutPoint,
      `\`${text}\` needs a decimal point to be a number: write \`${text.replace(/[eE]/, '.0e')}\``,
      v.start,
      v.end,
    );
  }
  const shown = text === '' ? 'an empty value' : `\`${text}\``;
  return nfe(
    ErrorCode.invalidValue,
    `${shown} after \`${opTok.text}\` is not a value: quote text ("…"), numbers are digits, booleans are true or false`,
    v.start,
    v.end,
  );
}

function isCore(text: string): boolean {
  return coreNames.some((n) => equalsKeyword(text, n));
}

export function show(tok: Token): string {
  if (tok.kind === TokenKind.OpenQuote) return 'a quoted string';
  if (tok.kind === TokenKind.StringContent) return 'text inside quotes';
  return `\`${tok.text}\``;
}

function percent(ch: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  return `\`${out}\``;
}
