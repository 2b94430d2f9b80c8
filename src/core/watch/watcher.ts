import { AuthError, CrestError, NetworkError, isAbort } from '../tenant/errors';
import { sleep } from '../tenant/retry';
import { FINAL_STATES, RunRecord } from '../tenant/types';
import type { WatchEnd, WatchEvent, WatchListener } from './events';
import { Pace, PaceOptions } from './pace';
import { ProgressStats, ProgressTracker } from './progress';
import { StallContext, StallHistory, StallPolicy, explainStall, stallThresholdMs } from './stall';

/** How the watcher reads runs; `TenantClient.runs` fits, with retries left to the watcher. */
export interface RunSource {
  read(id: string, options: { signal?: AbortSignal; retry?: false }): Promise<RunRecord>;
  list?(options: { signal?: AbortSignal; retry?: false }): Promise<RunRecord[]>;
}

export interface WatchOptions extends PaceOptions {
  /** Consecutive 404s (with a listing that does not show the run) before giving up; default 5. */
  notFoundLimit?: number;
  /** The longest wait between attempts while the tenant cannot be reached; default 30 s. */
  maxRetryDelayMs?: number;
  /**
   * The stall floor: a run that stays INITIALIZED or ACTIVE with a frozen count is reported as stalled
   * once frozen for `max(stallAfterMs, stallFactor × its time per object)` (stall.ts; default 120 s).
   */
  stallAfterMs?: number;
  /** How many of the run's own times per object a frozen count may last (default 20; stall.ts). */
  stallFactor?: number;
  /** End the watch when the run stalls (`stopped`, reason `stalled`); otherwise keep watching. */
  stopWhenStalled?: boolean;
  /**
   * The job's history (stall.ts `stallHistoryOf`), asked for once at the first record: it sets the
   * threshold while the run has no pace of its own yet.
   */
  stallHistory?: (run: RunRecord) => Promise<StallHistory | undefined> | StallHistory | undefined;
  /** What is known of the run's job, asked for once when it stalls, to name the cause (stall.ts). */
  stallContext?: (run: RunRecord) => Promise<StallContext> | StallContext;
  now?: () => number;
}

/**
 * Follows one run until its final state (idm-api.md §4.2, §8.2): one request per poll however many
 * listeners, transient failures retried for as long as the watch lasts, 404s explained.
 */
export class RunWatcher {
  readonly done: Promise<WatchEnd>;
  private listeners = new Set<WatchListener>();
  private readonly abort = new AbortController();
  private last: RunRecord | undefined;
  private lastStats: ProgressStats | undefined;
  private finish!: (end: WatchEnd) => void;
  private started = false;
  private readonly now: () => number;

  constructor(
    readonly runId: string,
    private readonly source: RunSource,
    private readonly options: WatchOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  /** The latest record seen, if any. */
  get run(): RunRecord | undefined {
    return this.last;
  }

  /** Adds a listener; a late one first hears the latest state and progress. Returns its removal. */
  on(listener: WatchListener): () => void {
    this.listeners.add(listener);
    if (this.last) {
      listener({ type: 'state', run: this.last, from: undefined });
      if (this.lastStats) listener({ type: 'progress', run: this.last, stats: this.lastStats });
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Starts polling (once); stops when `signal` aborts, or on `stop()`. */
  start(signal?: AbortSignal): Promise<WatchEnd> {
    if (!this.started) {
      this.started = true;
      if (signal?.aborted) this.abort.abort();
      signal?.addEventListener('abort', () => this.abort.abort(), { once: true });
      void this.loop().then(
        (end) => this.end(end),
        (err: unknown) =>
          this.end({ type: 'stopped', reason: 'error', message: messageOf(err), run: this.last, error: err }),
      );
    }
    return this.done;
  }

  stop(): void {
    this.abort.abort();
  }

  private emit(event: WatchEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A failing listener must not stop the others or the watch.
      }
    }
  }

  private end(end: WatchEnd): void {
    this.emit(end);
    this.finish(end);
  }

  private async loop(): Promise<WatchEnd> {
    const signal = this.abort.signal;
    const pace = new Pace(this.options);
    const tracker = new ProgressTracker();
    const maxRetry = this.options.maxRetryDelayMs ?? 30_000;
    const notFoundLimit = this.options.notFoundLimit ?? 5;
    const policy: StallPolicy = { floorMs: this.options.stallAfterMs, factor: this.options.stallFactor };
    let historyAsked = false;
    // The pace while the count last moved: a frozen count makes the tracker's own rate fade away.
    let paceRate: number | undefined;
    let failures = 0;
    let lostSince: number | undefined;
    let notFound = 0;
    let frozenSince: { processed: number; at: number; told: boolean } | undefined;

    for (;;) {
      if (signal.aborted) return this.aborted();
      let run: RunRecord | undefined;
      try {
        run = await this.source.read(this.runId, { signal, retry: false });
      } catch (err) {
        if (signal.aborted || isAbort(err)) return this.aborted();
        if (err instanceof CrestError && err.status === 404) {
          run = await this.findInListing(signal);
          if (!run) {
            notFound++;
            const message =
              `Run ${this.runId} was not found (404): it has been evicted (only the newest 100 completed runs are kept) ` +
              'or it lives on another server node (runs are held per node).';
            if (notFound >= notFoundLimit)
              return { type: 'stopped', reason: 'not-found', message, run: this.last };
            this.emit({ type: 'not-found', message, attempt: notFound });
            if (!(await this.pause(Math.min(maxRetry, 1000 * 2 ** notFound), signal))) return this.aborted();
            continue;
          }
        } else if (isTransient(err)) {
          failures++;
          lostSince ??= this.now();
          const wait = Math.round(
            Math.min(maxRetry, 1000 * 1.8 ** (failures - 1)) * (0.75 + Math.random() * 0.25),
          );
          this.emit({
            type: 'connection-lost',
            message: `${messageOf(err)}; retrying`,
            attempt: failures,
            retryInMs: Math.max(1000, wait),
          });
          if (!(await this.pause(Math.max(1000, wait), signal))) return this.aborted();
          continue;
        } else {
          return { type: 'stopped', reason: 'error', message: messageOf(err), run: this.last, error: err };
        }
      }

      notFound = 0;
      if (!historyAsked && this.options.stallHistory) {
        historyAsked = true;
        policy.history = await this.historyForStall(run);
      }
      if (lostSince !== undefined) {
        this.emit({ type: 'connection-restored', downForMs: this.now() - lostSince });
        lostSince = undefined;
        failures = 0;
      }
      const at = this.now();
      const previous = this.last;
      this.last = run;
      const stats = tracker.add(run, at);
      this.lastStats = stats;
      if (previous?.progress.state !== run.progress.state) {
        this.emit({ type: 'state', run, from: previous?.progress.state });
      }
      if (!previous || progressChanged(previous, run)) this.emit({ type: 'progress', run, stats });
      if (FINAL_STATES.has(run.progress.state)) return { type: 'final', run, stats };

      if (frozenSince?.processed === run.progress.processed) {
        const thresholdMs = stallThresholdMs(paceRate, policy);
        if (!frozenSince.told && at - frozenSince.at >= thresholdMs) {
          frozenSince.told = true;
          const explanation = explainStall(run, await this.contextForStall(run));
          const forMs = at - frozenSince.at;
          this.emit({ type: 'stalled', run, forMs, thresholdMs, explanation });
          if (this.options.stopWhenStalled) {
            return {
              type: 'stopped',
              reason: 'stalled',
              message: `Run ${run._id} is stalled: still ${run.progress.state} with ${run.progress.processed}/${run.progress.total} processed and no progress for ${Math.round(forMs / 1000)} s. ${explanation.message}`,
              run,
            };
          }
        }
      } else {
        if (frozenSince && stats.rate !== undefined) paceRate = stats.rate;
        frozenSince = { processed: run.progress.processed, at, told: false };
      }
      if (!(await this.pause(pace.next(stats.etaMs), signal))) return this.aborted();
    }
  }

  private async historyForStall(run: RunRecord): Promise<StallHistory | undefined> {
    try {
      return await this.options.stallHistory?.(run);
    } catch {
      return undefined; // without it the floor and the run's own pace still decide
    }
  }

  private async contextForStall(run: RunRecord): Promise<StallContext> {
    try {
      return (await this.options.stallContext?.(run)) ?? {};
    } catch {
      return {}; // the context sharpens the message; without it the run's shape still tells
    }
  }

  /** idm-api.md §8.2: after a 404 on read, look for the run in the listing before giving up. */
  private async findInListing(signal: AbortSignal): Promise<RunRecord | undefined> {
    if (!this.source.list) return undefined;
    try {
      return (await this.source.list({ signal, retry: false })).find((r) => r._id === this.runId);
    } catch {
      return undefined;
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  private aborted(): WatchEnd {
    return {
      type: 'stopped',
      reason: 'aborted',
      message: `Stopped watching run ${this.runId}`,
      run: this.last,
    };
  }
}

function progressChanged(a: RunRecord, b: RunRecord): boolean {
  const p = a.progress;
  const q = b.progress;
  return (
    p.processed !== q.processed ||
    p.total !== q.total ||
    p.successes !== q.successes ||
    p.failures !== q.failures
  );
}

/** Worth waiting for: the tenant is unreachable, overloaded or briefly failing. */
function isTransient(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  if (err instanceof AuthError) return false;
  return err instanceof CrestError && (err.status === 429 || err.status >= 500);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Watches one run to its end, for a CLI command or a script. */
export function watchRun(
  runId: string,
  source: RunSource,
  options: WatchOptions & { signal?: AbortSignal; onEvent?: WatchListener } = {},
): Promise<WatchEnd> {
  const watcher = new RunWatcher(runId, source, options);
  if (options.onEvent) watcher.on(options.onEvent);
  return watcher.start(options.signal);
}
