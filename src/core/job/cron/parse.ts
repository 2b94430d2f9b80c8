// Quartz cron expressions (idm-api.md §3.3): `sec min hour day-of-month month day-of-week [year]`.
// The platform hands the expression to org.quartz.CronExpression, so this parser follows Quartz,
// not Unix cron: seconds come first, day-of-week 1 is SUNDAY, exactly one of the two day fields is
// `?`, and `L`, `W`, `#` are special characters.

import { CronProblem, FIELDS, FieldParser, MAX_YEAR, newSet, plainField, splitFields, Token } from './field';

export { DAY_NAMES, MAX_YEAR, MIN_YEAR, type CronProblem } from './field';

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
