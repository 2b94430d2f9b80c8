// A job's history as the history view shows it: its last runs (from core/history's store, which
// outlives the tenant's 100 kept runs, idm-api.md §4.5) as three bar charts, duration, throughput and
// failures, one bar per run, oldest on the left.
import { historyPoints } from '../history/record';
import type { HistoryPoint, HistoryRun } from '../history/types';
import { formatDuration } from '../watch/progress';
import { barChart, shortNumber, type BarValue, type ChartModel } from './chart';
import { shortRunId } from './identity';

export interface JobHistoryView {
  tenant: string;
  job: string;
  /** The runs charted, oldest first. */
  runs: HistoryPoint[];
  /** How many runs of the job the store keeps in all. */
  kept: number;
  charts: ChartModel[] | { unavailable: string };
}

/** Runs shown at most: the charts stay readable (a bar per run). */
export const HISTORY_VIEW_RUNS = 40;

/** The colour class of a run's bars: what kind of end it had. */
function cls(p: HistoryPoint): string {
  if (p.state === 'CANCELLED') return 'cancelled';
  if (p.state === 'ERROR') return 'failed';
  return p.failures > 0 ? 'warn' : '';
}

/** A run's start as an axis tick: to the minute, or to the second when two shown runs share a minute. */
const startText = (p: HistoryPoint, seconds = false) =>
  p.started ? p.started.slice(5, seconds ? 19 : 16).replace('T', ' ') : '?';

export function jobHistoryView(
  tenant: string,
  job: string,
  runs: HistoryRun[],
  limit = HISTORY_VIEW_RUNS,
): JobHistoryView {
  const all = historyPoints(runs, job).filter((p) => p.state !== 'ACTIVE' && p.state !== 'INITIALIZED');
  const shown = all.slice(-limit);
  if (shown.length === 0)
    return {
      tenant,
      job,
      runs: [],
      kept: 0,
      charts: {
        unavailable: `No finished run of ${job} is known yet: runs are kept here as this client sees them (in the Tenants or Runs view, or by following them).`,
      },
    };
  const minutes = shown.map((p) => startText(p));
  const seconds = new Set(minutes).size < minutes.length;
  const tick = (p: HistoryPoint) => startText(p, seconds);
  const bars = (value: (p: HistoryPoint) => number | null, colour?: string): BarValue[] =>
    shown.map((p) => ({
      label: `${shortRunId(p.runId)} ${tick(p)} ${p.state}`,
      tick: tick(p),
      value: value(p),
      cls: colour ?? cls(p),
    }));
  const known = shown.filter((p) => p.durationMs !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const durations = known.map((p) => p.durationMs as number);
  const throughputs = shown.map((p) => p.throughput).filter((t): t is number => t !== null);
  const failed = shown.reduce((n, p) => n + p.failures, 0);
  return {
    tenant,
    job,
    runs: shown,
    kept: all.length,
    charts: [
      barChart(
        'Duration',
        bars((p) => p.durationMs),
        (v) => formatDuration(v),
        known.length
          ? `Mean duration ${formatDuration(mean(durations))} over ${known.length} of the last ${shown.length} runs with a known end.`
          : 'No run with a known end: a cancelled run has none unless this client saw it end.',
      ),
      barChart(
        'Throughput',
        bars((p) => p.throughput),
        (v) => `${shortNumber(v)}/s`,
        throughputs.length
          ? `Mean ${shortNumber(Math.round(mean(throughputs) * 10) / 10)} objects/s.`
          : 'No throughput without a known duration.',
      ),
      barChart(
        'Failures',
        bars((p) => p.failures, 'failed'),
        (v) => shortNumber(v),
        `${failed} failed objects in the last ${shown.length} runs; ${shown.filter((p) => p.failures > 0).length} runs had failures.`,
      ),
    ],
  };
}
