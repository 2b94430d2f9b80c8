// Java's case rules (queryfilter.md §3 and §8.1) from Java 17's own tables (Unicode 13.0, committed in
// java-case-data.ts), so that results do not change with the Node version's ICU: Character.toUpperCase
// and toLowerCase are the simple one-to-one mappings, applied per code point.

import { JAVA17_LOWER, JAVA17_UPPER } from './java-case-data';

interface CaseTable {
  bmp: Int32Array;
  astral: Map<number, number>;
}

function decode(runs: string): CaseTable {
  const table: CaseTable = { bmp: new Int32Array(65536), astral: new Map() };
  for (const run of runs.split(' ')) {
    const f = run.split(',').map((x) => parseInt(x, 16));
    const [start, count, stride, delta] =
      f.length === 2 ? [f[0]!, 1, 1, f[1]!] : (f as [number, number, number, number]);
    for (let k = 0, cp = start; k < count; k++, cp += stride) {
      if (cp < 65536) table.bmp[cp] = delta;
      else table.astral.set(cp, delta);
    }
  }
  return table;
}

let upper: CaseTable | undefined;
let lower: CaseTable | undefined;

/** Character.toUpperCase(int) of Java 17. */
export function simpleUpper(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  upper ??= decode(JAVA17_UPPER);
  return c < 65536 ? c + upper.bmp[c]! : c + (upper.astral.get(c) ?? 0);
}

/** Character.toLowerCase(int) of Java 17. */
export function simpleLower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  lower ??= decode(JAVA17_LOWER);
  return c < 65536 ? c + lower.bmp[c]! : c + (lower.astral.get(c) ?? 0);
}

/**
 * String.equalsIgnoreCase against a lower-case ASCII keyword. Java's rule (upper-case both, then
 * lower-case both) lets U+017F (long s) match `s` and U+212A (Kelvin) match `k` (§11.4).
 */
export function equalsKeyword(token: string, keyword: string): boolean {
  return token.length === keyword.length && equalsKeywordAt(token, 0, keyword);
}

/** equalsKeyword for the keyword.length units of `text` from `start` (the caller checked the length). */
export function equalsKeywordAt(text: string, start: number, keyword: string): boolean {
  const n = keyword.length;
  for (let i = 0; i < n; i++) {
    const a = text.charCodeAt(start + i);
    const b = keyword.charCodeAt(i);
    if (a === b || (a >= 65 && a <= 90 && a + 32 === b)) continue;
    if (a < 128) return false;
    const ua = simpleUpper(a);
    const ub = simpleUpper(b);
    if (ua === ub) continue;
    if (simpleLower(ua) === simpleLower(ub)) continue;
    return false;
  }
  return true;
}

/** Character.toLowerCase(Character.toUpperCase(c)) equality, as String's case-insensitive order tests it. */
function compareCodePointCI(a: number, b: number): number {
  let c1 = simpleUpper(a);
  let c2 = simpleUpper(b);
  if (c1 === c2) return 0;
  c1 = simpleLower(c1);
  c2 = simpleLower(c2);
  return c1 - c2;
}

/**
 * The code point a unit belongs to, as StringUTF16.codePointIncluding finds it: a high surrogate joins
 * the low one after it (negated, to say "skip one more unit"), a low one the high one before it.
 */
function codePointIncluding(s: string, index: number): number {
  const c = s.charCodeAt(index);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c >= 0xdc00) {
    const before = index > 0 ? s.charCodeAt(index - 1) : 0;
    return before >= 0xd800 && before <= 0xdbff ? ((before - 0xd800) << 10) + (c - 0xdc00) + 0x10000 : c;
  }
  const after = index + 1 < s.length ? s.charCodeAt(index + 1) : 0;
  return after >= 0xdc00 && after <= 0xdfff ? -(((c - 0xd800) << 10) + (after - 0xdc00) + 0x10000) : c;
}

/**
 * String.compareToIgnoreCase of Java 17 (JsonUtil.compareJsonObjectValues for strings, §8.1): unit by
 * unit, but where two units differ Java 16+ compares the whole code points they belong to, so a
 * supplementary character sorts above U+FFFD (by code point, not by UTF-16 unit).
 */
export function compareIgnoreCase(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  for (let k1 = 0, k2 = 0; k1 < la && k2 < lb; k1++, k2++) {
    let c1 = a.charCodeAt(k1);
    let c2 = b.charCodeAt(k2);
    if (c1 === c2 || compareCodePointCI(c1, c2) === 0) continue;
    c1 = codePointIncluding(a, k1);
    if (c1 < 0) {
      k1++;
      c1 = -c1;
    }
    c2 = codePointIncluding(b, k2);
    if (c2 < 0) {
      k2++;
      c2 = -c2;
    }
    const diff = compareCodePointCI(c1, c2);
    if (diff !== 0) return diff;
  }
  return la - lb;
}

/** Greek capital sigma and its two lower-case forms (final and other). */
const SIGMA = 0x3a3;
const hasCase = (cp: number) => simpleUpper(cp) !== cp || simpleLower(cp) !== cp;

/**
 * String.toLowerCase(Locale.ENGLISH) of Java 17: Character.toLowerCase per code point (lone surrogates
 * unchanged), İ (U+0130) to "i̇" (two units), and Σ to ς at the end of a word. Java decides "end of a
 * word" with a BreakIterator; this looks at the neighbouring code points only (a cased letter before,
 * none after), which agrees except around punctuation inside a word (docs/queryfilter.md).
 */
export function lowerEnglish(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (c >= 65 && c <= 90)) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  // Units collected in an array and turned into a string in chunks: linear for any length.
  const units: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (cp === 0x130) units.push(0x69, 0x307);
    else if (cp === SIGMA) {
      const before =
        i > 0
          ? s.codePointAt(
              i - 1 - (i >= 2 && s.charCodeAt(i - 1) >= 0xdc00 && s.charCodeAt(i - 1) <= 0xdfff ? 1 : 0),
            )!
          : -1;
      const after = i + 1 < s.length ? s.codePointAt(i + 1)! : -1;
      const final = before >= 0 && hasCase(before) && !(after >= 0 && hasCase(after));
      units.push(final ? 0x3c2 : 0x3c3);
    } else {
      const l = simpleLower(cp);
      if (l > 0xffff) units.push(0xd800 + ((l - 0x10000) >> 10), 0xdc00 + ((l - 0x10000) & 0x3ff));
      else units.push(l);
    }
  }
  let out = '';
  for (let k = 0; k < units.length; k += 8192) out += String.fromCharCode(...units.slice(k, k + 8192));
  return out;
}
