// What a tenant can tell about a run's failed objects and log lines. The platform counts failures
// but names no object (idm-api.md §5.6: a script that throws or returns anything but `true` adds one
// to `failures`); the local tenant keeps each run's scanner notes (with the object and the reason)
// and the script's `logger` lines at `GET /scanjobs-emulator/runs/<id>/log` (docs/emulator.md).
import type { TenantTransport } from '../tenant/transport';
import type { FailedObject, Part, RunLogLine } from './details';

/** One entry of the local tenant's run log (src/emulator/runs.ts RunLogEntry). */
export interface EmulatorLogEntry {
  time: string;
  level: string;
  objectID?: string;
  source: 'script' | 'scanner' | string;
  message: string;
}

export interface RunReport {
  failures: Part<FailedObject>;
  log: Part<RunLogLine>;
}

export const FAILURES_UNKNOWN =
  // The platform's behaviour (idm-api.md §5.6); the message describes it without the internal citation.
  'This tenant does not say which objects failed: AIC and IDM only count them. Lines the script logged about them, when it logs, are under Log lines.';

/** Failed objects from the scanner's notes: one per object, its last reason (§5.3, §5.6). */
export function failuresOf(entries: EmulatorLogEntry[]): FailedObject[] {
  const byObject = new Map<string, FailedObject>();
  for (const e of entries) {
    if (e.source !== 'scanner' || !e.objectID || (e.level !== 'warn' && e.level !== 'error')) continue;
    byObject.delete(e.objectID);
    byObject.set(e.objectID, { objectId: e.objectID, reason: e.message, level: e.level, time: e.time });
  }
  return [...byObject.values()];
}

/** The script's own lines (not the scanner's notes), as log lines. */
export function scriptLinesOf(entries: EmulatorLogEntry[]): RunLogLine[] {
  return entries
    .filter((e) => e.source === 'script')
    .map((e) => ({
      time: e.time,
      level: e.level.toUpperCase(),
      message: e.message,
      ...(e.objectID ? { objectId: e.objectID } : {}),
    }));
}

/** Reads the local tenant's log of a run: its failed objects and the script's lines. */
export async function readLocalRunReport(http: TenantTransport, runId: string): Promise<RunReport> {
  const reply = await http.request<{ entries?: EmulatorLogEntry[]; dropped?: number }>({
    method: 'GET',
    path: `/scanjobs-emulator/runs/${encodeURIComponent(runId)}/log`,
  });
  const entries = Array.isArray(reply.body?.entries) ? reply.body.entries : [];
  const dropped = typeof reply.body?.dropped === 'number' ? reply.body.dropped : 0;
  const note =
    dropped > 0
      ? `The local tenant kept the first ${entries.length} log entries of this run and dropped ${dropped} more.`
      : undefined;
  return {
    failures: { state: 'ready', items: failuresOf(entries), more: 0, ...(note ? { note } : {}) },
    log: { state: 'ready', items: scriptLinesOf(entries), more: 0, ...(note ? { note } : {}) },
  };
}
