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
const BACKSLASH = 92;

const enum State {
  NeedToken,
  NeedStartString,
  NeedEndString,
}

/** Thrown by the tokenizer when a backslash is the last character inside a string (§7 E2). */
export class EscapeAtEnd {
  constructor(readonly at: number) {}
}

export class FilterTokenizer {
  private pos = 0;
  private state = State.NeedToken;
  private delimiter = 0;
  private current: Token | null = null;
  /** Original offsets of the escape backslashes deleted so far, ascending. */
  readonly deleted: number[] = [];

  constructor(readonly text: string) {
    this.read();
  }

  hasNext(): boolean {
    return this.current !== null;
  }

  /** The next token without consuming it; callers check hasNext() first, as upstream does. */
  peek(): Token {
    return this.current!;
  }

  next(): Token {
    const t = this.current!;
    this.read();
    return t;
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
        while (p < n) {
          const c = s.charCodeAt(p);
          if (c === this.delimiter) break;
          if (c === BACKSLASH) {
            if (p + 1 === n) throw new EscapeAtEnd(p);
            this.deleted.push(p);
            content += s.slice(chunk, p);
            chunk = p + 1;
            p += 2;
            continue;
          }
          p++;
        }
        content += s.slice(chunk, p);
        this.pos = p;
        this.current = { kind: TokenKind.StringContent, text: content, start, end: p };
        this.state = State.NeedEndString;
        return;
      }
      case State.NeedEndString: {
        if (this.pos < n) {
          const p = this.pos++;
          this.current = { kind: TokenKind.CloseQuote, text: s[p]!, start: p, end: p + 1 };
        } else {
          this.current = null;
        }
        this.state = State.NeedToken;
        return;
      }
      default: {
        let p = this.pos;
        while (p < n && s.charCodeAt(p) === SPACE) p++;
        if (p >= n) {
          this.pos = p;
          this.current = null;
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
        this.current = { kind, text: s.slice(start, p), start, end: p };
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
