import { equalsKeyword, equalsKeywordAt } from './java-text';

// FilterTokenizer (queryfilter.md §2, [QFP L276-387]) reproduced state for state, over the ORIGINAL
// text: instead of deleting escape backslashes from its own copy it remembers where they were, so
// spans stay in original offsets and the edited copy (used by upstream messages) is built on demand.

export const enum TokenKind {
  OpenParen,
  CloseParen,
  /** An opening `"` or `'`. */
  OpenQuote,
  /** The content between quotes, escape backslashes removed. */
  StringContent,
  CloseQuote,
  Word,
}

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const SPACE = 32;
const LPAREN = 40;
const RPAREN = 41;
const DQUOTE = 34;
const SQUOTE = 39;

const enum State {
  NeedToken,
  NeedStartString,
  NeedEndString,
}

/** Thrown by the tokenizer when a backslash is the last character inside a string (§7 E2). */
export class EscapeAtEnd {
  constructor(readonly at: number) {}
}

/** `kind` when the stream has ended. */
export const NO_TOKEN = -1;

/**
 * The tokenizer as a cursor: the current token is the fields `kind`, `start`, `end` (and `content` for
 * string content), so the parser reads tokens without allocating one object per token; `peek()` and
 * `next()` build Token objects for callers that want them (tokenize, error messages).
 */
export class FilterTokenizer {
  private pos = 0;
  private state = State.NeedToken;
  private delimiter = 0;
  /** Position of the next backslash at or after the last search (n when none is left). */
  private nextBackslash = -1;
  /** The current token's kind, or NO_TOKEN at the end. */
  kind: TokenKind | typeof NO_TOKEN = NO_TOKEN;
  start = 0;
  end = 0;
  /** The current string content (escape backslashes removed), when kind is StringContent. */
  content = '';
  /** Original offsets of the escape backslashes deleted so far, ascending. */
  readonly deleted: number[];

  /**
   * Reads from `from` (0: the whole text). A later start resumes after tokens already read, between
   * two tokens; `deleted` are the escape backslashes those tokens' strings had (resume.ts).
   */
  constructor(
    readonly text: string,
    from = 0,
    deleted: number[] = [],
  ) {
    this.pos = from;
    this.deleted = deleted;
    this.read();
  }

  hasNext(): boolean {
    return this.kind !== NO_TOKEN;
  }

  /** The current token's text: the content for string content, else the source slice. */
  currentText(): string {
    return this.kind === TokenKind.StringContent ? this.content : this.text.slice(this.start, this.end);
  }

  /** True when the current token's text is exactly `literal`, without slicing. */
  textIs(literal: string): boolean {
    if (this.kind === TokenKind.StringContent) return this.content === literal;
    const n = literal.length;
    if (this.end - this.start !== n) return false;
    for (let i = 0; i < n; i++)
      if (this.text.charCodeAt(this.start + i) !== literal.charCodeAt(i)) return false;
    return true;
  }

  /** String.equalsIgnoreCase(keyword) on the current token's text, without slicing. */
  keywordIs(keyword: string): boolean {
    if (this.kind === TokenKind.StringContent) return equalsKeyword(this.content, keyword);
    return this.end - this.start === keyword.length && equalsKeywordAt(this.text, this.start, keyword);
  }

  /** The next token without consuming it; callers check hasNext() first, as upstream does. */
  peek(): Token {
    return { kind: this.kind as TokenKind, text: this.currentText(), start: this.start, end: this.end };
  }

  next(): Token {
    const t = this.peek();
    this.read();
    return t;
  }

  /** Consumes the current token. */
  advance(): void {
    this.read();
  }

  /** The tokenizer's edited copy of the input: the text upstream error messages print. */
  edited(): string {
    if (this.deleted.length === 0) return this.text;
    let out = '';
    let from = 0;
    for (const d of this.deleted) {
      out += this.text.slice(from, d);
      from = d + 1;
    }
    return out + this.text.slice(from);
  }

  private read(): void {
    const s = this.text;
    const n = s.length;
    switch (this.state) {
      case State.NeedStartString: {
        const start = this.pos;
        let p = start;
        let content = '';
        let chunk = start;
        const quote = this.delimiter === DQUOTE ? '"' : "'";
        // Native searches for the closing quote and the next backslash; the backslash position is
        // remembered across strings, so the whole text is searched at most once for each.
        for (;;) {
          if (this.nextBackslash < p) {
            const b = s.indexOf('\\', p);
            this.nextBackslash = b < 0 ? n : b;
          }
          const q = s.indexOf(quote, p);
          const close = q < 0 ? n : q;
          if (this.nextBackslash >= close) {
            p = close;
            break;
          }
          const b = this.nextBackslash;
          if (b + 1 === n) throw new EscapeAtEnd(b);
          this.deleted.push(b);
          content += s.slice(chunk, b);
          chunk = b + 1;
          p = b + 2;
        }
        this.content = chunk === start ? s.slice(start, p) : content + s.slice(chunk, p);
        this.pos = p;
        this.kind = TokenKind.StringContent;
        this.start = start;
        this.end = p;
        this.state = State.NeedEndString;
        return;
      }
      case State.NeedEndString: {
        if (this.pos < n) {
          const p = this.pos++;
          this.kind = TokenKind.CloseQuote;
          this.start = p;
          this.end = p + 1;
        } else {
          this.kind = NO_TOKEN;
        }
        this.state = State.NeedToken;
        return;
      }
      default: {
        let p = this.pos;
        while (p < n && s.charCodeAt(p) === SPACE) p++;
        if (p >= n) {
          this.pos = p;
          this.kind = NO_TOKEN;
          return;
        }
        const start = p;
        const c = s.charCodeAt(p++);
        let kind: TokenKind;
        if (c === LPAREN) kind = TokenKind.OpenParen;
        else if (c === RPAREN) kind = TokenKind.CloseParen;
        else if (c === DQUOTE || c === SQUOTE) {
          kind = TokenKind.OpenQuote;
          this.state = State.NeedStartString;
          this.delimiter = c;
        } else {
          kind = TokenKind.Word;
          while (p < n) {
            const d = s.charCodeAt(p);
            if (d === LPAREN || d === RPAREN || d === SPACE) break;
            p++;
          }
        }
        this.pos = p;
        this.kind = kind;
        this.start = start;
        this.end = p;
      }
    }
  }
}

/**
 * Every token of a text, for highlighting and lints. Never throws: a backslash ending the text
 * inside a string ends the stream with the content read so far.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let t: FilterTokenizer;
  try {
    t = new FilterTokenizer(text);
    while (t.hasNext()) out.push(t.next());
  } catch (e) {
    if (!(e instanceof EscapeAtEnd)) throw e;
    const last = out[out.length - 1];
    out.push({ kind: TokenKind.StringContent, text: '', start: last ? last.end : 0, end: text.length });
  }
  return out;
}
