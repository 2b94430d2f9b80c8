/**
 * Following a tenant's script lines while runs are active (docs/logs.md "Following"). One `LogTail`
 * per tenant polls `/monitoring/logs/tail` for every run followed in this process, and only while at
 * least one run is followed (zero requests when idle); each `RunLogs` picks the lines of its run.
 */
import { isAbort } from '../tenant/errors';
import { sleep } from '../tenant/retry';
import { LogClient, LogsUnavailableError } from './client';
import { Deduper, LATE_MS, belongsToRun, toScriptLine } from './lines';
import { LOG_LIMITS, LogListener, RunWindow, SCRIPT_SOURCE, ScriptLine } from './types';

export interface TailOptions {
  source?: string;
  /** Between two tails; default 2500 ms (24 a minute, under the budget's 25 for this process). */
  intervalMs?: number;
}

type EntryListener = (event: { entries: ScriptLine[] } | { error: unknown } | { throttled: number }) => void;

/** Polls the tail of one source for all its subscribers, deduplicated; stops when the last leaves. */
export class LogTail {
  private listeners = new Set<EntryListener>();
  private abort: AbortController | undefined;
  private readonly dedupe = new Deduper();
  /** Tail requests sent, for benchmarks. */
  requests = 0;

  constructor(
    readonly client: LogClient,
    private readonly options: TailOptions = {},
  ) {}

  get source(): string {
    return this.options.source ?? SCRIPT_SOURCE;
  }

  subscribe(listener: EntryListener): () => void {
    this.listeners.add(listener);
    if (!this.abort) {
      this.abort = new AbortController();
      void this.loop(this.abort.signal);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.abort?.abort();
        this.abort = undefined;
      }
    };
  }

  private emit(event: Parameters<EntryListener>[0]): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One failing view must not stop the others.
      }
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const interval = Math.max(1000, this.options.intervalMs ?? 2500);
    let cookie: string | null = null;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const wait = this.client.budget.waitMs();
        if (wait > 0) this.emit({ throttled: wait });
        this.requests++;
        const page = await this.client.tail(this.source, cookie, signal);
        // Keep the old cookie when a reply has none, so nothing is read twice from the start.
        cookie = page.pagedResultsCookie ?? cookie;
        failures = 0;
        const lines = this.dedupe
          .fresh(page.result)
          .map(toScriptLine)
          .filter((l): l is ScriptLine => l !== undefined);
        if (lines.length) this.emit({ entries: lines });
        // A full page means more is waiting: read on at once (the budget still paces it).
        if (page.result.length >= LOG_LIMITS.pageSize) continue;
      } catch (err) {
        if (signal.aborted || isAbort(err)) return;
        this.emit({ error: err });
        if (err instanceof LogsUnavailableError) return;
        failures++;
      }
      try {
        await sleep(failures ? Math.min(30_000, interval * 2 ** failures) : interval, signal);
      } catch {
        return;
      }
    }
  }
}

/** One tail per tenant and source in this process. */
export class LogTailHub {
  private tails = new Map<string, LogTail>();

  constructor(private readonly options: TailOptions = {}) {}

  tail(tenant: string, client: LogClient, source = SCRIPT_SOURCE): LogTail {
    const key = `${tenant}\u0000${source}`;
    let tail = this.tails.get(key);
    if (!tail || tail.client !== client) {
      tail = new LogTail(client, { ...this.options, source });
      this.tails.set(key, tail);
    }
    return tail;
  }
}

export interface RunLogsOptions {
  /** Only lines with this job's push marker (docs/logs.md "Markers"). */
  markedOnly?: boolean;
  /** How long to keep reading after the run ended; default LATE_MS + two tails. */
  lingerMs?: number;
  now?: () => number;
}

/**
 * The lines of one run: a backfill from the run's start when it started before the tail's first
 * 15 s, then the shared tail, each line tested against the run's window and job. Call `ended` when
 * the run reaches its final state; the follower stops by itself a little later.
 */
export class RunLogs {
  readonly done: Promise<void>;
  private finish!: () => void;
  private unsubscribe: (() => void) | undefined;
  private window: RunWindow;
  private stopped = false;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private readonly delivered = new Set<string>();

  constructor(
    private readonly tail: LogTail,
    run: RunWindow,
    private readonly listener: LogListener,
    private readonly options: RunLogsOptions = {},
  ) {
    this.window = { ...run };
    this.now = options.now ?? Date.now;
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  start(): this {
    this.unsubscribe = this.tail.subscribe((event) => {
      if ('entries' in event) this.deliver(event.entries);
      else if ('throttled' in event) this.listener({ type: 'throttled', retryInMs: event.throttled });
      else if (event.error instanceof LogsUnavailableError) {
        this.listener({ type: 'unavailable', availability: event.error.availability });
        this.stop();
      } else this.listener({ type: 'error', message: messageOf(event.error) });
    });
    void this.backfill();
    if (this.window.ended) this.ended(this.window.ended);
    return this;
  }

  /** The run reached its final state at `at` (ISO; the tenant's `ended`, or now). */
  ended(at?: string): void {
    this.window.ended = at ?? new Date(this.now()).toISOString();
    if (this.lingerTimer || this.stopped) return;
    const linger = this.options.lingerMs ?? LATE_MS + 5000;
    this.lingerTimer = setTimeout(() => this.stop(), linger);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.abort.abort();
    this.unsubscribe?.();
    this.finish();
  }

  private deliver(lines: ScriptLine[]): void {
    // The backfill and the tail overlap, and a tail's last entry may come twice.
    const mine = lines.filter((l) => belongsToRun(l, this.window, this.options) && this.fresh(l));
    if (mine.length && !this.stopped) this.listener({ type: 'lines', lines: mine });
  }

  private fresh(l: ScriptLine): boolean {
    const key = `${l.time}\u0000${l.source}\u0000${l.level}\u0000${l.job ?? ''}\u0000${l.message}`;
    if (this.delivered.has(key)) return false;
    this.delivered.add(key);
    return true;
  }

  /** The tail's first reply covers about 15 s: lines from before that come from `/monitoring/logs`. */
  private async backfill(): Promise<void> {
    const started = Date.parse(this.window.started);
    if (Number.isNaN(started) || this.now() - started < LOG_LIMITS.firstTailMs - 1000) return;
    try {
      for await (const entries of this.tail.client.entries(
        {
          source: this.tail.source,
          beginTime: new Date(
            Math.max(started - 1000, this.now() - LOG_LIMITS.maxWindowMs + 60_000),
          ).toISOString(),
          endTime: new Date(this.now()).toISOString(),
        },
        this.abort.signal,
      )) {
        const lines = entries.map(toScriptLine).filter((l): l is ScriptLine => l !== undefined);
        this.deliver(lines);
      }
    } catch (err) {
      if (this.stopped || isAbort(err)) return;
      if (err instanceof LogsUnavailableError) return; // the tail reports it
      this.listener({ type: 'error', message: `reading the run's earlier lines failed: ${messageOf(err)}` });
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
