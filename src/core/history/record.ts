/**
 * From what the client sees to history entries: a followed run's watch events (with rate samples),
 * and the runs of a listing. And from history to what a chart or `runs --history` shows.
 */
import { FINAL_STATES, RunRecord, jobOfRun } from '../tenant';
import type { WatchEvent } from '../watch/events';
import { HISTORY_LIMITS, HistoryPoint, HistoryRun, HistoryStore, RateSample } from './types';
import { thin } from './store';

/** A run record as a history entry (no samples); `job` when the record does not name it (OpenIDM). */
export function historyRunOf(run: RunRecord, job: string | undefined, seenAt: Date): HistoryRun {
  const p = run.progress;
  return {
    runId: run._id,
    job: jobOfRun(run) ?? job ?? '',
    state: p.state,
    processed: p.processed,
    total: p.total,
    successes: p.successes,
    failures: p.failures,
    started: run.started,
    ended: run.ended,
    seenAt: seenAt.toISOString(),
    samples: [],
  };
}

/**
 * Listens to one followed run's watch events and writes its history: the final state (with this
 * client's clock as the end of a CANCELLED run, which the platform never gives one) and progress
 * samples. Writes at the end only, so a long run costs one file write; `flush` for an early save.
 */
export class RunRecorder {
  private samples: RateSample[] = [];
  private last: RunRecord | undefined;
  private firstSeen: number | undefined;
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: HistoryStore,
    private readonly job: string | undefined,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  readonly listener = (event: WatchEvent): void => {
    if (
      event.type !== 'state' &&
      event.type !== 'progress' &&
      event.type !== 'final' &&
      event.type !== 'stopped'
    )
      return;
    const run = event.run;
    if (!run) return;
    const at = this.now();
    this.firstSeen ??= at;
    const origin = run.started ? Date.parse(run.started) : this.firstSeen;
    const sample = {
      atMs: Math.max(0, at - (Number.isNaN(origin) ? this.firstSeen : origin)),
      processed: run.progress.processed,
    };
    const prev = this.samples[this.samples.length - 1];
    if (!prev || prev.processed !== sample.processed) this.samples.push(sample);
    // Keep memory bounded on a very long run; the store thins again on write.
    if (this.samples.length > HISTORY_LIMITS.samplesPerRun * 4)
      this.samples = thin(this.samples, HISTORY_LIMITS.samplesPerRun * 2);
    this.last = run;
    if (event.type === 'final' || event.type === 'stopped') this.flush();
  };

  /** Writes what is known now; resolves when written (errors go to `onError`, never thrown). */
  flush(): Promise<void> {
    const run = this.last;
    if (!run) return this.written;
    const entry = historyRunOf(run, this.job, new Date(this.now()));
    entry.samples = this.samples;
    if (FINAL_STATES.has(run.progress.state) && !entry.ended)
      entry.ended = new Date(this.now()).toISOString();
    this.written = this.written.then(() => this.store.record([entry]).catch(this.onError));
    return this.written;
  }
}

/** Keeps every run of a listing (the tenant forgets them after 100); never fails the caller. */
export async function recordListing(
  store: HistoryStore,
  runs: RunRecord[],
  now = new Date(),
  onError: (err: unknown) => void = () => undefined,
): Promise<void> {
  try {
    const known = new Map((await store.list()).map((r) => [r.runId, r]));
    // A listing knows less than a follower did: keep the follower's samples and end time.
    const entries = runs.map((r) => {
      const entry = historyRunOf(r, undefined, now);
      const old = known.get(r._id);
      if (old) {
        entry.samples = old.samples;
        entry.ended ??= old.ended;
        if (!entry.job) entry.job = old.job;
      }
      return entry;
    });
    await store.record(entries.filter((e) => e.job !== ''));
  } catch (err) {
    onError(err);
  }
}

/** The runs of one job, oldest first, as chart points. */
export function historyPoints(runs: HistoryRun[], job: string): HistoryPoint[] {
  return runs
    .filter((r) => r.job === job)
    .map((r) => {
      const start = r.started ? Date.parse(r.started) : NaN;
      const end = r.ended ? Date.parse(r.ended) : NaN;
      const durationMs = Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, end - start);
      return {
        runId: r.runId,
        state: r.state,
        started: r.started,
        ended: r.ended,
        durationMs,
        throughput: durationMs ? Math.round((r.processed * 1000 * 100) / durationMs) / 100 : null,
        processed: r.processed,
        total: r.total,
        failures: r.failures,
      };
    });
}
