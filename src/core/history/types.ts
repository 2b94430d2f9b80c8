/**
 * The model of run history that outlives the tenant (docs/logs.md "History"). The platform keeps only
 * the newest 100 finished runs per node and never gives a cancelled run an end time (idm-api.md §4.2,
 * §4.5), so every run this client sees is kept locally, per tenant, with no secret in it.
 */
import type { RunState } from '../tenant/types';

/** Progress at one moment of a run this client followed. */
export interface RateSample {
  /** Milliseconds since the run started (or since this client first saw it). */
  atMs: number;
  processed: number;
}

/** One run as this client last saw it. */
export interface HistoryRun {
  runId: string;
  job: string;
  state: RunState;
  processed: number;
  total: number;
  successes: number;
  failures: number;
  /** ISO times from the tenant; `ended` is filled from this client's clock for a cancelled run. */
  started: string | null;
  ended: string | null;
  /** When this client last updated the entry (ISO). */
  seenAt: string;
  /** Progress over time, for runs this client followed; at most MAX_SAMPLES, evenly thinned. */
  samples: RateSample[];
}

/** Bounds of the store (docs/logs.md "History"): it stays small whatever happens. */
export const HISTORY_LIMITS = {
  runsPerJob: 200,
  runsPerTenant: 2000,
  samplesPerRun: 120,
} as const;

/** One row of `scanjobs runs --history` and of the history view: what a chart plots. */
export interface HistoryPoint {
  runId: string;
  state: RunState;
  started: string | null;
  ended: string | null;
  /** ended - started; null while unknown. */
  durationMs: number | null;
  /** Objects processed per second over the run; null when the duration is unknown or zero. */
  throughput: number | null;
  processed: number;
  total: number;
  failures: number;
}

/** Where history lives and how it is read and written; one per tenant. */
export interface HistoryStore {
  /** Adds or updates runs (by run id); keeps the bounds. */
  record(runs: HistoryRun[]): Promise<void>;
  /** Every kept run of the tenant, oldest first (by start time). */
  list(): Promise<HistoryRun[]>;
}
