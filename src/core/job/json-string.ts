// A JSON string literal decoded with the document offset of every character kept, so a position
// inside the value (a filter token, a script error) maps back to the exact place in the file,
// escapes before and inside it accounted for.

export interface StringProblem {
  message: string;
  start: number;
  end: number;
  /** For an invalid escape: the text that should replace [start, end). */
  replacement?: string;
  /** A raw control character, which JSON forbids inside strings (not an escape problem). */
  control?: boolean;
}

/**
 * The decoded value of a string token plus a map from value indices to document offsets.
 * Only escapes create anchors, so a 1 MB script without backslashes costs nothing extra.
 */
export class JsonString {
  private constructor(
    readonly value: string,
    /** Value index where each run begins, ascending; computed on first use when lazy. */
    private runValue: number[],
    /** Document offset of the same character. */
    private runDoc: number[],
    /** Document offset of the closing quote (or of the end of an unterminated token). */
    private readonly endDoc: number,
    readonly problems: StringProblem[],
    private lazyAnchors?: () => void,
  ) {}

  /** Document offset of value index i (i === value.length maps to the closing quote). */
  offsetOf(i: number): number {
    if (i >= this.value.length) return this.endDoc;
    if (this.lazyAnchors) {
      this.lazyAnchors();
      this.lazyAnchors = undefined;
    }
    const runs = this.runValue;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.runDoc[lo] + (i - runs[lo]);
  }

  /**
   * The value index at document offset `offset`, the inverse of offsetOf: an offset inside an
   * escape's source text (`\n`, `\u0041`) gives the character it decodes to; the closing quote and
   * beyond give value.length, the opening quote and before give 0. Maps a finding or an edit the
   * job rules placed in the file back into the decoded script.
   */
  indexAt(offset: number): number {
    if (offset >= this.endDoc) return this.value.length;
    if (this.lazyAnchors) {
      this.lazyAnchors();
      this.lazyAnchors = undefined;
    }
    const docs = this.runDoc;
    if (offset <= docs[0]) return 0;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (docs[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.runValue[lo];
    const end = lo + 1 < this.runValue.length ? this.runValue[lo + 1] : this.value.length;
    // Plain text maps one to one; an escape's run is one character whatever its width.
    return Math.min(start + (offset - docs[lo]), Math.max(start, end - 1));
  }

  /** Document range of the value range [start, end). */
  rangeOf(start: number, end: number): { start: number; end: number } {
    const s = this.offsetOf(start);
    if (end <= start) return { start: s, end: s };
    // The end is just after the last character's source text (an escape may span several).
    return { start: s, end: end >= this.value.length ? this.endDoc : this.offsetOf(end) };
  }

  /**
   * Anchors of a string whose escapes are all valid: every valid escape decodes to one UTF-16 unit,
   * so one indexOf pass finds them. Deferred until a position is asked for, which most strings
   * (a 1 MB script without problems) never need.
   */
  private static anchorsOfValid(
    text: string,
    first: number,
    last: number,
    runValue: number[],
    runDoc: number[],
  ): void {
    let removed = 0; // document characters consumed by escapes beyond one per escape
    for (let at = text.indexOf('\\', first); at >= 0 && at < last; at = text.indexOf('\\', at)) {
      const width = text.charCodeAt(at + 1) === 117 /* u */ ? 6 : 2;
      const valueIndex = at - first - removed;
      runValue.push(valueIndex, valueIndex + 1);
      runDoc.push(at, at + width);
      removed += width - 1;
      at += width;
    }
  }

  /** Raw control characters (U+0000-U+001F) in [first, last): JSON requires them escaped. */
  private static controlCharacters(
    text: string,
    first: number,
    last: number,
    problems: StringProblem[],
  ): void {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const re = /[\u0000-\u001f]/g;
    const chunk = text.slice(first, last);
    for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
      const code = m[0].charCodeAt(0);
      problems.push({
        message: `a raw control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}) inside a JSON string: write it as an escape${code === 9 ? ' (\\t)' : ''}`,
        start: first + m.index,
        end: first + m.index + 1,
        control: true,
      });
    }
  }

  /**
   * Decodes the string token at `offset` in `text` (the opening quote) of `length` characters.
   * Lenient like a browser: an invalid escape `\{` decodes to `{` and is reported, so checks of the
   * value can go on and report their own problems at the right place.
   */
  static decode(text: string, offset: number, length: number): JsonString {
    const first = offset + 1;
    const closed = length >= 2 && text.charCodeAt(offset + length - 1) === 34;
    const last = closed ? offset + length - 1 : offset + length;
    const problems: StringProblem[] = [];
    const bs = text.indexOf('\\', first);
    if (bs < 0 || bs >= last) {
      JsonString.controlCharacters(text, first, last, problems);
      return new JsonString(text.slice(first, last), [0], [first], last, problems);
    }
    if (closed) {
      // The common case, every escape valid: JSON.parse decodes even a 1 MB script in about a millisecond.
      let value: string | undefined;
      try {
        value = JSON.parse(text.slice(offset, offset + length)) as string;
      } catch {
        value = undefined; // an invalid escape or a raw control character: the slow path says which
      }
      if (value !== undefined) {
        const runValue: number[] = [0];
        const runDoc: number[] = [first];
        return new JsonString(value, runValue, runDoc, last, problems, () =>
          JsonString.anchorsOfValid(text, first, last, runValue, runDoc),
        );
      }
    }
    const runValue: number[] = [0];
    const runDoc: number[] = [first];
    let out = '';
    let i = first;
    let chunkStart = first;
    while (i < last) {
      const next = text.indexOf('\\', i);
      if (next < 0 || next >= last) break;
      out += text.slice(chunkStart, next);
      runValue.push(out.length);
      runDoc.push(next);
      const c = text[next + 1];
      let decoded: string;
      let width = 2;
      switch (c) {
        case '"':
        case '\\':
        case '/':
          decoded = c;
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'f':
          decoded = '\f';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 't':
          decoded = '\t';
          break;
        case 'u': {
          const hex = text.slice(next + 2, next + 6);
          if (/^[0-9a-fA-F]{4}$/.test(hex) && next + 6 <= last) {
            decoded = String.fromCharCode(parseInt(hex, 16));
            width = 6;
          } else {
            decoded = 'u';
            problems.push({
              message: `invalid Unicode escape '\\u${hex.replace(/[^0-9a-fA-F].*$/, '')}': JSON needs exactly four hex digits after \\u`,
              start: next,
              end: next + 2,
            });
          }
          break;
        }
        default: {
          if (c === undefined || next + 1 >= last) {
            decoded = '';
            width = 1;
            problems.push({ message: 'a backslash ends the string', start: next, end: next + 1 });
            break;
          }
          decoded = c;
          problems.push({
            message: `invalid escape '\\${c}' in a JSON string: only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX are allowed (write '${c}' alone)`,
            start: next,
            end: next + 2,
            replacement: c,
          });
        }
      }
      out += decoded;
      i = next + width;
      chunkStart = i;
      // The characters after an escape start a new run.
      runValue.push(out.length);
      runDoc.push(i);
    }
    out += text.slice(chunkStart, last);
    JsonString.controlCharacters(text, first, last, problems);
    return new JsonString(out, runValue, runDoc, last, problems);
  }
}

/** The JSON string literal for a value, as JSON.stringify writes it. */
export function encodeJsonString(value: string): string {
  return JSON.stringify(value);
}
