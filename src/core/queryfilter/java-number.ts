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
  if (c < 128 || (c >= 0xd800 && c <= 0xdfff) || !decimalDigit.test(s[i]!)) return -1;
  let start = c;
  while (decimalDigit.test(String.fromCharCode(start - 1))) start--;
  return (c - start) % 10;
}

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
  // Fast path: up to 15 ASCII digits cannot overflow and need no bigint arithmetic per digit.
  let ascii = n - i <= 15;
  for (let k = i; ascii && k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) ascii = false;
  }
  if (ascii) {
    const v = BigInt(s.slice(i));
    return { ok: true, value: negative ? -v : v };
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

const hexFloat =
  /^([-+])?0[xX](?:([0-9a-fA-F]+)\.?|([0-9a-fA-F]*)\.([0-9a-fA-F]+))[pP]([-+])?([0-9]+)[fFdD]?$/;

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
  const rest = s.slice(i);
  if (rest === 'NaN') return { ok: true, value: NaN };
  if (rest === 'Infinity') return { ok: true, value: c0 === 45 ? -Infinity : Infinity };
  if (i < n - 1 && s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) return parseHex(s);
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) {
      if (point) return { ok: false, message: 'multiple points' };
      point = true;
    } else break;
  }
  if (digits === 0) return forInput(s);
  let end = i;
  if (i < n && (s.charCodeAt(i) | 0x20) === 101) {
    i++;
    if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    const expStart = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === expStart) return forInput(s);
    end = i;
  }
  if (i < n) {
    const c = s.charCodeAt(i) | 0x20;
    if (i !== n - 1 || (c !== 102 && c !== 100)) return forInput(s);
  }
  return { ok: true, value: Number(s.slice(0, end)) };
}

function parseHex(s: string): NumberResult<number> {
  const m = hexFloat.exec(s);
  if (!m) return forInput(s);
  const intPart = m[2] ?? m[3] ?? '';
  const fracPart = m[4] ?? '';
  const mantissa = BigInt('0x0' + intPart + fracPart);
  let exp = Number(m[6]) * (m[5] === '-' ? -1 : 1) - 4 * fracPart.length;
  if (!Number.isFinite(exp)) exp = m[5] === '-' ? -Infinity : Infinity;
  let value: number;
  if (mantissa === 0n) value = 0;
  else {
    // Scale in steps so that intermediate powers of two stay representable.
    value = Number(mantissa);
    while (exp > 0 && Number.isFinite(value)) {
      const step = Math.min(exp, 1000);
      value *= 2 ** step;
      exp -= step;
    }
    while (exp < 0 && value !== 0) {
      const step = Math.max(exp, -1000);
      value *= 2 ** step;
      exp -= step;
    }
  }
  return { ok: true, value: m[1] === '-' ? -value : value };
}

/**
 * Java 17's FloatingDecimal prints a whole number below 2^63 from its exact integer value rather than
 * from the shortest round-trip digits: it drops floor((binExp - 54) * log10(2)) low digits (when
 * binExp - 54 > 1), rounding half up, and then the trailing zeros. From 2^53 on this gives more digits
 * than the shortest form: 6.0122202147863168E16 where JavaScript would print 6.012220214786317e16.
 * (Checked against `Double.toString` on OpenJDK 17 for 20,000 doubles, test/unit/queryfilter.)
 */
function longPathDigits(abs: number): { digits: string; exp: number } {
  let value = BigInt(abs);
  const binExp = value.toString(2).length - 1;
  const p2 = binExp - 54;
  const dropped = p2 > 1 ? Math.floor(p2 * Math.log10(2)) : 0;
  if (dropped > 0) {
    const pow10 = 10n ** BigInt(dropped);
    const residue = value % pow10;
    value /= pow10;
    if (residue * 2n >= pow10) value++;
  }
  const text = value.toString();
  return { digits: text.replace(/(.)0+$/, '$1'), exp: text.length - 1 + dropped };
}

/** Double.toString(d): shortest round-trip digits, plain in [1e-3, 1e7), otherwise d.dddE±n. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  // Shortest round-trip digits, as Java 17's FloatingDecimal prints for all but a few 16–17 digit
  // values; a one-digit result gets ".0" appended (2 × MIN_VALUE is 1.0E-323, as in Java 17, where
  // Java 19+ picks 9.9E-324). MIN_VALUE itself has always printed as 4.9E-324.
  if (abs === Number.MIN_VALUE) return `${sign}4.9E-324`;
  const integral = abs >= 2 ** 53 && abs < 2 ** 63 ? longPathDigits(abs) : undefined;
  const [mant, expText] = abs.toExponential().split('e') as [string, string];
  const digits = integral?.digits ?? mant.replace('.', '').replace(/(.)0+$/, '$1');
  const exp = integral?.exp ?? Number(expText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}
