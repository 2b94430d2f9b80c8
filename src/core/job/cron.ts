// Quartz cron for scheduler jobs (idm-api.md §3.3): validation with positions, an English
// description, and next fire times in a time zone. The emulator's scheduler and the editor both
// use this module, so what the editor promises is what the local tenant does.
import cronstrue from 'cronstrue';
import { CronProblem, parseCron } from './cron/parse';
import { checkTimeZone, fireTimesAfter } from './cron/next';

export type { CronProblem } from './cron/parse';
export { cronFix } from './cron/fix';

/** Problems in a Quartz cron expression; empty when Quartz would accept it. */
export function checkCron(expr: string): CronProblem[] {
  return parseCron(expr).problems;
}

/**
 * The next `count` fire times strictly after `from`, in `timeZone` (an IANA id, default UTC, which
 * is what AIC reports for a cron job without a zone: idm-api.md §2.1 `timeZone`).
 * Throws an Error naming the first problem when the expression or the zone is invalid.
 */
export function nextFireTimes(expr: string, from: Date, count: number, timeZone = 'UTC'): Date[] {
  const parsed = parseCron(expr);
  if (!parsed.schedule) {
    const p = parsed.problems[0];
    throw new Error(`invalid cron expression '${expr}' at column ${p.start + 1}: ${p.message}`);
  }
  checkTimeZone(timeZone);
  if (!Number.isFinite(from.getTime())) throw new Error('nextFireTimes: `from` is not a valid date');
  return fireTimesAfter(parsed.schedule, from, Math.max(0, Math.floor(count)), timeZone);
}

/** An English description, e.g. "At 02:00, only on Sunday"; for an invalid expression, its first problem. */
export function describeCron(expr: string): string {
  const problems = checkCron(expr);
  if (problems.length) return `Invalid cron expression: ${problems[0].message}`;
  try {
    // Quartz numbers day-of-week from 1 (Sunday), hence dayOfWeekStartIndexZero: false.
    return cronstrue.toString(expr, {
      dayOfWeekStartIndexZero: false,
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch (err) {
    return `Valid Quartz expression (no description available: ${err instanceof Error ? err.message : String(err)})`;
  }
}
