/**
 * When to poll next (DESIGN.md "Poll with discipline"): quick while a run is starting, then slower,
 * but aimed at the moment the run should end, so the final state is seen soon after it happens
 * without a poll every second in between. Never faster than `floorMs` (at least one second).
 */
export interface PaceOptions {
  /** The first intervals, while the run is starting (default 1000 ms). */
  firstIntervalMs?: number;
  /** How many polls keep the first interval (default 2). */
  quickPolls?: number;
  /** Each later interval is the previous one times this (default 1.8). */
  growth?: number;
  /** The longest interval (default 10 000 ms). */
  maxIntervalMs?: number;
}

export const MIN_INTERVAL_MS = 1000;

export class Pace {
  private interval: number;
  private polls = 0;
  private readonly first: number;
  private readonly quick: number;
  private readonly growth: number;
  private readonly max: number;

  constructor(options: PaceOptions = {}) {
    this.first = Math.max(MIN_INTERVAL_MS, options.firstIntervalMs ?? 1000);
    this.quick = Math.max(0, options.quickPolls ?? 2);
    this.growth = Math.max(1, options.growth ?? 1.8);
    this.max = Math.max(this.first, options.maxIntervalMs ?? 10_000);
    this.interval = this.first;
  }

  /** The wait after a successful poll; `etaMs` is the expected time until the run ends, if known. */
  next(etaMs: number | undefined): number {
    this.polls++;
    if (this.polls > this.quick) this.interval = Math.min(this.max, this.interval * this.growth);
    let wait = this.interval;
    // Aim just past the predicted end; if the prediction was early, the next one is shorter still.
    if (etaMs !== undefined && etaMs + 250 < wait) wait = etaMs + 250;
    return Math.round(Math.max(MIN_INTERVAL_MS, wait));
  }
}
