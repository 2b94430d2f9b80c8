// Java's per-char case rules (queryfilter.md §3 and §8.1). Java folds one UTF-16 unit at a time with the
// simple (one-to-one) case mapping; JavaScript's String methods use the full mapping, so a result that
// is not exactly one unit means "no simple mapping" and the unit stays as it is.

const upperTable = new Uint16Array(65536);
const lowerTable = new Uint16Array(65536);
const known = new Uint8Array(65536);

function fill(c: number): void {
  const s = String.fromCharCode(c);
  const u = s.toUpperCase();
  const l = s.toLowerCase();
  upperTable[c] = u.length === 1 ? u.charCodeAt(0) : c;
  // U+0130's full lower case is two units (i + combining dot); Java's simple mapping is plain 'i'.
  lowerTable[c] = c === 0x130 ? 0x69 : l.length === 1 ? l.charCodeAt(0) : c;
  known[c] = 1;
}

/** Character.toUpperCase(char). */
export function simpleUpper(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  if (!known[c]) fill(c);
  return upperTable[c]!;
}

/** Character.toLowerCase(char). */
export function simpleLower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (!known[c]) fill(c);
  return lowerTable[c]!;
}

/**
 * String.equalsIgnoreCase against a lower-case ASCII keyword. Java's rule (upper-case both, then
 * lower-case both) lets U+017F (long s) match `s` and U+212A (Kelvin) match `k` (§11.4).
 */
export function equalsKeyword(token: string, keyword: string): boolean {
  const n = keyword.length;
  if (token.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const a = token.charCodeAt(i);
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

/** String.compareToIgnoreCase (JsonUtil.compareJsonObjectValues for strings, §8.1). */
export function compareIgnoreCase(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let c1 = a.charCodeAt(i);
    let c2 = b.charCodeAt(i);
    if (c1 === c2) continue;
    c1 = simpleUpper(c1);
    c2 = simpleUpper(c2);
    if (c1 === c2) continue;
    c1 = simpleLower(c1);
    c2 = simpleLower(c2);
    if (c1 !== c2) return c1 - c2;
  }
  return a.length - b.length;
}

/** String.toLowerCase(Locale.ENGLISH): the full, locale-neutral mapping, which JavaScript also uses. */
export function lowerEnglish(s: string): string {
  return s.toLowerCase();
}
