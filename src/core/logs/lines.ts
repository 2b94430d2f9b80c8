/**
 * From log entries to script lines: the level prefix, the push marker, duplicates, and which run a
 * line belongs to (docs/logs.md "Tying lines to a run").
 */
import type { LogEntry, RunWindow, ScriptLine } from './types';

const LEVEL = /^\s*(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE|FINEST|FINER|FINE|CONFIG)\s*:\s?/i;

/** A script line of an entry: `"LEVEL: message"` text (idm-core) or an object with `message`. */
export function toScriptLine(entry: LogEntry): ScriptLine | undefined {
  let level = 'INFO';
  let text: string;
  if (typeof entry.payload === 'string') {
    text = entry.payload;
    const m = LEVEL.exec(text);
    if (m) {
      level = m[1]!.toUpperCase();
      text = text.slice(m[0].length);
    }
  } else {
    const p = entry.payload;
    if (typeof p.message !== 'string') return undefined;
    text = p.message;
    if (typeof p.level === 'string') level = p.level.toUpperCase();
  }
  const { job, message } = readMarker(text.replace(/\s+$/, ''));
  return { time: entry.timestamp, level, message, job, source: entry.source };
}

/**
 * Drops entries already delivered: a tail's last entry may come again with the next reply, and a
 * backfill overlaps the tail. Remembers the newest `capacity` entries.
 */
export class Deduper {
  private seen = new Set<string>();
  private order: string[] = [];

  constructor(private readonly capacity = 5000) {}

  /** The entries not seen before, in order. */
  fresh(entries: LogEntry[]): LogEntry[] {
    const out: LogEntry[] = [];
    for (const e of entries) {
      const key = `${e.timestamp}\u0000${e.source}\u0000${typeof e.payload === 'string' ? e.payload : JSON.stringify(e.payload)}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.order.push(key);
      out.push(e);
      if (this.order.length > this.capacity) this.seen.delete(this.order.shift()!);
    }
    return out;
  }
}

/**
 * A run's `started` and its lines' timestamps come from the tenant's clock, so a line before the
 * start is another run's; this small slack covers millisecond rounding between the two services.
 */
export const EARLY_MS = 50;
/** The log pipeline delivers late: lines stamped this long after the end still belong. */
export const LATE_MS = 5000;

/**
 * Whether a line belongs to a run: written inside the run's time window and, when the line carries
 * a push marker, marked with the run's job. With `markedOnly`, unmarked lines never belong (the
 * user's scripts are all marked, so an unmarked line is another script's).
 */
export function belongsToRun(
  line: ScriptLine,
  run: RunWindow,
  options: { markedOnly?: boolean } = {},
): boolean {
  if (line.job !== undefined) {
    if (line.job !== run.job) return false;
  } else if (options.markedOnly) return false;
  const at = Date.parse(line.time);
  if (Number.isNaN(at)) return false;
  if (at < Date.parse(run.started) - EARLY_MS) return false;
  return run.ended === undefined || at <= Date.parse(run.ended) + LATE_MS;
}

/** Reads and removes a marker at the start of a logged message. */
export function readMarker(text: string): { job?: string; message: string } {
  const m = /^\[scanjobs:([^\]\s]+)\] /.exec(text);
  if (!m) return { message: text };
  try {
    return { job: decodeURIComponent(m[1]!), message: text.slice(m[0].length) };
  } catch {
    return { message: text };
  }
}
