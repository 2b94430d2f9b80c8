// The parser's fast path (issue 13, speed): one pass over the char codes for the filters people write
// (keywords and operators in any case Java's equalsIgnoreCase allows, any value, pointer and string,
// up to 63 nested parentheses).
// For such input it builds exactly the AST the full parser (parser.ts) builds; for anything else,
// every error included, it answers undefined and the full parser decides, so every error, message
// and odd case stays the full parser's alone. Token rules: queryfilter.md §2; syntax: §3; values: §4;
// pointers: §5 (the full parser cites the upstream lines). test/unit/queryfilter/fast-parse.test.ts
// checks it against the full parser on generated, edited and conformance filters.

import type { FilterNode, FilterValue, Operator, Pointer } from './ast';
import { parseJavaDouble, parseJavaLong } from './java-number';
import { parsePointerToken } from './pointer';
import { equalsKeywordAt } from './java-text';
import { PrefixRecorder, type ParsedPrefix } from './resume';

const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const BACKSLASH = 92;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const DOT = 46;
const SLASH = 47;

/**
 * Per ASCII unit: END ends a word (§2: a space or a parenthesis); PLAIN may stand in a pointer as it
 * is (§5: legal in a URI fragment, not `%`), so a word of PLAIN units needs no decoding.
 */
const END = 1;
const PLAIN = 2;
const UNIT = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*';/?:@&=+$,[]")
  UNIT[c.charCodeAt(0)] = PLAIN;
UNIT[SPACE] = END;
UNIT[LPAREN] = END;
UNIT[RPAREN] = END;

/** §3: 63 nested parentheses parse; deeper nesting goes to the full parser, which owns the depth error. */
const MAX_PARENS = 63;

/** Two lower-case ASCII letters as one number. */
const pair = (name: string) => (name.charCodeAt(0) << 8) | name.charCodeAt(1);
const EQ = pair('eq');
const CO = pair('co');
const SW = pair('sw');
const LT = pair('lt');
const LE = pair('le');
const GT = pair('gt');
const GE = pair('ge');
const PR = pair('pr');

/** The core operators (§3 core-op), for a two-unit word with a non-ASCII unit. */
const CORE_NAMES = ['eq', 'co', 'sw', 'lt', 'le', 'gt', 'ge'] as const;

/**
 * The core operator (§3 core-op) two ASCII units name ignoring case, if any. A word with a non-ASCII
 * unit goes through Java's equalsIgnoreCase instead (javaKeyword: U+017F `ſ` matches `s`).
 */
function coreOperator(a: number, b: number): string | undefined {
  switch (((a | 0x20) << 8) | (b | 0x20)) {
    case EQ:
      return 'eq';
    case CO:
      return 'co';
    case SW:
      return 'sw';
    case LT:
      return 'lt';
    case LE:
      return 'le';
    case GT:
      return 'gt';
    case GE:
      return 'ge';
    default:
      return undefined;
  }
}

/** `c | 0x20` equals a lower-case ASCII letter exactly when c is that letter in either case. */
const A = 97;
const D = 100;
const E = 101;
const F = 102;
const L = 108;
const N = 110;
const O = 111;
const R = 114;
const S = 115;
const T = 116;
const U = 117;

/**
 * One parse at a time (parsing is synchronous and calls nothing that parses), so one parser object
 * serves every call and a parse allocates only its AST.
 */
class FastParser {
  private s = '';
  private n = 0;
  private pos = 0;
  /** The next backslash at or after the last string searched (n when none is left). */
  private backslash = -1;
  /** What a declined parse read at each level of parentheses, for the full parser to go on from (resume.ts). */
  private readonly record = new PrefixRecorder();
  /** What the last declined parse read. */
  declined: ParsedPrefix | undefined;

  parse(text: string): FilterNode | undefined {
    this.s = text;
    this.n = text.length;
    this.pos = 0;
    this.backslash = -1;
    this.declined = undefined;
    this.record.start(text.length);
    const node = this.or(0);
    const rest = this.skip();
    // undefined from any step means "not for the fast path" (no exceptions: throwing costs microseconds)
    const ok = node !== undefined && rest === this.n;
    if (!ok) {
      // the whole expression read, followed by something else than the end
      if (node !== undefined) this.record.done(0, node);
      this.declined = this.record.take(text);
    }
    this.s = '';
    return ok ? node : undefined;
  }

  /** Skips spaces (§2: only U+0020 separates tokens); returns and keeps the new position. */
  private skip(): number {
    const s = this.s;
    const n = this.n;
    let p = this.pos;
    while (p < n && s.charCodeAt(p) === SPACE) p++;
    this.pos = p;
    return p;
  }

  /** True when p is the end of a word: the end of the text, a space or a parenthesis. */
  private ends(p: number): boolean {
    if (p >= this.n) return true;
    const c = this.s.charCodeAt(p);
    return c === SPACE || c === LPAREN || c === RPAREN;
  }

  /** The end of the word starting at p (not a parenthesis or quote); -1 when it has a non-ASCII unit. */
  private word(p: number): number {
    const s = this.s;
    const n = this.n;
    for (; p < n; p++) {
      const c = s.charCodeAt(p);
      // Non-ASCII keywords, operators and values take the full parser (Java's case rules let ſ
      // match `s`; Long.parseLong reads any Unicode digit).
      if (c >= 128) return -1;
      if (UNIT[c] === END) break;
    }
    return p;
  }

  /** The end of the word starting at p, whatever its units. */
  private wordEnd(p: number): number {
    const s = this.s;
    const n = this.n;
    for (; p < n; p++) {
      const c = s.charCodeAt(p);
      if (c === SPACE || c === LPAREN || c === RPAREN) break;
    }
    return p;
  }

  /**
   * True when the word from p to e is `keyword` under Java's String.equalsIgnoreCase (§3: keywords
   * ignore case the Java way), for words with a non-ASCII unit: of the keywords' letters only `s`
   * has a non-ASCII partner (U+017F `ſ`: `ſw`, `falſe`).
   */
  private javaKeyword(p: number, e: number, keyword: string): boolean {
    return e - p === keyword.length && equalsKeywordAt(this.s, p, keyword);
  }

  /** True when the word from p to e is `true`, ignoring ASCII case. */
  private isTrue(p: number, e: number): boolean {
    const s = this.s;
    return (
      e - p === 4 &&
      (s.charCodeAt(p) | 0x20) === T &&
      (s.charCodeAt(p + 1) | 0x20) === R &&
      (s.charCodeAt(p + 2) | 0x20) === U &&
      (s.charCodeAt(p + 3) | 0x20) === E
    );
  }

  /** True when the word from p to e is `false`, ignoring ASCII case. */
  private isFalse(p: number, e: number): boolean {
    const s = this.s;
    return (
      e - p === 5 &&
      (s.charCodeAt(p) | 0x20) === F &&
      (s.charCodeAt(p + 1) | 0x20) === A &&
      (s.charCodeAt(p + 2) | 0x20) === L &&
      (s.charCodeAt(p + 3) | 0x20) === S &&
      (s.charCodeAt(p + 4) | 0x20) === E
    );
  }

  or(parens: number): FilterNode | undefined {
    const first = this.and(parens);
    if (first === undefined) return undefined;
    let children: FilterNode[] | undefined;
    for (;;) {
      const p = this.skip();
      const s = this.s;
      if (
        p + 2 > this.n ||
        (s.charCodeAt(p) | 0x20) !== O ||
        (s.charCodeAt(p + 1) | 0x20) !== R ||
        !this.ends(p + 2)
      )
        break;
      this.pos = p + 2;
      const next = this.and(parens);
      if (next === undefined) {
        this.record.or(parens, children ?? [first], p);
        return undefined;
      }
      if (children === undefined) children = [first, next];
      else children.push(next);
    }
    if (children === undefined) return first;
    return {
      kind: 'or',
      children,
      span: { start: first.span.start, end: children[children.length - 1]!.span.end },
    };
  }

  private and(parens: number): FilterNode | undefined {
    const first = this.not(parens);
    if (first === undefined) {
      this.record.and(parens, []);
      return undefined;
    }
    let children: FilterNode[] | undefined;
    for (;;) {
      const p = this.skip();
      const s = this.s;
      if (
        p + 3 > this.n ||
        (s.charCodeAt(p) | 0x20) !== A ||
        (s.charCodeAt(p + 1) | 0x20) !== N ||
        (s.charCodeAt(p + 2) | 0x20) !== D ||
        !this.ends(p + 3)
      )
        break;
      this.pos = p + 3;
      const next = this.not(parens);
      if (next === undefined) {
        this.record.and(parens, children ?? [first]);
        return undefined;
      }
      if (children === undefined) children = [first, next];
      else children.push(next);
    }
    if (children === undefined) return first;
    return {
      kind: 'and',
      children,
      span: { start: first.span.start, end: children[children.length - 1]!.span.end },
    };
  }

  private not(parens: number): FilterNode | undefined {
    const p = this.skip();
    // `!` is the negation only as a word of its own (§3): `!/a` is a field, `!(` and `! ` negate
    if (p < this.n && this.s.charCodeAt(p) === BANG && this.ends(p + 1)) {
      this.pos = p + 1;
      const operand = this.primary(parens);
      if (operand === undefined) return undefined;
      return { kind: 'not', operand, span: { start: p, end: operand.span.end } };
    }
    return this.primary(parens);
  }

  private primary(parens: number): FilterNode | undefined {
    const s = this.s;
    const start = this.skip();
    if (start >= this.n) return undefined;
    const c = s.charCodeAt(start);
    if (c === LPAREN) {
      if (parens >= MAX_PARENS) return undefined;
      this.pos = start + 1;
      const inner = this.or(parens + 1);
      if (inner === undefined) {
        this.record.paren(parens + 1, start);
        return undefined;
      }
      const close = this.skip();
      if (close >= this.n || s.charCodeAt(close) !== RPAREN) {
        this.record.done(parens + 1, inner);
        this.record.paren(parens + 1, start);
        return undefined;
      }
      this.pos = close + 1;
      // as in the full parser: the node takes the span of its parentheses
      inner.span = { start, end: close + 1 };
      return inner;
    }
    // `)`, or a quote where a field belongs: the full parser's (odd or error) cases
    if (c === RPAREN || c === DQUOTE || c === SQUOTE) return undefined;
    const first = c | 0x20;
    if (first === T || first === F) {
      // maybe `true` or `false` (§3 literal); no non-ASCII unit folds to `t` or `f`, so the first
      // unit decides which, whatever the others
      let end = this.word(start);
      let literal: boolean;
      if (end >= 0) literal = this.isTrue(start, end) || this.isFalse(start, end);
      else {
        end = this.wordEnd(start);
        literal = this.javaKeyword(start, end, 'true') || this.javaKeyword(start, end, 'false');
      }
      if (literal) {
        this.pos = end;
        return { kind: 'literal', value: first === T, span: { start, end } };
      }
    }
    const pointer = this.pointer(start);
    if (pointer === undefined) return undefined;
    const end = pointer.span.end;
    this.pos = end;
    const opStart = this.skip();
    if (opStart >= this.n) return undefined;
    const oc = s.charCodeAt(opStart);
    if (oc === LPAREN || oc === RPAREN || oc === DQUOTE || oc === SQUOTE) return undefined;
    let opEnd = this.word(opStart);
    let operator: Operator | undefined;
    if (opEnd < 0) {
      // a non-ASCII operator word: only a core operator named the Java way (`ſw`) is valid (§3
      // ext-op is ASCII); anything else is the full parser's error
      opEnd = this.wordEnd(opStart);
      if (this.javaKeyword(opStart, opEnd, 'pr')) {
        this.pos = opEnd;
        return { kind: 'presence', pointer, span: { start, end: opEnd } };
      }
      const name = CORE_NAMES.find((core) => this.javaKeyword(opStart, opEnd, core));
      if (name !== undefined) operator = { name, core: true, span: { start: opStart, end: opEnd } };
    } else if (opEnd - opStart === 2 && (((oc | 0x20) << 8) | (s.charCodeAt(opStart + 1) | 0x20)) === PR) {
      this.pos = opEnd;
      return { kind: 'presence', pointer, span: { start, end: opEnd } };
    } else operator = this.operator(opStart, opEnd);
    if (operator === undefined) return undefined;
    this.pos = opEnd;
    const value = this.value();
    if (value === undefined) return undefined;
    return { kind: 'comparison', pointer, operator, value, span: { start, end: value.span.end } };
  }

  /**
   * The pointer word at start, split into segments while it is scanned (§5: split on `/`, an empty
   * first and an empty last segment dropped). A word with `%` or another unit that needs decoding or
   * checking goes through parsePointerToken, as in the full parser. Undefined for an invalid pointer.
   * Only primary calls it, after it has taken `true` and `false` in every case Java allows (literals,
   * not fields).
   */
  private pointer(start: number): Pointer | undefined {
    const s = this.s;
    const n = this.n;
    // The first three segments are kept in locals, so that the array is made at its exact size
    // (an array grown by push reserves room for 16); more go to an array grown by push.
    let k = 0;
    let g0 = '';
    let g1 = '';
    let g2 = '';
    let more: string[] | undefined;
    let plain = PLAIN;
    let from = start;
    let p = start;
    for (; ; p++) {
      // the end of the text ends the word as a space does
      const c = p < n ? s.charCodeAt(p) : SPACE;
      if (c >= 128) {
        plain = 0;
        continue;
      }
      const u = UNIT[c]!;
      if (u === END || c === SLASH) {
        // a segment from `from` to p; an empty one is dropped when it is the first or the last
        if (p > from || (u !== END && from !== start)) {
          const segment = s.slice(from, p);
          if (k === 0) g0 = segment;
          else if (k === 1) g1 = segment;
          else if (k === 2) g2 = segment;
          else if (more === undefined) more = [g0, g1, g2, segment];
          else more.push(segment);
          k++;
        }
        if (u === END) break;
        from = p + 1;
      }
      plain &= u;
    }
    if (plain === 0) return this.generalPointer(start, p);
    const segments = k === 0 ? [] : k === 1 ? [g0] : k === 2 ? [g0, g1] : k === 3 ? [g0, g1, g2] : more!;
    return { segments, raw: s.slice(start, p), span: { start, end: p } };
  }

  /**
   * A word that needs decoding or checking (`%`, other units a URI fragment does not allow as they
   * are, non-ASCII): parsePointerToken decides, as in the full parser.
   */
  private generalPointer(start: number, end: number): Pointer | undefined {
    const raw = this.s.slice(start, end);
    const parsed = parsePointerToken(raw);
    if (!parsed.ok) return undefined;
    return { segments: parsed.segments, raw, span: { start, end } };
  }

  private operator(start: number, end: number): Operator | undefined {
    const s = this.s;
    if (end - start === 2) {
      const name = coreOperator(s.charCodeAt(start), s.charCodeAt(start + 1));
      if (name !== undefined) return { name, core: true, span: { start, end } };
    }
    // an extended operator: letters, digits, `_` and `.` (§3 ext-op), kept as written
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      const l = c | 0x20;
      if (!((l >= A && l <= 122) || (c >= 48 && c <= 57) || c === 95 || c === DOT)) return undefined;
    }
    return { name: s.slice(start, end), core: false, span: { start, end } };
  }

  /**
   * A quoted string (§2): its content runs to the next unescaped quote of the same kind; a backslash
   * is dropped and takes the next unit literally. Unterminated, or a backslash last: the full parser's.
   */
  private string(start: number, quote: number): FilterValue | undefined {
    const s = this.s;
    const close = s.indexOf(quote === DQUOTE ? '"' : "'", start + 1);
    if (close < 0) return undefined;
    if (this.backslash < start) {
      const b = s.indexOf('\\', start);
      this.backslash = b < 0 ? this.n : b;
    }
    if (this.backslash > close) {
      this.pos = close + 1;
      return { kind: 'string', value: s.slice(start + 1, close), span: { start, end: close + 1 } };
    }
    const n = this.n;
    let p = start + 1;
    let chunk = p;
    let content = '';
    for (; p < n; p++) {
      const c = s.charCodeAt(p);
      if (c === quote) break;
      if (c === BACKSLASH) {
        if (p + 1 >= n) return undefined;
        content += s.slice(chunk, p);
        chunk = ++p;
      }
    }
    if (p >= n) return undefined;
    this.pos = p + 1;
    return { kind: 'string', value: content + s.slice(chunk, p), span: { start, end: p + 1 } };
  }

  private value(): FilterValue | undefined {
    const s = this.s;
    const start = this.skip();
    if (start >= this.n) return undefined;
    const c = s.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) return this.string(start, c);
    if (c === LPAREN || c === RPAREN) return undefined;
    let end = this.word(start);
    let lexeme: string;
    if (end < 0) {
      // a non-ASCII word: `true` or `false` by Java's case rules (Boolean.parseBoolean ignores
      // case; `falſe`), else a number of Unicode digits, as the full parser reads it (§4)
      end = this.wordEnd(start);
      const truth = this.javaKeyword(start, end, 'true');
      if (truth || this.javaKeyword(start, end, 'false')) {
        this.pos = end;
        return { kind: 'boolean', value: truth, span: { start, end } };
      }
      lexeme = s.slice(start, end);
    } else {
      if (this.isTrue(start, end)) {
        this.pos = end;
        return { kind: 'boolean', value: true, span: { start, end } };
      }
      if (this.isFalse(start, end)) {
        this.pos = end;
        return { kind: 'boolean', value: false, span: { start, end } };
      }
      lexeme = s.slice(start, end);
    }
    this.pos = end;
    // up to 15 ASCII digits, signed or not: a Long that cannot overflow (§4), read without the general path
    let i = c === 45 || c === 43 ? start + 1 : start;
    if (end - i <= 15 && i < end) {
      let v = 0;
      for (; i < end; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === end)
        return { kind: 'integer', value: BigInt(c === 45 ? -v : v), lexeme, span: { start, end } };
    }
    if (lexeme.indexOf('.') >= 0) {
      const d = parseJavaDouble(lexeme);
      if (!d.ok) return undefined;
      return { kind: 'float', value: d.value, lexeme, span: { start, end } };
    }
    const l = parseJavaLong(lexeme);
    if (!l.ok) return undefined;
    return { kind: 'integer', value: l.value, lexeme, span: { start, end } };
  }
}

const parser = new FastParser();

/**
 * The AST of `text` when the fast path can build it, else undefined (the full parser then decides).
 * Never throws.
 */
export function fastParse(text: string): FilterNode | undefined {
  return parser.parse(text);
}

/**
 * The complete clauses the last fastParse call read before it declined, if any; asked once
 * (it is then forgotten, so that no AST outlives its parse).
 */
export function declinedPrefix(): ParsedPrefix | undefined {
  const prefix = parser.declined;
  parser.declined = undefined;
  return prefix;
}
