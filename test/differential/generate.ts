// Seeded random query filters and objects for the differential lane: grammar-shaped filters whose
// pieces come from the places where Java and JavaScript differ (numbers, escapes, percent-encoded
// UTF-8, surrogates, case pairs, array indices, prototype keys), corpus filters with random edits,
// and objects built over the same keys and values so that evaluation is not trivially false.

/** mulberry32: a small, fast, seedable generator (deterministic for a given seed). */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const keys = ['a', 'b', 'c', 'name', 'mail', 'roles', 'sunset', 'date'];
const oddKeys = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'length',
  '0',
  '1',
  '01',
  '4294967296',
  '4294967297',
  '2147483648',
  '18446744073709551617',
  '-1',
  '',
  'naïve',
  'ⰿ',
  'Ⱟ',
  '𐀤',
  'ſ',
  'K',
  'a~1b',
  'x.y',
  "it's",
  'İ',
];
const hexByte = (b: number) => '%' + b.toString(16).toUpperCase().padStart(2, '0');
const interestingBytes = [
  0x41, 0x2f, 0x20, 0x25, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf4,
  0xf5, 0xf8, 0xff, 0x9f, 0xa0, 0x90, 0x8f,
];
const strings = [
  'alice',
  'ALICE',
  'Alice',
  'al',
  '',
  'ß',
  'SS',
  'ſ',
  's',
  'K',
  'k',
  'İ',
  'i',
  'ı',
  'Σ',
  'σ',
  'ς',
  'ΑΣ',
  'ας',
  'Ⱟ',
  'ⱟ',
  'ꞔ',
  'Ꞔ',
  '𐐀',
  '𐐨',
  '𐀤',
  '\ufffd',
  '\ud800',
  '\udc00',
  'ǅ',
  'ǆ',
  'Ǆ',
  'ﬀ',
  'µ',
  'Μ',
  'ÿ',
  'Ÿ',
  '2025-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00Z',
  'true',
  '12',
  '9',
  'a"b',
  'x\\y',
];

export class FilterGenerator {
  constructor(private readonly r: Random) {}

  /** A pointer token as a user might type it, or not. */
  pointer(simple = false): string {
    const r = this.r;
    const n = simple ? 1 + r.int(2) : r.int(4);
    const segs: string[] = [];
    for (let i = 0; i < n; i++) segs.push(simple ? r.pick(keys.slice(0, 4)) : this.segment());
    let p = segs.join('/');
    if (!simple && r.chance(0.15)) return p; // no leading slash
    p = '/' + p;
    if (!simple && r.chance(0.05)) p += '/';
    return p;
  }

  private segment(): string {
    const r = this.r;
    const k = r.int(10);
    if (k < 4) return r.pick(keys);
    if (k < 6) return r.pick(oddKeys);
    if (k < 8) {
      // a run of percent escapes, mostly around UTF-8 edge cases
      let s = r.chance(0.5) ? r.pick(keys) : '';
      const m = 1 + r.int(5);
      for (let i = 0; i < m; i++) s += hexByte(r.chance(0.7) ? r.pick(interestingBytes) : r.int(256));
      if (r.chance(0.2)) s += r.pick(['%', '%4', '%G1', '%%']);
      return s;
    }
    if (k < 9)
      return (
        r.pick(keys) +
        r.pick([
          '{',
          '"',
          '\\',
          '|',
          '^',
          '<',
          '`',
          '#',
          '\t',
          '\u00a0',
          '\u0080',
          '\u2028',
          '\ud800',
          '\udc00',
          '\ud83d\ude00',
          'é',
          'e\u0301',
          '[',
          ']',
          '!',
          '*',
        ])
      );
    return String.fromCharCode(...Array.from({ length: 1 + r.int(3) }, () => 0x20 + r.int(0x3000)));
  }

  operator(): string {
    const r = this.r;
    const k = r.int(20);
    if (k < 14) return r.pick(['eq', 'co', 'sw', 'lt', 'le', 'gt', 'ge']);
    if (k < 16) return r.pick(['EQ', 'Eq', 'ſw', 'CO', 'Ge', 'ⅼt']);
    if (k < 19) return r.pick(['ne', 'regex', 'in', 'a.b', 'and', 'or', 'x_1']);
    return r.pick(['op!', '=', 'eq!', 'é', '']);
  }

  number(): string {
    const r = this.r;
    const k = r.int(16);
    const digits = (n: number) => Array.from({ length: n }, () => String(r.int(10))).join('');
    const hex = (n: number) => Array.from({ length: n }, () => r.int(16).toString(16)).join('');
    const sign = () => r.pick(['', '', '', '-', '+']);
    switch (k) {
      case 0:
        return sign() + digits(1 + r.int(19));
      case 1:
        return r.pick([
          '9223372036854775807',
          '9223372036854775808',
          '-9223372036854775808',
          '-9223372036854775809',
          '-0',
          '007',
          '١٢٣',
          '１０',
          '1e5',
          '0x10',
          '1_000',
        ]);
      case 2:
      case 3:
        return `${sign()}${digits(r.int(4))}.${digits(r.int(18))}`;
      case 4:
      case 5:
        return `${sign()}${digits(1 + r.int(3))}.${digits(r.int(18))}${r.pick(['e', 'E'])}${sign()}${r.int(400)}`;
      case 6: {
        // a random double written the way JavaScript prints it (always a point or an exponent)
        const buf = new DataView(new ArrayBuffer(8));
        buf.setUint32(0, (r.next() * 2 ** 32) >>> 0);
        buf.setUint32(4, (r.next() * 2 ** 32) >>> 0);
        const d = buf.getFloat64(0);
        if (!Number.isFinite(d)) return '1.0';
        const t = String(d);
        return t.includes('.') ? t : t.replace(/^(-?\d)/, '$1.0');
      }
      case 7:
        return `${sign()}0x${hex(r.int(20))}.${hex(r.int(20))}p${sign()}${r.int(1100)}${r.pick(['', '', 'd', 'f', 'L'])}`;
      case 8:
        return `0x${r.chance(0.5) ? '1' : hex(1 + r.int(3))}${'0'.repeat(r.int(300))}.${hex(r.int(4))}p-${r.pick(['1000', '1074', '1075', '1076', '99999999999999', '2147483647', '2147483648', String(r.int(2000))])}`;
      case 9:
        return r.pick([
          '1.5f',
          '1.5d',
          '1.5F',
          '5.',
          '-.5',
          '.5',
          '.',
          '1.2.3',
          '1.5e',
          '1.5ff',
          'NaN',
          'Infinity',
          '1.0e400',
          '1.0e-400',
          '4.9e-324',
          '2.0E23',
          '8.41e21',
          '4.9E-323',
          '1.0\t',
        ]);
      case 10:
        return `${digits(1 + r.int(3))}.${digits(r.int(3))}e${sign()}${r.pick(['', '0', '00000000000000000000'])}${r.int(30)}`;
      case 11: {
        // powers of two and their neighbours, where the shortest and Java's digits most often differ
        const e = r.int(2098) - 1074;
        const v = 2 ** e * (r.chance(0.5) ? 1 : 1 + r.int(8) / 8);
        const t = String(v);
        return t.includes('.') || t.includes('e')
          ? t.replace(/e/, '.0e').replace(/\.(\d*)\.0e/, '.$1e')
          : t + '.0';
      }
      case 12:
        return `${digits(1 + r.int(17))}.0`;
      case 13:
        return `${digits(16 + r.int(3))}.${digits(r.int(3))}E${r.int(25)}`;
      default:
        return `${r.int(1000)}.${digits(r.int(6))}`;
    }
  }

  value(): string {
    const r = this.r;
    const k = r.int(10);
    if (k < 4) {
      const q = r.chance(0.8) ? '"' : "'";
      let s = r.pick(strings);
      if (r.chance(0.2)) s = s.replace(/["'\\]/g, (c) => '\\' + c);
      else s = s.replace(/["'\\]/g, '');
      if (r.chance(0.1)) s += '\\' + r.pick(['n', '"', "'", '\\', 'u0041', '$']);
      return q + s + (r.chance(0.97) ? q : '');
    }
    if (k < 8) return this.number();
    if (k < 9) return r.pick(['true', 'false', 'TRUE', 'False']);
    return r.pick(['null', 'bar', '(1)', '${Time.now}', 'not', '"', "'", '\\']);
  }

  /** A filter of roughly `size` clauses. */
  filter(size: number, simple = false): string {
    return this.or(size, 0, simple);
  }

  private sep(): string {
    const r = this.r;
    if (r.chance(0.97)) return ' ';
    return r.pick(['  ', '\t', '\n', '\u00a0', '', ' \t']);
  }

  private or(size: number, depth: number, simple: boolean): string {
    const r = this.r;
    const n = size > 1 && r.chance(0.3) ? 1 + r.int(3) : 1;
    const parts = Array.from({ length: n }, () => this.and(Math.max(1, size / n), depth, simple));
    return parts.join(this.sep() + r.pick(['or', 'or', 'OR', 'Or']) + this.sep());
  }

  private and(size: number, depth: number, simple: boolean): string {
    const r = this.r;
    const n = size > 1 && r.chance(0.4) ? 1 + r.int(3) : 1;
    const parts = Array.from({ length: n }, () => this.not(Math.max(1, size / n), depth, simple));
    return parts.join(this.sep() + r.pick(['and', 'and', 'AND', 'aNd']) + this.sep());
  }

  private not(size: number, depth: number, simple: boolean): string {
    const r = this.r;
    const neg = r.chance(0.15) ? r.pick(['! ', '!', '! ']) : '';
    return neg + this.primary(size, depth, simple);
  }

  private primary(size: number, depth: number, simple: boolean): string {
    const r = this.r;
    if ((size > 1 && r.chance(0.5)) || r.chance(0.08)) {
      const inner = this.or(size, depth + 1, simple);
      return `(${inner})`;
    }
    const k = r.int(20);
    if (k < 1) return r.pick(['true', 'false', 'TRUE', 'tRuE']);
    const ptr = this.pointer(simple);
    if (k < 5) return `${ptr}${this.sep()}${r.pick(['pr', 'PR', 'Pr'])}`;
    return `${ptr}${this.sep()}${simple ? r.pick(['eq', 'co', 'sw', 'lt', 'le', 'gt', 'ge']) : this.operator()}${this.sep()}${this.value()}`;
  }

  /** Random edits of a filter: deletions, insertions and swaps of characters that matter to the lexer. */
  mutate(text: string): string {
    const r = this.r;
    const alphabet = [
      '(',
      ')',
      '"',
      "'",
      '\\',
      '!',
      '/',
      '%',
      ' ',
      '\t',
      'a',
      '0',
      '.',
      'e',
      'p',
      'x',
      '$',
      '{',
      '}',
      '\ud800',
      'é',
    ];
    let s = text;
    const edits = 1 + r.int(3);
    for (let i = 0; i < edits; i++) {
      const at = r.int(s.length + 1);
      const k = r.int(3);
      if (k === 0 && s.length) s = s.slice(0, at) + s.slice(at + 1);
      else if (k === 1) s = s.slice(0, at) + r.pick(alphabet) + s.slice(at);
      else if (s.length) s = s.slice(0, at) + r.pick(alphabet) + s.slice(at + 1);
    }
    return s;
  }

  /** Deeply nested parentheses around the depth limit (63 allowed, 64 rejected). */
  nested(): string {
    const d = 60 + this.r.int(8);
    return '('.repeat(d) + '/a pr' + ')'.repeat(d - (this.r.chance(0.2) ? 1 : 0));
  }
}

/** A JSON object text over the generator's keys and values, written by hand to keep -0, 1e400 and big integers. */
export class ObjectGenerator {
  constructor(private readonly r: Random) {}

  json(depth = 0): string {
    const r = this.r;
    const n = 1 + r.int(5);
    const fields: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = r.chance(0.85) ? r.pick(keys.slice(0, 4)) : r.pick(oddKeys);
      fields.push(`${JSON.stringify(key)}:${this.value(depth)}`);
    }
    return `{${fields.join(',')}}`;
  }

  private value(depth: number): string {
    const r = this.r;
    const k = r.int(12);
    if (k < 4) return jsonString(r.pick(strings));
    if (k < 7) return this.number();
    if (k < 8) return r.pick(['true', 'false', 'null']);
    if (k < 10 && depth < 3) {
      const m = r.int(4);
      return `[${Array.from({ length: m }, () => this.value(depth + 1)).join(',')}]`;
    }
    if (depth < 3) return this.json(depth + 1);
    return '1';
  }

  private number(): string {
    const r = this.r;
    return r.pick([
      '0',
      '-0',
      '1',
      '12',
      '-5',
      '1.5',
      '1500',
      '0.1',
      '1e400',
      '9223372036854775807',
      '9223372036854775808',
      '123456789012345678901234567890',
      '2.0E23',
      '1.9999999999999998E23',
      '4.9E-324',
      '3',
      String(r.int(100)),
      `${r.int(100)}.${r.int(100)}`,
    ]);
  }
}

/** JSON.stringify escapes lone surrogates (well-formed JSON.stringify), which Jackson reads back as the same unit. */
function jsonString(s: string): string {
  return JSON.stringify(s);
}
