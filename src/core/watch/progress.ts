import type { RunRecord } from '../tenant/types';

/** What a progress display needs, computed from successive polls of one run. */
export interface ProgressStats {
  processed: number;
  total: number;
  successes: number;
  failures: number;
  /** Objects per second over the recent window; undefined until two polls differ. */
  rate: number | undefined;
  /** Milliseconds left at the current rate; undefined when unknown. */
  etaMs: number | undefined;
}

interface Sample {
  at: number;
  processed: number;
}

/** Keeps recent (time, processed) samples and derives the rate and time left. */
export class ProgressTracker {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 60_000) {}

  add(run: RunRecord, at: number): ProgressStats {
    const { processed, total, successes, failures } = run.progress;
    const last = this.samples[this.samples.length - 1];
    if (last && processed < last.processed) this.samples = []; // a different run, or a reset counter
    this.samples.push({ at, processed });
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const span = at - first.at;
    const rate =
      span > 0 && processed > first.processed ? ((processed - first.processed) * 1000) / span : undefined;
    const left = Math.max(0, total - processed);
    const etaMs = rate && total > 0 ? (left * 1000) / rate : undefined;
    return { processed, total, successes, failures, rate, etaMs };
  }
}

/**
 * How long something takes, for people: `850 ms`, `12 s` (`12.3 s` with tenths), `4 min 05 s`,
 * `2 h 03 min`. The CLI and the editor's output channel both write run durations with it.
 */
export function formatDuration(ms: number, options: { tenths?: boolean } = {}): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return options.tenths ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return m >= 60
    ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
    : `${m} min ${String(s).padStart(2, '0')} s`;
}
