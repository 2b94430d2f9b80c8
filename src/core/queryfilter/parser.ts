// Recursive-descent parser (queryfilter.md §3): the upstream QueryFilterParser's order of reads and
// checks, so every input is accepted or rejected exactly as upstream, with the same exception kind.
// Recursion is bounded by the depth limit (§3: more than 256 levels, i.e. 64 parentheses, is an error).

import type { FilterNode, FilterValue, Operator, Pointer, Span } from './ast';
import { ErrorCode, FilterError } from './errors';
import { equalsKeyword } from './java-text';
import { parseJavaDouble, parseJavaLong } from './java-number';
import { parsePointerToken } from './pointer';
import { EscapeAtEnd, FilterTokenizer, TokenKind, type Token } from './tokenizer';
import { separatorName } from './describe';
import { numberError, pointerError, show } from './explain';

const MAX_DEPTH = 256;
const extendedOperator = /^[a-zA-Z_0-9.]+$/;
const coreNames = ['eq', 'gt', 'ge', 'lt', 'le', 'co', 'sw'] as const;

export type ParseResult = { ok: true; ast: FilterNode } | { ok: false; error: FilterError };

/** Parses a filter; never throws. */
export function parseFilter(text: string): ParseResult {
  if (typeof text !== 'string') {
    return {
      ok: false,
      error: FilterError.create(
        ErrorCode.notText,
        'the filter must be a string',
        'IllegalArgumentException',
        'Invalid query filter',
        0,
        0,
      ),
    };
  }
  let parser: Parser | undefined;
  try {
    parser = new Parser(text);
    return { ok: true, ast: parser.parse() };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, error: e };
    if (e instanceof EscapeAtEnd) {
      return {
        ok: false,
        error: FilterError.create(
          ErrorCode.escapeAtEnd,
          'the filter ends with `\\` inside a string: a backslash takes the next character literally, so the string is never closed',
          'IllegalArgumentException',
          'The filter string cannot end with an escape character',
          e.at,
          text.length,
        ),
      };
    }
    if (e instanceof RangeError) {
      // Defensive: the depth limit keeps recursion shallow, but a too-small stack must still give the typed error.
      return {
        ok: false,
        error: FilterError.create(
          ErrorCode.tooDeep,
          'the filter nests too deeply',
          'IllegalArgumentException',
          deepMessage(text),
          0,
          text.length,
        ),
      };
    }
    // Unreachable by design; kept so that parseFilter keeps its promise never to throw.
    const detail = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      error: FilterError.create(
        ErrorCode.internal,
        `the filter could not be checked (internal error: ${detail})`,
        'IllegalArgumentException',
        `Invalid query filter '${text}'`,
        0,
        text.length,
      ),
    };
  }
}

function deepMessage(text: string): string {
  return `The query filter '${text}' cannot be parsed because it contains more than ${MAX_DEPTH} nexted expressions`;
}

function col(offset: number): number {
  return offset + 1;
}

function span(start: number, end: number): Span {
  return { start, end };
}

class Parser {
  private readonly t: FilterTokenizer;
  private last: Token | null = null;
  private readonly openParens: Token[] = [];

  constructor(private readonly text: string) {
    this.t = new FilterTokenizer(text);
  }

  parse(): FilterNode {
    if (!this.t.hasNext()) {
      throw this.invalid(
        ErrorCode.empty,
        'the filter is empty: write an expression such as `/name eq "alice"` or `true`',
        0,
        this.text.length,
      );
    }
    const node = this.orExpr(0);
    if (this.t.hasNext()) {
      const tok = this.t.peek();
      if (tok.text === ')') {
        throw this.invalid(
          ErrorCode.unmatchedCloseParen,
          `\`)\` at column ${col(tok.start)} closes nothing`,
          tok.start,
          tok.end,
        );
      }
      throw this.invalid(
        ErrorCode.unexpectedToken,
        `unexpected ${show(tok)} at column ${col(tok.start)}: expected \`and\`, \`or\` or the end of the filter`,
        tok.start,
        tok.end,
      );
    }
    return node;
  }

  private next(): Token {
    const tok = this.t.next();
    this.last = tok;
    return tok;
  }

  /** E1: IllegalArgumentException `Invalid query filter '<edited input>'`. */
  private invalid(code: string, message: string, start: number, end: number): FilterError {
    return FilterError.create(
      code,
      message,
      'IllegalArgumentException',
      `Invalid query filter '${this.t.edited()}'`,
      start,
      end,
    );
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_DEPTH) {
      const open = this.openParens[this.openParens.length - 1];
      throw FilterError.create(
        ErrorCode.tooDeep,
        'parentheses nest more than 63 levels deep: the server rejects this filter',
        'IllegalArgumentException',
        deepMessage(this.text),
        open ? open.start : 0,
        open ? open.end : 0,
      );
    }
  }

  private orExpr(depth: number): FilterNode {
    this.checkDepth(depth);
    const first = this.andExpr(depth + 1);
    let children: FilterNode[] | null = null;
    while (this.t.hasNext() && equalsKeyword(this.t.peek().text, 'or')) {
      this.next();
      children ??= [first];
      children.push(this.andExpr(depth + 1));
    }
    if (!children) return first;
    return { kind: 'or', children, span: span(first.span.start, children[children.length - 1]!.span.end) };
  }

  private andExpr(depth: number): FilterNode {
    this.checkDepth(depth);
    const first = this.notExpr(depth + 1);
    let children: FilterNode[] | null = null;
    while (this.t.hasNext() && equalsKeyword(this.t.peek().text, 'and')) {
      this.next();
      children ??= [first];
      children.push(this.notExpr(depth + 1));
    }
    if (!children) return first;
    return { kind: 'and', children, span: span(first.span.start, children[children.length - 1]!.span.end) };
  }

  private notExpr(depth: number): FilterNode {
    this.checkDepth(depth);
    if (this.t.hasNext() && this.t.peek().text === '!') {
      const bang = this.next();
      const operand = this.primary(depth + 1);
      return { kind: 'not', operand, span: span(bang.start, operand.span.end) };
    }
    return this.primary(depth + 1);
  }

  private primary(depth: number): FilterNode {
    this.checkDepth(depth);
    if (!this.t.hasNext()) throw this.missingExpression();
    const tok = this.next();
    const text = tok.text;
    if (text === '(') {
      this.openParens.push(tok);
      const inner = this.orExpr(depth + 1);
      this.openParens.pop();
      if (!this.t.hasNext()) {
        throw this.invalid(
          ErrorCode.missingCloseParen,
          `\`(\` at column ${col(tok.start)} is never closed: add \`)\``,
          tok.start,
          tok.end,
        );
      }
      const close = this.next();
      if (close.text !== ')') {
        throw this.invalid(
          ErrorCode.unexpectedToken,
          `unexpected ${show(close)} at column ${col(close.start)}: expected \`and\`, \`or\` or \`)\` closing \`(\` at column ${col(tok.start)}`,
          close.start,
          close.end,
        );
      }
      return { ...inner, span: span(tok.start, close.end) } as FilterNode;
    }
    if (equalsKeyword(text, 'true')) return { kind: 'literal', value: true, span: span(tok.start, tok.end) };
    if (equalsKeyword(text, 'false'))
      return { kind: 'literal', value: false, span: span(tok.start, tok.end) };
    if (text === '"') {
      throw this.invalid(
        ErrorCode.quotedPointer,
        `a field name cannot be a quoted string (column ${col(tok.start)}): write the pointer without quotes, e.g. /name`,
        tok.start,
        tok.end,
      );
    }
    const pointer = this.pointer(tok);
    if (!this.t.hasNext()) throw this.glued(tok) ?? this.missingOperator(tok);
    const opTok = this.next();
    if (equalsKeyword(opTok.text, 'pr')) {
      return { kind: 'presence', pointer, span: span(tok.start, opTok.end) };
    }
    if (!this.t.hasNext()) {
      throw (
        this.glued(opTok) ??
        this.invalid(
          ErrorCode.missingValue,
          `expected a value after \`${opTok.text}\``,
          opTok.start,
          opTok.end,
        )
      );
    }
    const value = this.value(tok, opTok);
    const operator = this.operator(opTok);
    return { kind: 'comparison', pointer, operator, value, span: span(tok.start, value.span.end) };
  }

  private missingExpression(): FilterError {
    const at = this.text.length;
    const last = this.last;
    const message = last
      ? `expected an expression after \`${last.text}\` at column ${col(last.start)}`
      : 'the filter is empty';
    return this.invalid(
      last ? ErrorCode.missingExpression : ErrorCode.empty,
      message,
      last ? last.start : 0,
      last ? last.end : at,
    );
  }

  /** E1 for a word that swallowed its neighbour through a TAB, line break or other non-space separator. */
  private glued(tok: Token): FilterError | undefined {
    if (tok.kind !== TokenKind.Word) return undefined;
    for (let i = 0; i < tok.text.length; i++) {
      const sep = separatorName(tok.text[i]!);
      if (sep) {
        const at = tok.start + i;
        return this.invalid(
          ErrorCode.nonSpaceSeparator,
          `a ${sep} separates these tokens; only spaces do`,
          at,
          at + 1,
        );
      }
    }
    return undefined;
  }

  private missingOperator(tok: Token): FilterError {
    let hint = ' (for example `pr`, or `eq "…"`)';
    if (tok.text.startsWith('!') && tok.text.length > 1)
      hint = `; to negate, put a space after \`!\`: \`! ${tok.text.slice(1)}\``;
    else if (tok.text === ')') {
      return this.invalid(
        ErrorCode.missingExpression,
        `expected an expression before \`)\` at column ${col(tok.start)}`,
        tok.start,
        tok.end,
      );
    }
    return this.invalid(
      ErrorCode.missingOperator,
      `expected an operator after \`${tok.text}\`${hint}`,
      tok.start,
      tok.end,
    );
  }

  private pointer(tok: Token): Pointer {
    const parsed = parsePointerToken(tok.text);
    if (parsed.ok) return { segments: parsed.segments, raw: tok.text, span: span(tok.start, tok.end) };
    throw pointerError(tok, parsed.problem);
  }

  private value(ptrTok: Token, opTok: Token): FilterValue {
    const v = this.next();
    const text = v.text;
    if (text === '"' || text === "'") {
      if (!this.t.hasNext()) throw this.unterminated(v);
      const content = this.next();
      if (!this.t.hasNext()) throw this.unterminated(v);
      const close = this.next();
      if (close.text !== text) throw this.unterminated(v);
      return { kind: 'string', value: content.text, span: span(v.start, close.end) };
    }
    if (equalsKeyword(text, 'true') || equalsKeyword(text, 'false')) {
      // Boolean.parseBoolean is itself case-insensitive.
      return { kind: 'boolean', value: equalsKeyword(text, 'true'), span: span(v.start, v.end) };
    }
    if (text.indexOf('.') >= 0) {
      const d = parseJavaDouble(text);
      if (d.ok) return { kind: 'float', value: d.value, lexeme: text, span: span(v.start, v.end) };
      throw numberError(d.message, ptrTok, opTok, v);
    }
    const l = parseJavaLong(text);
    if (l.ok) return { kind: 'integer', value: l.value, lexeme: text, span: span(v.start, v.end) };
    throw numberError(l.message, ptrTok, opTok, v);
  }

  private unterminated(open: Token): FilterError {
    return this.invalid(
      ErrorCode.unterminatedString,
      `the string starting at column ${col(open.start)} is never closed: add \`${open.text}\``,
      open.start,
      this.text.length,
    );
  }

  private operator(opTok: Token): Operator {
    const text = opTok.text;
    for (const name of coreNames) {
      if (equalsKeyword(text, name)) return { name, core: true, span: span(opTok.start, opTok.end) };
    }
    if (extendedOperator.test(text)) return { name: text, core: false, span: span(opTok.start, opTok.end) };
    for (let i = 0; i < text.length; i++) {
      const sep = separatorName(text[i]!);
      if (sep && opTok.kind === TokenKind.Word) {
        throw this.invalid(
          ErrorCode.nonSpaceSeparator,
          `a ${sep} separates these tokens; only spaces do`,
          opTok.start + i,
          opTok.start + i + 1,
        );
      }
    }
    throw this.invalid(
      ErrorCode.invalidOperator,
      `${show(opTok)} at column ${col(opTok.start)} is not an operator: use eq, co, sw, lt, le, gt, ge, pr, or a name of letters, digits, \`_\` and \`.\``,
      opTok.start,
      opTok.end,
    );
  }
}
