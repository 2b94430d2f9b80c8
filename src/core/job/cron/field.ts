// One field of a Quartz cron expression (idm-api.md §3.3): values, names, ranges (which may wrap,
// as in FRI-MON), steps and lists, each problem with its position in the expression.

/** A problem in an expression; `start`/`end` are offsets into the expression string. */
export interface CronProblem {
  message: string;
  start: number;
  end: number;
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2099;

export const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
export const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Quartz's own limit on an increment after `/`. */
  maxStep: number;
}

export const FIELDS: FieldDef[] = [
  { name: 'seconds', min: 0, max: 59, maxStep: 59 },
  { name: 'minutes', min: 0, max: 59, maxStep: 59 },
  { name: 'hours', min: 0, max: 23, maxStep: 23 },
  { name: 'day-of-month', min: 1, max: 31, maxStep: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, maxStep: 12 },
  { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, maxStep: 7 },
  { name: 'year', min: MIN_YEAR, max: MAX_YEAR, maxStep: MAX_YEAR - MIN_YEAR },
];

export interface Token {
  text: string;
  start: number;
}

export function splitFields(expr: string): Token[] {
  const out: Token[] = [];
  const re = /[^ \t\r\n]+/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) out.push({ text: m[0], start: m.index });
  return out;
}

export class FieldParser {
  readonly problems: CronProblem[] = [];
  constructor(readonly def: FieldDef) {}

  problem(message: string, start: number, end: number): void {
    this.problems.push({ message, start, end });
  }

  /** A number or (for month/day-of-week) a three-letter name; null after reporting a problem. */
  value(text: string, start: number): number | null {
    const { def } = this;
    const end = start + text.length;
    if (/^\d+$/.test(text)) {
      const n = Number(text);
      if (def.name === 'day-of-week' && n === 0) {
        this.problem(
          'day-of-week 0 is not valid in Quartz: days run 1-7 and 1 is Sunday (use SUN-SAT to be unambiguous)',
          start,
          end,
        );
        return null;
      }
      if (n < def.min || n > def.max) {
        this.problem(`${def.name} value ${text} is out of range ${def.min}-${def.max}`, start, end);
        return null;
      }
      return n;
    }
    const upper = text.toUpperCase();
    if (def.names) {
      const i = def.names.indexOf(upper);
      if (i >= 0) return i + 1;
      this.problem(
        `'${text}' is not a ${def.name} value: use ${def.min}-${def.max} or ${def.names[0]}-${def.names[def.names.length - 1]}`,
        start,
        end,
      );
      return null;
    }
    const hint = [...MONTHS, ...DAY_NAMES].includes(upper)
      ? ` (names are allowed only in the month and day-of-week fields)`
      : '';
    this.problem(`'${text}' is not a ${def.name} value: expected ${def.min}-${def.max}${hint}`, start, end);
    return null;
  }

  step(text: string, start: number): number | null {
    if (!/^\d+$/.test(text)) {
      this.problem(
        text === '' ? `'/' must be followed by an increment` : `increment '${text}' is not a number`,
        start - 1,
        start + text.length,
      );
      return null;
    }
    const n = Number(text);
    if (n < 1 || n > this.def.maxStep) {
      this.problem(
        `${this.def.name} increment ${text} must be between 1 and ${this.def.maxStep}`,
        start,
        start + text.length,
      );
      return null;
    }
    return n;
  }

  /** Sets the values of one `a`, `a-b`, `*`, with optional `/step`; ranges may wrap (Quartz `FRI-MON`). */
  item(text: string, start: number, set: boolean[]): void {
    const { def } = this;
    const slash = text.indexOf('/');
    const base = slash >= 0 ? text.slice(0, slash) : text;
    let step = 1;
    if (slash >= 0) {
      const s = this.step(text.slice(slash + 1), start + slash + 1);
      if (s === null) return;
      step = s;
    }
    let from: number | null;
    let to: number | null;
    if (base === '*' || base === '') {
      from = def.min;
      to = def.max;
    } else {
      const dash = base.indexOf('-', 1);
      if (dash >= 0) {
        from = this.value(base.slice(0, dash), start);
        to = this.value(base.slice(dash + 1), start + dash + 1);
        if (base.slice(dash + 1) === '') return;
      } else {
        from = this.value(base, start);
        to = slash >= 0 ? def.max : from;
      }
    }
    if (from === null || to === null) return;
    const span = def.max - def.min + 1;
    const count = to >= from ? to - from : to + span - from;
    for (let i = 0; i <= count; i += step) {
      const v = ((from - def.min + i) % span) + def.min;
      set[v] = true;
    }
  }
}

export function newSet(size: number): boolean[] {
  return new Array<boolean>(size).fill(false);
}

export function plainField(parser: FieldParser, tok: Token, size: number): boolean[] {
  const set = newSet(size);
  let offset = 0;
  for (const part of tok.text.split(',')) {
    const start = tok.start + offset;
    offset += part.length + 1;
    if (part === '') {
      parser.problem(`empty item in the ${parser.def.name} list`, start, start + 1);
      continue;
    }
    if (part === '?') {
      parser.problem(`'?' is allowed only in day-of-month or day-of-week`, start, start + 1);
      continue;
    }
    // Names such as JUL or WED contain the letters of the special characters; look past them.
    const names = parser.def.names;
    const bare = names
      ? part.toUpperCase().replace(/[A-Z]{3}/g, (m) => (names.includes(m) ? '000' : m))
      : part;
    const special = bare.search(/[LW#]/i);
    if (special >= 0) {
      parser.problem(
        `'${part[special]}' is not allowed in the ${parser.def.name} field`,
        start + special,
        start + special + 1,
      );
      continue;
    }
    parser.item(part, start, set);
  }
  return set;
}
