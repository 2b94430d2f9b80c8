// Quartz cron expressions (idm-api.md §3.3): `sec min hour day-of-month month day-of-week [year]`.
// The platform hands the expression to org.quartz.CronExpression, so this parser follows Quartz,
// not Unix cron: seconds come first, day-of-week 1 is SUNDAY, exactly one of the two day fields is
// `?`, and `L`, `W`, `#` are special characters.

/** A problem in an expression; `start`/`end` are offsets into the expression string. */
export interface CronProblem {
  message: string;
  start: number;
  end: number;
}

/** Day-of-month: `?`, a set of days, `L`/`L-n`, `LW`, or `nW`. */
export type DayOfMonthSpec =
  | { kind: 'none' }
  | { kind: 'set'; days: boolean[] }
  | { kind: 'last'; offset: number }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };

/** Day-of-week (1 = Sunday … 7 = Saturday): `?`, a set, `nL` (last n-day of the month), or `n#k`. */
export type DayOfWeekSpec =
  | { kind: 'none' }
  | { kind: 'set'; days: boolean[] }
  | { kind: 'last'; day: number }
  | { kind: 'nth'; day: number; nth: number };

export interface CronSchedule {
  seconds: boolean[];
  minutes: boolean[];
  hours: boolean[];
  months: boolean[];
  /** null = every year. */
  years: Set<number> | null;
  dayOfMonth: DayOfMonthSpec;
  dayOfWeek: DayOfWeekSpec;
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2099;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
export const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Quartz's own limit on an increment after `/`. */
  maxStep: number;
}

const FIELDS: FieldDef[] = [
  { name: 'seconds', min: 0, max: 59, maxStep: 59 },
  { name: 'minutes', min: 0, max: 59, maxStep: 59 },
  { name: 'hours', min: 0, max: 23, maxStep: 23 },
  { name: 'day-of-month', min: 1, max: 31, maxStep: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, maxStep: 12 },
  { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, maxStep: 7 },
  { name: 'year', min: MIN_YEAR, max: MAX_YEAR, maxStep: MAX_YEAR - MIN_YEAR },
];

interface Token {
  text: string;
  start: number;
}

function splitFields(expr: string): Token[] {
  const out: Token[] = [];
  const re = /[^ \t\r\n]+/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) out.push({ text: m[0], start: m.index });
  return out;
}

class FieldParser {
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

function newSet(size: number): boolean[] {
  return new Array<boolean>(size).fill(false);
}

function plainField(parser: FieldParser, tok: Token, size: number): boolean[] {
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

function dayOfMonthField(parser: FieldParser, tok: Token): DayOfMonthSpec {
  const t = tok.text.toUpperCase();
  const end = tok.start + tok.text.length;
  if (t === '?') return { kind: 'none' };
  if (t === 'LW') return { kind: 'lastWeekday' };
  if (t === 'L') return { kind: 'last', offset: 0 };
  const lastOffset = /^L-(\d+)$/.exec(t);
  if (lastOffset) {
    const n = Number(lastOffset[1]);
    if (n > 30) parser.problem(`offset from the last day must be at most 30`, tok.start + 2, end);
    return { kind: 'last', offset: n };
  }
  const weekday = /^(\d+)W$/.exec(t);
  if (weekday) {
    const day = parser.value(weekday[1], tok.start);
    return day === null ? { kind: 'none' } : { kind: 'nearestWeekday', day };
  }
  if (/[LW]/.test(t)) {
    const at = tok.start + t.search(/[LW]/);
    const what = t[t.search(/[LW]/)];
    parser.problem(
      what === 'L'
        ? `'L' in day-of-month must stand alone: 'L', 'L-3' or 'LW'`
        : `'W' must follow a single day, as in '15W' or 'LW' (no lists or ranges)`,
      at,
      at + 1,
    );
    return { kind: 'none' };
  }
  if (t.includes('#')) {
    const at = tok.start + t.indexOf('#');
    parser.problem(`'#' is allowed only in day-of-week (e.g. 6#3, the third Friday)`, at, at + 1);
    return { kind: 'none' };
  }
  return { kind: 'set', days: plainField(parser, tok, 32) };
}

function dayOfWeekField(parser: FieldParser, tok: Token): DayOfWeekSpec {
  const t = tok.text.toUpperCase();
  if (t === '?') return { kind: 'none' };
  // `L` alone in day-of-week means the last day of the week, Saturday (7).
  if (t === 'L') return { kind: 'set', days: Object.assign(newSet(8), { 7: true }) };
  const last = /^([A-Z0-9]+)L$/.exec(t);
  if (last && !t.includes(',')) {
    const day = parser.value(tok.text.slice(0, -1), tok.start);
    return day === null ? { kind: 'none' } : { kind: 'last', day };
  }
  const nth = /^([A-Z0-9]+)#(.*)$/.exec(t);
  if (nth && !t.includes(',')) {
    const day = parser.value(tok.text.slice(0, nth[1].length), tok.start);
    const nStart = tok.start + nth[1].length + 1;
    const n = /^[1-5]$/.test(nth[2]) ? Number(nth[2]) : null;
    if (n === null) {
      parser.problem(
        `the number after '#' must be 1-5 (the nth such day of the month)`,
        nStart - 1,
        nStart + nth[2].length,
      );
    }
    return day === null || n === null ? { kind: 'none' } : { kind: 'nth', day, nth: n };
  }
  if (/[L#]/.test(t)) {
    const at = tok.start + t.search(/[L#]/);
    parser.problem(
      t[t.search(/[L#]/)] === 'L'
        ? `'L' cannot be combined with other days of the week (Quartz does not support it)`
        : `'#' cannot be combined with other days of the week (Quartz supports one 'n#k' only)`,
      at,
      at + 1,
    );
    return { kind: 'none' };
  }
  return { kind: 'set', days: plainField(parser, tok, 8) };
}

/** The Quartz equivalent of a 5-field Unix expression: seconds added, `?`, Sunday 0 → 1. */
function fromUnix(fields: Token[]): string {
  const [min, hour, dom, month, dow] = fields.map((f) => f.text);
  const quartzDow = dow.replace(/\d+/g, (n) => String((Number(n) % 7) + 1));
  if (dow === '*' || dow === '?') return `0 ${min} ${hour} ${dom === '*' ? '*' : dom} ${month} ?`;
  return `0 ${min} ${hour} ? ${month} ${quartzDow}`;
}

export interface ParsedCron {
  schedule: CronSchedule | null;
  problems: CronProblem[];
  fields: Token[];
}

export function parseCron(expr: string): ParsedCron {
  const fields = splitFields(expr);
  const problems: CronProblem[] = [];
  const whole = { start: 0, end: expr.length };
  if (fields.length === 0) {
    return { schedule: null, problems: [{ message: 'the cron expression is empty', ...whole }], fields };
  }
  if (fields.length < 6) {
    const hint =
      fields.length === 5 ? `: this looks like Unix cron; the Quartz form is '${fromUnix(fields)}'` : '';
    return {
      schedule: null,
      problems: [
        {
          message: `Quartz cron needs 6 or 7 fields (seconds first), found ${fields.length}${hint}`,
          ...whole,
        },
      ],
      fields,
    };
  }
  if (fields.length > 7) {
    const extra = fields[7];
    problems.push({
      message: `Quartz cron has at most 7 fields (the 7th is the year); Quartz ignores the text from here`,
      start: extra.start,
      end: expr.trimEnd().length,
    });
  }
  const parsers = FIELDS.map((d) => new FieldParser(d));
  const seconds = plainField(parsers[0], fields[0], 60);
  const minutes = plainField(parsers[1], fields[1], 60);
  const hours = plainField(parsers[2], fields[2], 24);
  const dayOfMonth = dayOfMonthField(parsers[3], fields[3]);
  const months = plainField(parsers[4], fields[4], 13);
  const dayOfWeek = dayOfWeekField(parsers[5], fields[5]);
  let years: Set<number> | null = null;
  if (fields[6] && fields[6].text !== '*') {
    const set = plainField(parsers[6], fields[6], MAX_YEAR + 1);
    years = new Set<number>();
    set.forEach((on, y) => on && years!.add(y));
  }
  for (const p of parsers) problems.push(...p.problems);

  const domQ = fields[3].text === '?';
  const dowQ = fields[5].text === '?';
  if (domQ && dowQ) {
    problems.push({
      message: `'?' can be used in day-of-month or day-of-week, not both`,
      start: fields[3].start,
      end: fields[5].start + 1,
    });
  } else if (!domQ && !dowQ) {
    const unixHint =
      fields[3].text === '*' || fields[5].text === '*' ? ` (write '?' where Unix cron has '*')` : '';
    problems.push({
      message: `one of day-of-month and day-of-week must be '?': Quartz does not support both${unixHint}`,
      start: fields[3].start,
      end: fields[5].start + fields[5].text.length,
    });
  }
  problems.sort((a, b) => a.start - b.start);
  if (problems.length) return { schedule: null, problems, fields };
  return { schedule: { seconds, minutes, hours, months, years, dayOfMonth, dayOfWeek }, problems, fields };
}
