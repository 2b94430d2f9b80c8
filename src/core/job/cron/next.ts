// Next fire times of a parsed Quartz schedule, in a time zone (idm-api.md §2.1 `timeZone`, §3.3).
// Days are matched on the wall calendar of the zone; each matching wall time is then turned into
// an instant. Like Quartz (java.util.Calendar, lenient), a wall time that does not exist because
// the clocks spring forward is moved forward by the gap; of a repeated wall time (clocks fall
// back) the first occurrence is used.
import { CronSchedule, MAX_YEAR } from './parse';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a clear error for a zone id the runtime does not know. */
export function checkTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new Error(`unknown time zone '${timeZone}': use an IANA id such as 'UTC' or 'Europe/Paris'`);
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallOf(ms: number, timeZone: string): Wall {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The zone's offset from UTC, in ms, at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const w = wallOf(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall time in a zone (see the file comment for gaps and overlaps). */
export function instantOf(w: Wall, timeZone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  if (timeZone === 'UTC') return naive;
  const before = offsetAt(naive - 86_400_000 / 2, timeZone);
  const after = offsetAt(naive + 86_400_000 / 2, timeZone);
  // Candidates in instant order; the first whose offset agrees is the earliest occurrence.
  const candidates = [naive - Math.max(before, after), naive - Math.min(before, after)];
  for (const c of candidates) if (offsetAt(c, timeZone) === naive - c) return c;
  // In a spring-forward gap: read the wall time with the offset in force before the gap.
  return naive - before;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as Quartz numbers them. */
function dayOfWeek(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The weekday nearest to `day` without leaving the month (Quartz `W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const d = Math.min(day, last);
  const dow = dayOfWeek(year, month, d);
  if (dow === 7) return d === 1 ? 3 : d - 1; // Saturday: Friday, or Monday the 3rd
  if (dow === 1) return d === last ? d - 2 : d + 1; // Sunday: Monday, or Friday before
  return d;
}

export function dayMatches(s: CronSchedule, year: number, month: number, day: number): boolean {
  if (s.years && !s.years.has(year)) return false;
  if (!s.months[month]) return false;
  const dom = s.dayOfMonth;
  switch (dom.kind) {
    case 'set':
      if (!dom.days[day]) return false;
      break;
    case 'last':
      if (day !== daysInMonth(year, month) - dom.offset) return false;
      break;
    case 'lastWeekday':
      if (day !== nearestWeekday(year, month, daysInMonth(year, month))) return false;
      break;
    case 'nearestWeekday':
      if (day !== nearestWeekday(year, month, dom.day)) return false;
      break;
    case 'none':
      break;
  }
  const dow = s.dayOfWeek;
  const wd = dayOfWeek(year, month, day);
  switch (dow.kind) {
    case 'set':
      return dow.days[wd];
    case 'last':
      return wd === dow.day && day + 7 > daysInMonth(year, month);
    case 'nth':
      return wd === dow.day && Math.ceil(day / 7) === dow.nth;
    case 'none':
      return true;
  }
}

function indices(set: boolean[]): number[] {
  const out: number[] = [];
  set.forEach((on, i) => on && out.push(i));
  return out;
}

/**
 * Up to `count` fire times strictly after `from` (Quartz rounds `from` down to the second and
 * starts one second later). Fewer are returned when the schedule ends (a year list in the past).
 */
export function fireTimesAfter(s: CronSchedule, from: Date, count: number, timeZone: string): Date[] {
  const out: Date[] = [];
  let earliest = Math.floor(from.getTime() / 1000) * 1000 + 1000;
  const hours = indices(s.hours);
  const minutes = indices(s.minutes);
  const seconds = indices(s.seconds);
  const lastSecond = seconds[seconds.length - 1];
  const lastMinute = minutes[minutes.length - 1];
  const start = wallOf(earliest - 86_400_000, timeZone);
  let cursor = Date.UTC(start.year, start.month - 1, start.day);
  const lastYear = s.years ? Math.max(...s.years) : MAX_YEAR;
  const stop = Date.UTC(lastYear + 1, 0, 1);
  while (out.length < count && cursor < stop) {
    const d = new Date(cursor);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    if (!s.months[month] || (s.years && !s.years.has(year))) {
      cursor = Date.UTC(year, month, 1); // first day of the next month
      continue;
    }
    const day = d.getUTCDate();
    if (dayMatches(s, year, month, day)) {
      const wall = (hour: number, minute: number, second: number) =>
        instantOf({ year, month, day, hour, minute, second }, timeZone);
      for (const hour of hours) {
        if (out.length >= count) break;
        if (wall(hour, lastMinute, lastSecond) < earliest) continue;
        for (const minute of minutes) {
          if (out.length >= count) break;
          if (wall(hour, minute, lastSecond) < earliest) continue;
          for (const second of seconds) {
            const t = wall(hour, minute, second);
            if (t < earliest) continue;
            out.push(new Date(t));
            earliest = t + 1000;
            if (out.length >= count) break;
          }
        }
      }
    }
    cursor += 86_400_000;
  }
  return out;
}
