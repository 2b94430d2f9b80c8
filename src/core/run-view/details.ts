// The details of one run, as the details view and `scanjobs runs <id>` show them: the record, what
// this client saw of it (progress over time, the end of a cancelled run), the objects that failed and
// why, and the script's log lines. Each part says plainly when the tenant cannot tell.
import type { HistoryRun } from '../history/types';
import { jobOfRun, type RunRecord, type RunState } from '../tenant';
import { progressChart, type ChartModel, type TimeSample } from './chart';
import { shortRunId } from './identity';
import { outcomeText, runDurationMs, runEnd, runOutcome, type RunOutcome } from './outcome';
import type { RunSighting } from './sightings';

/** An object the run counted as failed, and why (idm-api.md §5.6). */
export interface FailedObject {
  /** `managed/alpha_user/<id>`. */
  objectId: string;
  reason: string;
  level: 'warn' | 'error';
  time: string;
}

/** A line the script wrote with `logger.*`, or a note of the scanner's, tied to this run. */
export interface RunLogLine {
  time: string;
  /** Upper case: `INFO`, `WARN`, `ERROR`, … */
  level: string;
  message: string;
  /** The object the line is about, when the tenant says. */
  objectId?: string;
}

/** A part the tenant may or may not be able to tell; `more` counts what was left out. */
export type Part<T> =
  | { state: 'ready'; items: T[]; more: number; note?: string }
  | { state: 'loading'; message: string }
  | { state: 'unavailable'; message: string; fix?: PartFix };

/** What the user can do about an unavailable part: a button of the view (e.g. set a log API key). */
export interface PartFix {
  /** The view's action name (run-details panel.ts). */
  action: 'setLogKey';
  label: string;
}

export interface RunDetails {
  tenant: string;
  job: string | undefined;
  runId: string;
  shortId: string;
  state: RunState;
  outcome: RunOutcome;
  /** `COMPLETED with failures`, `Cancelling…`, or the state. */
  headline: string;
  active: boolean;
  started: string | null;
  /** The end, and whether it is the tenant's or when this client saw it (a cancelled run has none). */
  ended: { at: string; source: 'tenant' | 'seen' } | undefined;
  durationMs: number | undefined;
  counts: { processed: number; total: number; successes: number; failures: number; skipped: number };
  /** Objects per second over the run so far; undefined when the duration is unknown or zero. */
  rate: number | undefined;
  /** Progress over time, for a run this client followed. */
  chart: ChartModel | { unavailable: string };
  failures: Part<FailedObject>;
  log: Part<RunLogLine>;
  actions: { cancel: boolean; runAgain: boolean; openJob: boolean };
}

export interface DetailsInput {
  tenant: string;
  run: RunRecord;
  /** What this client saw in this session. */
  sighting?: RunSighting;
  /** What this client kept from earlier sessions (core/history). */
  history?: HistoryRun;
  /** The job, when the record does not name it (OpenIDM). */
  job?: string;
  failures: Part<FailedObject>;
  log: Part<RunLogLine>;
  now: number;
  /**
   * At most this many failed objects and log lines kept, the rest counted in `more` (the CLI's text:
   * DETAILS_LIMITS). Without it all are kept: the details view pages through them (paging.ts).
   */
  limits?: { failures: number; logLines: number };
}

/** How many failed objects and log lines `scanjobs runs <id>` prints at most; the rest are counted. */
export const DETAILS_LIMITS = { failures: 500, logLines: 2000 } as const;

export function runDetails(input: DetailsInput): RunDetails {
  const { run, sighting, history } = input;
  const p = run.progress;
  const cancelling = sighting?.cancelRequestedAt !== undefined;
  const outcome = runOutcome(run, cancelling);
  const active = p.state === 'ACTIVE' || p.state === 'INITIALIZED';
  const historyEnd = history?.ended && history.state === p.state ? Date.parse(history.ended) : undefined;
  const seenEnd = sighting?.endSeenAt ?? (Number.isNaN(historyEnd) ? undefined : historyEnd);
  const end = active ? undefined : runEnd(run, seenEnd);
  const durationMs = runDurationMs(run, seenEnd, input.now);
  const job = jobOfRun(run) ?? input.job ?? history?.job;
  return {
    tenant: input.tenant,
    job,
    runId: run._id,
    shortId: shortRunId(run._id),
    state: p.state,
    outcome,
    headline: outcomeText(run, outcome),
    active,
    started: run.started,
    ended: end ? { at: new Date(end.at).toISOString(), source: end.source } : undefined,
    durationMs,
    counts: {
      processed: p.processed,
      total: p.total,
      successes: p.successes,
      failures: p.failures,
      // §4.1: at COMPLETED, objects neither processed nor failed were skipped or claimed elsewhere.
      skipped: p.state === 'COMPLETED' ? Math.max(0, p.total - p.processed) : 0,
    },
    rate: durationMs && durationMs > 0 && p.processed > 0 ? (p.processed * 1000) / durationMs : undefined,
    chart: chartOf(run, sighting, history),
    failures: input.limits ? cap(input.failures, input.limits.failures) : input.failures,
    log: input.limits ? cap(input.log, input.limits.logLines) : input.log,
    actions: { cancel: active && !cancelling, runAgain: job !== undefined, openJob: job !== undefined },
  };
}

function chartOf(
  run: RunRecord,
  sighting: RunSighting | undefined,
  history: HistoryRun | undefined,
): RunDetails['chart'] {
  const started = run.started ? Date.parse(run.started) : NaN;
  let samples: TimeSample[] = [];
  if (sighting && sighting.samples.length > 0) {
    const origin = Number.isNaN(started) ? sighting.samples[0].at : started;
    samples = sighting.samples.map((s) => ({
      tMs: Math.max(0, s.at - origin),
      processed: s.processed,
      failures: s.failures,
    }));
    // The counts held until the latest reading: a run that stopped moving is drawn flat up to then.
    const last = sighting.samples[sighting.samples.length - 1];
    if (sighting.lastSeenAt !== undefined && sighting.lastSeenAt > last.at)
      samples.push({
        tMs: Math.max(0, sighting.lastSeenAt - origin),
        processed: last.processed,
        failures: last.failures,
      });
  } else if (history && history.samples.length > 0) {
    // Kept from an earlier session: processed only (the store keeps no failure counts over time).
    samples = history.samples.map((s) => ({ tMs: s.atMs, processed: s.processed, failures: 0 }));
  }
  if (samples.length < 2)
    return {
      unavailable: sighting?.samples.length
        ? 'No chart yet: one reading of this run so far; the chart is drawn from the next one.'
        : 'No chart: progress over time is drawn only for runs this client followed (Execute Job or Watch Run) while they were active.',
    };
  // All of them: the chart thins each line to its width itself (downsampleMinMax).
  return progressChart(samples, run.progress.total);
}

function cap<T>(part: Part<T>, limit: number): Part<T> {
  if (part.state !== 'ready' || part.items.length <= limit) return part;
  return { ...part, items: part.items.slice(0, limit), more: part.more + part.items.length - limit };
}
