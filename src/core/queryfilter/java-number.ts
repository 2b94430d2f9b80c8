// Java number parsing and printing as the parser and QueryFilter.toString use them (queryfilter.md §4).

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;
const decimalDigit = /\p{Nd}/u;

export type NumberResult<T> = { ok: true; value: T } | { ok: false; message: string };

function forInput(s: string): { ok: false; message: string } {
  return { ok: false, message: `For input string: "${s}"` };
}

/** Character.digit(c, 10): any Unicode decimal digit (Nd) of the BMP; Nd comes in runs of ten from 0. */
function digitValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) return c - 48;
  if (c < 128 || (c >= 0xd800 && c <= 0xdfff)) return -1;
  let known = digitOf[c]!;
  if (known === 0) {
    // asked once per unit: the regex, then a walk back to the run's zero
    if (!decimalDigit.test(s[i]!)) known = -1;
    else {
      let start = c;
      while (decimalDigit.test(String.fromCharCode(start - 1))) start--;
      known = ((c - start) % 10) + 1;
    }
    digitOf[c] = known;
  }
  return known < 0 ? -1 : known - 1;
}

/** Per BMP unit: 0 not yet known, -1 not a digit, else its digit value + 1. */
const digitOf = new Int8Array(65536);

/** Long.parseLong(s) (§4 integers): sign, then Unicode decimal digits, within 64 bits. */
export function parseJavaLong(s: string): NumberResult<bigint> {
  const n = s.length;
  if (n === 0) return forInput(s);
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) {
    if (n === 1) return forInput(s);
    negative = first === 45;
    i = 1;
  }
  // Fast paths: up to 15 ASCII digits cannot overflow and need no bigint arithmetic per digit; up to
  // 19 are one native BigInt parse and a range check.
  let ascii = n - i <= 19;
  for (let k = i; ascii && k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) ascii = false;
  }
  if (ascii && n - i <= 15) {
    let v = 0;
    for (let k = i; k < n; k++) v = v * 10 + s.charCodeAt(k) - 48;
    return { ok: true, value: BigInt(negative ? -v : v) };
  }
  if (ascii) {
    const v = BigInt(s);
    return v < MIN_LONG || v > MAX_LONG ? forInput(s) : { ok: true, value: v };
  }
  let value = 0n;
  for (; i < n; i++) {
    const d = digitValue(s, i);
    if (d < 0) return forInput(s);
    value = value * 10n + BigInt(d);
    if (value > MAX_LONG + 1n) return forInput(s);
  }
  const result = negative ? -value : value;
  if (result < MIN_LONG || result > MAX_LONG) return forInput(s);
  return { ok: true, value: result };
}

/** String.trim: strips every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Double.parseDouble(s) (FloatingDecimal.readJavaFormatString): trimmed; optional sign; NaN/Infinity;
 * hex floats; ASCII digits with one point; optional exponent; one optional f/F/d/D suffix.
 */
export function parseJavaDouble(input: string): NumberResult<number> {
  const s = javaTrim(input);
  const n = s.length;
  if (n === 0) return { ok: false, message: 'empty String' };
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 43) i = 1;
  if (n - i === 3 && s.startsWith('NaN', i)) return { ok: true, value: NaN };
  if (n - i === 8 && s.startsWith('Infinity', i))
    return { ok: true, value: c0 === 45 ? -Infinity : Infinity };
  if (i < n - 1 && s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) return parseHex(s);
  let digits = 0;
  let point = false;
  // the digits as an integer and the count after the point, for the exact path below
  let m = 0;
  let fraction = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      m = m * 10 + (c - 48);
      if (point) fraction++;
    } else if (c === 46) {
      if (point) return { ok: false, message: 'multiple points' };
      point = true;
    } else break;
  }
  if (digits === 0) return forInput(s);
  let end = i;
  let exponent = 0;
  if (i < n && (s.charCodeAt(i) | 0x20) === 101) {
    i++;
    const negativeExp = i < n && s.charCodeAt(i) === 45;
    if (i < n && (s.charCodeAt(i) === 43 || negativeExp)) i++;
    const expStart = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      if (exponent < 1e6) exponent = exponent * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    if (i === expStart) return forInput(s);
    if (negativeExp) exponent = -exponent;
    end = i;
  }
  if (i < n) {
    const c = s.charCodeAt(i) | 0x20;
    if (i !== n - 1 || (c !== 102 && c !== 100)) return forInput(s);
  }
  // Up to 15 digits are an exact integer, and 10^k for k <= 22 an exact double, so one division or
  // multiplication rounds once, correctly, as Java's parse does; otherwise the general conversion.
  const scale = exponent - fraction;
  if (digits <= 15 && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? m / POW10[-scale]! : m * POW10[scale]!;
    return { ok: true, value: c0 === 45 ? -v : v };
  }
  return { ok: true, value: Number(end === n ? s : s.slice(0, end)) };
}

/** 10^0 … 10^22, every one an exact double. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const INT_MAX = 2147483647;

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/**
 * FloatingDecimal.parseHexString (§4 floats): `[+-]0x` hex digits with at most one point (at least one
 * digit), `p`, a signed decimal exponent, one optional f/F/d/D. The value is rounded once, half to even,
 * from its exact value (the upstream code keeps round and sticky bits over every digit), so a significand
 * of any length and subnormal results come out as in Java. As upstream, an exponent beyond
 * Integer.MAX_VALUE gives ±Infinity or ±0 by its sign without looking at the significand, and every
 * other exponent is clamped before any arithmetic, so no input can make this slow.
 */
function parseHex(s: string): NumberResult<number> {
  const n = s.length;
  let i = 0;
  const negative = s.charCodeAt(0) === 45;
  if (negative || s.charCodeAt(0) === 43) i = 1;
  i += 2; // "0x", checked by the caller
  const intStart = i;
  while (i < n && isHexDigit(s.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && s.charCodeAt(i) === 46) {
    fracStart = ++i;
    while (i < n && isHexDigit(s.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return forInput(s);
  if (i >= n || (s.charCodeAt(i) | 0x20) !== 112) return forInput(s);
  i++;
  let negativeExp = false;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) negativeExp = s.charCodeAt(i++) === 45;
  const expStart = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const expEnd = i;
  if (expEnd === expStart) return forInput(s);
  if (i < n) {
    const c = s.charCodeAt(i) | 0x20;
    if (i !== n - 1 || (c !== 102 && c !== 100)) return forInput(s);
  }
  const sign = negative ? -1 : 1;
  // Significant digits only: leading zeros of the whole digit string and trailing zeros of the fraction.
  const digits = s.slice(intStart, intEnd) + s.slice(fracStart, fracEnd);
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  if (lead === digits.length) return { ok: true, value: sign * 0 };
  let trail = digits.length;
  while (digits.charCodeAt(trail - 1) === 48) trail--;
  const significant = digits.slice(lead, trail);
  // Integer.parseInt of the exponent digits; on overflow upstream returns ±Infinity or ±0 at once.
  let e = 0;
  for (let k = expStart; k < expEnd; k++) {
    e = e * 10 + s.charCodeAt(k) - 48;
    if (e > INT_MAX) return { ok: true, value: sign * (negativeExp ? 0 : Infinity) };
  }
  // value = significant (as a hex integer) × 2^exp2
  const exp2 = (negativeExp ? -e : e) - 4 * (fracEnd - fracStart - (digits.length - trail));
  return { ok: true, value: sign * roundBinary(significant, exp2) };
}

/**
 * The double nearest to hex × 2^exp2 (ties to even). The top bit's position is known from the digit
 * count, so values far outside the double range return before any big-integer work.
 */
function roundBinary(hex: string, exp2: number): number {
  const firstDigit = parseInt(hex[0]!, 16);
  const bits = 4 * (hex.length - 1) + (32 - Math.clz32(firstDigit));
  const top = bits - 1 + exp2; // the value lies in [2^top, 2^(top+1))
  if (top > 1023) return Infinity;
  if (top < -1075) return 0;
  const keep = top >= -1022 ? 53 : top + 1075; // significand bits a double has at this magnitude
  const drop = bits - keep;
  if (bits <= 53) {
    // The same steps in doubles, all exact: m < 2^53, and a division by 2^drop only moves the point.
    const m = parseInt(hex, 16);
    if (drop <= 0) return m * 2 ** exp2;
    const scale = 2 ** drop;
    const q = Math.floor(m / scale);
    const rest = m - q * scale;
    const up = rest > scale / 2 || (rest === scale / 2 && q % 2 === 1);
    return (up ? q + 1 : q) * 2 ** (exp2 + drop);
  }
  const m = BigInt('0x' + hex);
  if (drop <= 0) return Number(m) * 2 ** exp2; // exact: at most 53 bits, scale within range
  const q = m >> BigInt(drop);
  const rest = m - (q << BigInt(drop));
  const half = 1n << BigInt(drop - 1);
  const up = rest > half || (rest === half && (q & 1n) === 1n);
  // q (+1) has at most 53 bits and 2^(exp2 + drop) >= 2^-1074, so this product is exact (or Infinity).
  return Number(up ? q + 1n : q) * 2 ** (exp2 + drop);
}

export { javaDoubleToString } from './java-double';
