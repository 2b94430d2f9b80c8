// Double.toString exactly as Java 17 prints it (queryfilter.md §4, §6): JDK 17's FloatingDecimal, not
// the shortest round-trip digits JavaScript (and Java 19+) print. Java 17 develops digits until a
// symmetric half-ULP test stops it, so some values get one digit more (2.0E23 prints as
// 1.9999999999999998E23); whole numbers below 2^63 are printed from their exact value with the digits
// below the ULP rounded away; and 32/64-bit fast paths use a strict `>` where the big-number path uses
// `>=`, with int/long wrap-around, which changes the last digit of a few values. Each of those choices is
// reproduced here with the same integer widths (checked against OpenJDK 17 on millions of random doubles
// by test/differential).

const EXP_SHIFT = 52;
const MIN_SMALL_BIN_EXP = -21;
const MAX_SMALL_BIN_EXP = 62;

/** ceil(log2(5^i)) for i < 27, the width estimate the algorithm uses to pick its arithmetic. */
const N_5_BITS: number[] = Array.from({ length: 27 }, (_, i) =>
  i === 0 ? 0 : (5n ** BigInt(i) - 1n).toString(2).length,
);
/** How many decimal digits 2^p spans below the ULP (floor(p·log10 2)), for the integer path. */
const insignificantForPow2 = (p2: number): number =>
  p2 > 1 && p2 < 64 ? (2n ** BigInt(p2)).toString().length - 1 : 0;

const view = new DataView(new ArrayBuffer(8));

/** floor of Java's estimate of log10(d) from the fraction bits and binary exponent (plain double math). */
function estimateDecExp(fractBits: bigint, binExp: number): number {
  view.setBigUint64(0, 0x3ff0000000000000n | (fractBits & 0xfffffffffffffn));
  const d2 = view.getFloat64(0);
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

interface Digits {
  digits: number[];
  /** The decimal point sits after `decExponent` digits (FloatingDecimal's decExponent). */
  decExponent: number;
}

function roundUp(r: Digits): void {
  const d = r.digits;
  let i = d.length - 1;
  while (i > 0 && d[i] === 9) d[i--] = 0;
  if (d[i] === 9) {
    // carry out of the first digit: 1 followed by zeros, one more decimal place
    d[0] = 1;
    r.decExponent++;
    return;
  }
  d[i]!++;
}

/** The integer path: a whole number of at most 63 bits, low digits below the ULP rounded half up. */
function longDigits(value: bigint, insignificant: number): Digits {
  let decExponent = 0;
  let v = value;
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = v % pow10;
    v /= pow10;
    decExponent += insignificant;
    if (residue >= pow10 >> 1n) v++;
  }
  let text = v.toString();
  const trimmed = text.replace(/0+$/, '');
  decExponent += text.length - trimmed.length;
  text = trimmed;
  return { digits: Array.from(text, (c) => c.charCodeAt(0) - 48), decExponent: decExponent + text.length };
}

type Arith = {
  mul: (a: bigint, b: bigint) => bigint;
  add: (a: bigint, b: bigint) => bigint;
};
const int32: Arith = { mul: (a, b) => BigInt.asIntN(32, a * b), add: (a, b) => BigInt.asIntN(32, a + b) };
const int64: Arith = { mul: (a, b) => BigInt.asIntN(64, a * b), add: (a, b) => BigInt.asIntN(64, a + b) };

function dtoa(binExp: number, fractBits: bigint, nSignificantBits: number): Digits {
  let tailZeros = 0;
  while (((fractBits >> BigInt(tailZeros)) & 1n) === 0n) tailZeros++;
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (binExp <= MAX_SMALL_BIN_EXP && binExp >= MIN_SMALL_BIN_EXP && nTinyBits === 0 && nFractBits < 64) {
    const insignificant = binExp > nSignificantBits ? insignificantForPow2(binExp - nSignificantBits - 1) : 0;
    const value =
      binExp >= EXP_SHIFT ? fractBits << BigInt(binExp - EXP_SHIFT) : fractBits >> BigInt(EXP_SHIFT - binExp);
    return longDigits(value, insignificant);
  }
  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  const fract = fractBits >> BigInt(tailZeros);
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  if (nFractBits === 1) M2 -= 1; // a power of two: the next value below is only half as far
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const bBits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5]! : B5 * 3);
  const tenSBits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1]! : (S5 + 1) * 3);
  const digits: number[] = [];
  let low: boolean;
  let high: boolean;
  let lowDigitDifference: bigint;
  // E-form needs a digit after the point, so the first digit never stops the loop there.
  const eForm = () => decExp < -3 || decExp >= 8;
  if (bBits < 64 && tenSBits < 64) {
    // Fixed-width arithmetic, wrapping exactly where Java's int or long does.
    const w = bBits < 32 && tenSBits < 32 ? int32 : int64;
    let b = w.mul(fract * 5n ** BigInt(B5), 1n) << BigInt(B2);
    b = BigInt.asIntN(w === int32 ? 32 : 64, b);
    const s = BigInt.asIntN(w === int32 ? 32 : 64, (5n ** BigInt(S5)) << BigInt(S2));
    let m = BigInt.asIntN(w === int32 ? 32 : 64, (5n ** BigInt(M5)) << BigInt(M2));
    const tens = w.mul(s, 10n);
    let q = Number(b / s);
    b = w.mul(10n, b % s);
    m = w.mul(m, 10n);
    low = b < m;
    high = w.add(b, m) > tens;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm()) high = low = false;
    while (!low && !high) {
      q = Number(b / s);
      b = w.mul(10n, b % s);
      m = w.mul(m, 10n);
      if (m > 0n) {
        low = b < m;
        high = w.add(b, m) > tens;
      } else {
        // m wrapped around: Java takes both tests as true
        low = high = true;
      }
      digits.push(q);
    }
    lowDigitDifference = w.add(b << 1n, -tens);
    if (w === int32) lowDigitDifference = BigInt.asIntN(32, lowDigitDifference);
  } else {
    // Exact big-number arithmetic; here the upper test is `>=`.
    const S = (5n ** BigInt(S5)) << BigInt(S2);
    let B = (fract * 5n ** BigInt(B5)) << BigInt(B2);
    let M = (5n ** BigInt(M5 + 1)) << BigInt(M2 + 1);
    const tenS = S * 10n;
    let q = Number(B / S);
    B = (B % S) * 10n;
    low = B < M;
    high = B + M >= tenS;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm()) high = low = false;
    while (!low && !high) {
      q = Number(B / S);
      B = (B % S) * 10n;
      M *= 10n;
      low = B < M;
      high = B + M >= tenS;
      digits.push(q);
    }
    lowDigitDifference = high && low ? (B << 1n) - tenS : 0n;
  }
  const r: Digits = { digits, decExponent: decExp + 1 };
  if (high) {
    if (low) {
      if (lowDigitDifference === 0n) {
        if ((digits[digits.length - 1]! & 1) !== 0) roundUp(r);
      } else if (lowDigitDifference > 0n) roundUp(r);
    } else roundUp(r);
  }
  return r;
}

/** FloatingDecimal's layout: plain for 1e-3 <= |d| < 1e7, otherwise d.dddE±n; always a digit after the point. */
function layout(negative: boolean, r: Digits): string {
  const d = r.digits.map((x) => String.fromCharCode(48 + x)).join('');
  const e = r.decExponent;
  const sign = negative ? '-' : '';
  if (e > 0 && e < 8) {
    if (d.length <= e) return `${sign}${d}${'0'.repeat(e - d.length)}.0`;
    return `${sign}${d.slice(0, e)}.${d.slice(e)}`;
  }
  if (e <= 0 && e > -3) return `${sign}0.${'0'.repeat(-e)}${d}`;
  return `${sign}${d[0]}.${d.length > 1 ? d.slice(1) : '0'}E${e - 1}`;
}

/** Double.toString(d) as OpenJDK 17 prints it. */
export function javaDoubleToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  let fractBits = bits & 0xfffffffffffffn;
  let binExp = Number((bits >> 52n) & 0x7ffn);
  if (binExp === 0x7ff) return negative ? '-Infinity' : 'Infinity';
  let nSignificantBits: number;
  if (binExp === 0) {
    if (fractBits === 0n) return negative ? '-0.0' : '0.0';
    // subnormal: normalise so that the top bit sits at bit 52
    const width = fractBits.toString(2).length;
    const shift = 53 - width;
    fractBits <<= BigInt(shift);
    binExp = 1 - shift;
    nSignificantBits = width;
  } else {
    fractBits |= 1n << 52n;
    nSignificantBits = 53;
  }
  binExp -= 1023;
  return layout(negative, dtoa(binExp, fractBits, nSignificantBits));
}
