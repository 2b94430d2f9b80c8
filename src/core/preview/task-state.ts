/**
 * The task scanner's reading of an object's task state (idm-api.md §5.4, §5.5): when `started` still
 * owns the object, and how `recovery.timeout` is read. Shared by the emulator's scanner and by the
 * preview, so both split objects the same way.
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export class RecoveryTimeoutError extends Error {}

/**
 * §5.1, §5.5: `<int><unit>` with units s m h d M y; an unknown unit counts as seconds (the platform
 * logs a warning, pushed to `notes`); no value is 0. The result gives the window for a `started` time,
 * since months and years have no fixed length.
 */
export function recoveryWindow(value: unknown, notes: string[] = []): (started: number) => number {
  if (value === undefined || value === null) return () => 0;
  const m = /^(-?\d+)(.?)$/.exec(String(value).trim());
  if (!m)
    throw new RecoveryTimeoutError(
      `scan.recovery.timeout '${String(value)}' is not <integer><unit> (NumberFormatException)`,
    );
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit === 'M' || unit === 'y') {
    return (started) => {
      const d = new Date(started);
      if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + n);
      else d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime() - started;
    };
  }
  if (!(unit in UNIT_MS))
    notes.push(`scan.recovery.timeout unit '${unit}' is unknown; read as seconds, as the platform does`);
  const ms = n * (UNIT_MS[unit] ?? 1000);
  return () => ms;
}

/** §5.4: the `started` check parses with Joda's ISODateTimeFormat.dateTime(): millis and an offset. */
export function parseStartedTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const t = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Where the scanner puts one object it meets (§5.4), in the order it checks:
 * - `claimed`: `started` is within the recovery window and `completed` is unset: a run in progress
 *   owns it, so it is skipped;
 * - `completed`: `started` is within the window and `completed` is set: it finished recently and is skipped;
 * - `invalidStarted`: `started` is not `yyyy-MM-ddTHH:mm:ss.SSSZ`: the worker that meets it stops;
 * - `wouldProcess`: anything else is claimed and its script runs, completed or not (only the filter
 *   keeps completed objects out).
 */
export type TaskStateClass = 'wouldProcess' | 'claimed' | 'completed' | 'invalidStarted';

export function classifyTaskState(
  started: unknown,
  completed: unknown,
  recovery: (started: number) => number,
  now: number,
): TaskStateClass {
  if (started === undefined || started === null) return 'wouldProcess';
  const at = parseStartedTime(started);
  if (at === undefined) return 'invalidStarted';
  if (at + recovery(at) <= now) return 'wouldProcess';
  return completed === undefined || completed === null ? 'claimed' : 'completed';
}

/** A `taskState` pointer (§5.1: the leading `/` is optional) as JSON-pointer segments. */
export function pointerSegments(pointer: string): string[] {
  return (pointer.startsWith('/') ? pointer.slice(1) : pointer)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function valueAt(object: unknown, segments: readonly string[]): unknown {
  let at = object;
  for (const s of segments) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[s];
  }
  return at;
}
