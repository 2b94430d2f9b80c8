// Recursive-descent parser (queryfilter.md §3): the upstream QueryFilterParser's order of reads and
// checks, so every input is accepted or rejected exactly as upstream, with the same exception kind.
// Recursion is bounded by the depth limit (§3: more than 256 levels, i.e. 64 parentheses, is an error).

import type { FilterNode, FilterValue, Operator, Pointer, Span } from './ast';
import { ErrorCode, FilterError } from './errors';
import { equalsKeyword } from './java-text';
import { parseJavaDouble, parseJavaLong } from './java-number';
import { parsePointerToken } from './pointer';
import { declinedPrefix, fastParse } from './fast-parse';
import { resumePoint, type ParsedPrefix } from './resume';
import { EscapeAtEnd, FilterTokenizer, TokenKind, type Token } from './tokenizer';
import { isSeparatorCode, separatorName } from './describe';
import { numberError, pointerError, show } from './explain';

const MAX_DEPTH = 256;
/** orExpr and andExpr not going on from a prefix. */
const FRESH = -1;
const extendedOperator = /^[a-zA-Z_0-9.]+$/;
const coreNames = ['eq', 'gt', 'ge', 'lt', 'le', 'co', 'sw'] as const;
const coreByKey = new Map<number, string>(
  coreNames.map((n) => [(n.charCodeAt(0) << 8) | n.charCodeAt(1), n]),
);

export type ParseResult = { ok: true; ast: FilterNode } | { ok: false; error: FilterError };

/** Parses a filter; never throws. */
export function parseFilter(text: string): ParseResult {
  if (typeof text === 'string') {
    // The common shapes take the one-pass fast path (fast-parse.ts), which builds the same AST;
    // anything else, every error included, goes to the full parser, which goes on after the
    // complete top-level clauses the fast path read (resume.ts) instead of reading them again.
    let prefix: ParsedPrefix | undefined;
    try {
      const fast = fastParse(text);
      if (fast !== undefined) return { ok: true, ast: fast };
      prefix = declinedPrefix();
    } catch {
      // Not expected (the fast path throws nothing); should it, e.g. on a nearly exhausted stack,
      // the full parser reads the input and reports what it finds.
      prefix = undefined;
    }
    return fullParse(text, prefix);
  }
  return fullParse(text);
}

/**
 * The full parser: every input, every error (the fast path's tests compare against it). With a
 * prefix (what a declined fast parse of the same text read), it goes on from its end.
 */
export function fullParse(text: string, prefix?: ParsedPrefix): ParseResult {
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
    parser = new Parser(text, prefix);
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

/** A consumed token, kept only where an error message may need it later. */
function tokenOf(t: FilterTokenizer): Token {
  return t.peek();
}

class Parser {
  private readonly t: FilterTokenizer;
  /** The last consumed token (for "expected an expression after …"), as fields to avoid an object per token. */
  private lastKind: TokenKind | -1 = -1;
  private lastStart = 0;
  private lastEnd = 0;
  private lastContent = '';
  private readonly openParens: Span[] = [];
  /** The operator token of the comparison being parsed, as fields (built into a Token only for errors). */
  private opKind: TokenKind = TokenKind.Word;
  private opStart = 0;
  private opEnd = 0;
  private opText: string | undefined;

  constructor(
    private readonly text: string,
    /** What a declined fast parse read, when the parser goes on after it (resume.ts). */
    private readonly prefix: ParsedPrefix | undefined,
  ) {
    if (prefix === undefined) {
      this.t = new FilterTokenizer(text);
    } else {
      // in the state the parser itself would be in after reading the prefix (resume.ts)
      const at = resumePoint(text, prefix);
      this.t = new FilterTokenizer(text, at.pos, at.deleted);
      if (at.orAt !== undefined) {
        this.lastKind = TokenKind.Word;
        this.lastStart = at.orAt;
        this.lastEnd = at.orAt + 2;
      }
    }
  }

  parse(): FilterNode {
    const t = this.t;
    if (this.prefix === undefined && !t.hasNext()) {
      throw this.invalid(
        ErrorCode.empty,
        'the filter is empty: write an expression such as `/name eq "alice"` or `true`',
        0,
        this.text.length,
      );
    }
    const node = this.orExpr(0, this.prefix === undefined ? FRESH : 0);
    if (t.hasNext()) {
      const tok = tokenOf(t);
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

  /** Consumes the current token, remembering it as the last one. */
  private advance(): void {
    const t = this.t;
    this.lastKind = t.kind;
    this.lastStart = t.start;
    this.lastEnd = t.end;
    if (t.kind === TokenKind.StringContent) this.lastContent = t.content;
    t.advance();
  }

  /** Consumes the current token and returns it as an object (for the rarer paths that keep it). */
  private next(): Token {
    const tok = tokenOf(this.t);
    this.advance();
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

  /**
   * `level`: FRESH, or the level of the prefix this expression goes on from (then its groups come
   * first, and its current group goes on).
   */
  private orExpr(depth: number, level: number): FilterNode {
    this.checkDepth(depth);
    let first: FilterNode;
    let children: FilterNode[] | null = null;
    if (level === FRESH) {
      first = this.andExpr(depth + 1, FRESH);
    } else {
      const at = this.prefix![level]!;
      if (at.done !== undefined) {
        // the whole expression of the level was read (the last level); what follows is no `or`
        first = at.done;
      } else if (level === this.prefix!.length - 1 && at.clauses.length === 0) {
        // the prefix ends right after an `or`
        first = at.groups[0]!;
        children = [...at.groups, this.andExpr(depth + 1, FRESH)];
      } else {
        const group = this.andExpr(depth + 1, level);
        first = at.groups[0] ?? group;
        if (at.groups.length > 0) children = [...at.groups, group];
      }
    }
    while (this.t.hasNext() && this.t.keywordIs('or')) {
      this.advance();
      children ??= [first];
      children.push(this.andExpr(depth + 1, FRESH));
    }
    if (!children) return first;
    return { kind: 'or', children, span: span(first.span.start, children[children.length - 1]!.span.end) };
  }

  /**
   * `level`: FRESH, or the level of the prefix this group goes on from: its complete clauses, then,
   * when a deeper level follows, the clause in progress, that level's parenthesis.
   */
  private andExpr(depth: number, level: number): FilterNode {
    this.checkDepth(depth);
    let first: FilterNode;
    let children: FilterNode[] | null = null;
    if (level === FRESH) {
      first = this.notExpr(depth + 1);
    } else {
      const clauses = this.prefix![level]!.clauses;
      if (level < this.prefix!.length - 1) {
        const open = this.resumeNot(depth + 1, level + 1);
        first = clauses[0] ?? open;
        if (clauses.length > 0) children = [...clauses, open];
      } else {
        first = clauses[0]!;
        if (clauses.length > 1) children = clauses;
      }
    }
    while (this.t.hasNext() && this.t.keywordIs('and')) {
      this.advance();
      children ??= [first];
      children.push(this.notExpr(depth + 1));
    }
    if (!children) return first;
    return { kind: 'and', children, span: span(first.span.start, children[children.length - 1]!.span.end) };
  }

  /** notExpr and primary going on inside the parenthesis (negated or not) that opened `level`. */
  private resumeNot(depth: number, level: number): FilterNode {
    this.checkDepth(depth);
    const at = this.prefix![level]!;
    this.checkDepth(depth + 1);
    const inner = this.parenthesized(at.parenAt, depth + 1, level);
    if (at.bangAt < 0) return inner;
    return { kind: 'not', operand: inner, span: span(at.bangAt, inner.span.end) };
  }

  private notExpr(depth: number): FilterNode {
    this.checkDepth(depth);
    if (this.t.hasNext() && this.t.textIs('!')) {
      const bangStart = this.t.start;
      this.advance();
      const operand = this.primary(depth + 1);
      return { kind: 'not', operand, span: span(bangStart, operand.span.end) };
    }
    return this.primary(depth + 1);
  }

  private primary(depth: number): FilterNode {
    this.checkDepth(depth);
    const t = this.t;
    if (!t.hasNext()) throw this.missingExpression();
    const start = t.start;
    const end = t.end;
    if (t.textIs('(')) {
      this.advance();
      return this.parenthesized(start, depth, FRESH);
    }
    if (t.keywordIs('true')) {
      this.advance();
      return { kind: 'literal', value: true, span: span(start, end) };
    }
    if (t.keywordIs('false')) {
      this.advance();
      return { kind: 'literal', value: false, span: span(start, end) };
    }
    if (t.textIs('"')) {
      this.advance();
      throw this.invalid(
        ErrorCode.quotedPointer,
        `a field name cannot be a quoted string (column ${col(start)}): write the pointer without quotes, e.g. /name`,
        start,
        end,
      );
    }
    const tok = this.next();
    const pointer = this.pointer(tok);
    if (!t.hasNext()) throw this.glued(tok) ?? this.missingOperator(tok);
    if (t.keywordIs('pr')) {
      const prEnd = t.end;
      this.advance();
      return { kind: 'presence', pointer, span: span(start, prEnd) };
    }
    // A core operator is recognised on the cursor, before the value is read, without slicing it;
    // the operator token itself is only built for an error message or an extended operator.
    const core = t.end - t.start === 2 ? this.coreName() : undefined;
    this.opKind = t.kind as TokenKind;
    this.opStart = t.start;
    this.opEnd = t.end;
    this.opText = core ? undefined : t.currentText();
    this.advance();
    if (!t.hasNext()) {
      const op = this.opToken();
      throw (
        this.glued(op) ??
        this.invalid(ErrorCode.missingValue, `expected a value after \`${op.text}\``, op.start, op.end)
      );
    }
    const value = this.value(tok);
    const operator: Operator = core
      ? { name: core, core: true, span: span(this.opStart, this.opEnd) }
      : this.operator(this.opToken());
    return { kind: 'comparison', pointer, operator, value, span: span(start, value.span.end) };
  }

  /**
   * The expression after the `(` at `start` and its `)`, for primary at `depth`; `level`: FRESH, or
   * the prefix level that parenthesis opened (the expression goes on from there).
   */
  private parenthesized(start: number, depth: number, level: number): FilterNode {
    const t = this.t;
    const end = start + 1;
    this.openParens.push(span(start, end));
    const inner = this.orExpr(depth + 1, level);
    this.openParens.pop();
    if (!t.hasNext()) {
      throw this.invalid(
        ErrorCode.missingCloseParen,
        `\`(\` at column ${col(start)} is never closed: add \`)\``,
        start,
        end,
      );
    }
    if (!t.textIs(')')) {
      const close = this.next();
      throw this.invalid(
        ErrorCode.unexpectedToken,
        `unexpected ${show(close)} at column ${col(close.start)}: expected \`and\`, \`or\` or \`)\` closing \`(\` at column ${col(start)}`,
        close.start,
        close.end,
      );
    }
    const closeEnd = t.end;
    this.advance();
    // The node is ours alone: give it the span of its parentheses.
    inner.span = span(start, closeEnd);
    return inner;
  }

  private opToken(): Token {
    // A core operator's text was not sliced; string content never names a core operator's two
    // letters without being one, so the source slice is its text (edited escapes aside).
    const text = this.opText ?? this.text.slice(this.opStart, this.opEnd);
    return { kind: this.opKind, text, start: this.opStart, end: this.opEnd };
  }

  /** The core operator the current two-unit token names (case-insensitively), if any. */
  private coreName(): string | undefined {
    const t = this.t;
    if (t.kind !== TokenKind.StringContent) {
      const a = this.text.charCodeAt(t.start);
      const b = this.text.charCodeAt(t.start + 1);
      if (a < 128 && b < 128) {
        // ASCII: fold A-Z and look the pair up (non-ASCII letters such as ſ take the general path)
        return coreByKey.get(((a >= 65 && a <= 90 ? a + 32 : a) << 8) | (b >= 65 && b <= 90 ? b + 32 : b));
      }
    }
    for (const name of coreNames) if (t.keywordIs(name)) return name;
    return undefined;
  }

  private missingExpression(): FilterError {
    const at = this.text.length;
    if (this.lastKind === -1) return this.invalid(ErrorCode.empty, 'the filter is empty', 0, at);
    const text =
      this.lastKind === TokenKind.StringContent
        ? this.lastContent
        : this.text.slice(this.lastStart, this.lastEnd);
    return this.invalid(
      ErrorCode.missingExpression,
      `expected an expression after \`${text}\` at column ${col(this.lastStart)}`,
      this.lastStart,
      this.lastEnd,
    );
  }

  /** E1 for a word that swallowed its neighbour through a TAB, line break or other non-space separator. */
  private glued(tok: Token): FilterError | undefined {
    if (tok.kind !== TokenKind.Word) return undefined;
    for (let i = 0; i < tok.text.length; i++) {
      const sep = isSeparatorCode(tok.text.charCodeAt(i)) ? separatorName(tok.text[i]!) : undefined;
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

  private value(ptrTok: Token): FilterValue {
    const t = this.t;
    const start = t.start;
    const end = t.end;
    if (t.textIs('"') || t.textIs("'")) {
      const open = this.next();
      if (!t.hasNext()) throw this.unterminated(open);
      const content = t.kind === TokenKind.StringContent ? t.content : t.currentText();
      this.advance();
      if (!t.hasNext()) throw this.unterminated(open);
      if (!t.textIs(open.text)) {
        this.advance();
        throw this.unterminated(open);
      }
      const closeEnd = t.end;
      this.advance();
      return { kind: 'string', value: content, span: span(start, closeEnd) };
    }
    if (t.keywordIs('true') || t.keywordIs('false')) {
      // Boolean.parseBoolean is itself case-insensitive.
      const value = t.keywordIs('true');
      this.advance();
      return { kind: 'boolean', value, span: span(start, end) };
    }
    const kind = t.kind as TokenKind;
    const text = t.currentText();
    this.advance();
    const v = (): Token => ({ kind, text, start, end });
    if (text.indexOf('.') >= 0) {
      const d = parseJavaDouble(text);
      if (d.ok) return { kind: 'float', value: d.value, lexeme: text, span: span(start, end) };
      throw numberError(d.message, ptrTok, this.opToken(), v());
    }
    const l = parseJavaLong(text);
    if (l.ok) return { kind: 'integer', value: l.value, lexeme: text, span: span(start, end) };
    throw numberError(l.message, ptrTok, this.opToken(), v());
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
      const sep = isSeparatorCode(text.charCodeAt(i)) ? separatorName(text[i]!) : undefined;
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
