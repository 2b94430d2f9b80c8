// What a tenant can tell of a run's failed objects and log lines, for the details view and the CLI.
// The local tenant keeps both per run; an AIC tenant's script lines come from its log API when a log
// key is set (core/logs); other tenants say plainly what they cannot tell.
import { LogClient, LogTail, RunLogs, type LogListener, type RunWindow } from '../logs';
import type { TenantClient } from '../tenant/client';
import { jobOfRun } from '../tenant/runs';
import type { RunRecord } from '../tenant/types';
import type { Part, RunLogLine } from './details';
import { FAILURES_UNKNOWN, readLocalRunReport, type RunReport } from './tenant-report';

/** A running read of one run's report: `refresh` with the latest record while it is active. */
export interface RunReportHandle {
  first: Promise<RunReport>;
  refresh(run: RunRecord): void;
  stop(): void;
}

/** Reads what a tenant can tell about one run; `onUpdate` hears each new state of the report. */
export interface RunReportSource {
  report(run: RunRecord, onUpdate: (report: RunReport) => void): RunReportHandle;
}

/** The local tenant: one request reads the run's failed objects and script lines. */
export function localReportSource(client: TenantClient): RunReportSource {
  return {
    report(run, onUpdate) {
      let stopped = false;
      const read = () =>
        readLocalRunReport(client.http, run._id).catch((e: unknown): RunReport => ({
          failures: { state: 'unavailable', message: `Could not read the run's log: ${messageOf(e)}` },
          log: { state: 'unavailable', message: `Could not read the run's log: ${messageOf(e)}` },
        }));
      const first = read();
      void first.then((r) => !stopped && onUpdate(r));
      // While the run is active, a new read at most every 2 s (and one at its end).
      let last = Date.now();
      let pending: ReturnType<typeof setTimeout> | undefined;
      return {
        first,
        refresh: (latest) => {
          if (stopped || pending) return;
          const final = latest.progress.state !== 'ACTIVE' && latest.progress.state !== 'INITIALIZED';
          const wait = final ? 0 : Math.max(0, 2000 - (Date.now() - last));
          pending = setTimeout(() => {
            pending = undefined;
            last = Date.now();
            void read().then((r) => !stopped && onUpdate(r));
          }, wait);
        },
        stop: () => {
          stopped = true;
          if (pending) clearTimeout(pending);
        },
      };
    },
  };
}

/** Opens a follower of one run's script lines (core/logs RunLogs), on the caller's shared tail. */
export type OpenRunLogs = (run: RunWindow, listener: LogListener) => Promise<RunLogFollower>;

/** What the report needs of a run's log follower (core/logs RunLogs). */
export type RunLogFollower = Pick<RunLogs, 'done' | 'ended' | 'stop'>;

/**
 * At most this many of a run's script lines are kept from the log API, so a chatty run cannot grow the
 * extension host without bound; later lines are counted in `more` and the view says so. At the API's own
 * pace (1,000 entries a reply, 60 replies a minute: docs/logs.md) this is about a minute of solid logging.
 */
export const MAX_REMOTE_LOG_LINES = 50_000;

/** A follower on a tail of its own: for a process that reads one run (the CLI). */
export function ownTail(logs: LogClient): OpenRunLogs {
  const tail = new LogTail(logs);
  return (run, listener) => Promise.resolve(new RunLogs(tail, run, listener).start());
}

/**
 * Another tenant: it names no failed object (idm-api.md §5.6); its script lines come from the AIC log
 * API (docs/logs.md) through `open`, under the tenant's shared rate budget. Without a key the log
 * client reads nothing and says how to add one; a tenant without the API (OpenIDM) says so.
 */
export function remoteReportSource(
  open: OpenRunLogs,
  options: {
    /** Why the tenant has no log API (LogClient.noLogApi): said, and nothing is read. */
    noLogApi?: string;
    /** The run's job when its record has no name (OpenIDM's runs, §4.1). */
    job?: string;
  } = {},
): RunReportSource {
  return {
    report(run, onUpdate) {
      const failures: Part<never> = { state: 'unavailable', message: FAILURES_UNKNOWN };
      const job = jobOfRun(run) ?? options.job;
      if (options.noLogApi || !job || !run.started) {
        const report: RunReport = {
          failures,
          log: {
            state: 'unavailable',
            message: options.noLogApi ?? 'This run has no job name or start time to tie log lines to.',
          },
        };
        onUpdate(report);
        return { first: Promise.resolve(report), refresh: () => undefined, stop: () => undefined };
      }
      const lines: RunLogLine[] = [];
      let log: Part<RunLogLine> = { state: 'loading', message: 'Reading the log API…' };
      const emit = () => onUpdate({ failures, log });
      let resolveFirst!: (r: RunReport) => void;
      const first = new Promise<RunReport>((resolve) => (resolveFirst = resolve));
      let stopped = false;
      let dropped = 0;
      const kept = (note?: string): Part<RunLogLine> => {
        const cut = dropped
          ? `Kept the first ${MAX_REMOTE_LOG_LINES.toLocaleString('en')} log lines of this run; ${dropped.toLocaleString('en')} later ${dropped === 1 ? 'line was' : 'lines were'} read but not kept.`
          : undefined;
        const notes = [cut, note].filter(Boolean).join(' ');
        return { state: 'ready', items: lines.slice(), more: dropped, ...(notes ? { note: notes } : {}) };
      };
      const listener: LogListener = (event) => {
        if (event.type === 'lines') {
          for (const l of event.lines) {
            if (lines.length >= MAX_REMOTE_LOG_LINES) dropped++;
            else lines.push({ time: l.time, level: String(l.level).toUpperCase(), message: l.message });
          }
          log = kept();
        } else if (event.type === 'unavailable') {
          // No key, or a key the tenant refused: the view offers the button that sets one.
          const settable = event.availability.state === 'no-key' || event.availability.state === 'refused';
          log = {
            state: 'unavailable',
            message: event.availability.message,
            ...(settable ? { fix: { action: 'setLogKey', label: 'Set Log API Key' } as const } : {}),
          };
        } else if (event.type === 'error')
          log = lines.length ? kept(event.message) : { state: 'unavailable', message: event.message };
        else return;
        emit();
        resolveFirst({ failures, log });
      };
      // A finished run without an end (CANCELLED, ERROR: §4.2) is read up to now, then the reader stops.
      const final = run.progress.state !== 'ACTIVE' && run.progress.state !== 'INITIALIZED';
      const window = {
        runId: run._id,
        job,
        started: run.started,
        ...(final ? { ended: run.ended ?? new Date().toISOString() } : {}),
      };
      const follower = open(window, listener).then(
        (f) => {
          if (stopped) f.stop();
          void f.done.then(() => {
            if (log.state === 'loading') log = { state: 'ready', items: [], more: 0 };
            emit();
            resolveFirst({ failures, log });
          });
          return f;
        },
        (e: unknown) => {
          log = { state: 'unavailable', message: `Cannot read the log lines: ${messageOf(e)}` };
          emit();
          resolveFirst({ failures, log });
          return undefined;
        },
      );
      return {
        first,
        refresh: (latest) => {
          if (latest.progress.state !== 'ACTIVE' && latest.progress.state !== 'INITIALIZED')
            void follower.then((f) => f?.ended(latest.ended ?? undefined));
        },
        stop: () => {
          stopped = true;
          void follower.then((f) => f?.stop());
        },
      };
    },
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
