// The output channel's words for a run (no `vscode` here, so they are plain functions): a line per
// state change, progress lines at most every few seconds, and a final summary (idm-api.md §4.1–4.2).
import type { RunRecord } from '../../core/tenant';
import { shortRunId } from '../../core/run-view';
import { formatDuration, type ProgressStats, type WatchEvent } from '../../core/watch';

export const duration = (ms: number): string => formatDuration(ms);

/** `9f25…-2073`: enough of a run id to tell runs apart in a line (core/run-view). */
export const shortId = shortRunId;

export const percent = (p: RunRecord['progress']): number =>
  p.total > 0 ? Math.min(100, Math.floor((p.processed * 100) / p.total)) : 0;

/** `sunsetTask 9f25… ACTIVE 80/980 (8%) · 80 ok · 0 failed · 120 obj/s · 7 s left` */
export function progressLine(job: string, run: RunRecord, stats?: ProgressStats): string {
  const p = run.progress;
  const parts = [
    `${job} ${shortId(run._id)} ${p.state} ${p.processed}/${p.total} (${percent(p)}%)`,
    `${p.successes} ok`,
    `${p.failures} failed`,
  ];
  if (stats?.rate !== undefined)
    parts.push(`${stats.rate < 10 ? stats.rate.toFixed(1) : Math.round(stats.rate)} obj/s`);
  if (stats?.etaMs !== undefined && p.state === 'ACTIVE') parts.push(`${duration(stats.etaMs)} left`);
  return parts.join(' · ');
}

/** One line for a finished run; skipped objects explain processed < total (§4.1). */
export function summaryLine(job: string, run: RunRecord): string {
  const p = run.progress;
  const took =
    run.started && run.ended ? ` in ${duration(Date.parse(run.ended) - Date.parse(run.started))}` : '';
  const skipped =
    p.state === 'COMPLETED' && p.processed < p.total
      ? ` (${p.total - p.processed} skipped or claimed elsewhere)`
      : '';
  return `${job} ${run._id} ${p.state}${took}: ${p.processed}/${p.total} processed · ${p.successes} ok · ${p.failures} failed${skipped}`;
}

export interface RunLineSink {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/**
 * Turns watch events into output lines. Progress lines are throttled (a watcher may poll every
 * second); state changes and the end are always written.
 */
export class RunLines {
  private lastProgressAt = -Infinity;
  private pending: { run: RunRecord; stats: ProgressStats } | undefined;

  constructor(
    private readonly job: string,
    private readonly sink: RunLineSink,
    private readonly everyMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  readonly listener = (event: WatchEvent): void => {
    switch (event.type) {
      case 'state':
        this.sink.info(
          `${this.job} ${shortId(event.run._id)} ${event.from ? `${event.from} → ` : ''}${event.run.progress.state}`,
        );
        break;
      case 'progress': {
        const at = this.now();
        if (at - this.lastProgressAt >= this.everyMs) {
          this.lastProgressAt = at;
          this.pending = undefined;
          this.sink.info(progressLine(this.job, event.run, event.stats));
        } else this.pending = { run: event.run, stats: event.stats };
        break;
      }
      case 'connection-lost':
        this.sink.warn(
          `${this.job}: connection lost (${event.message}); next try in ${duration(event.retryInMs)}`,
        );
        break;
      case 'connection-restored':
        this.sink.info(`${this.job}: connection restored after ${duration(event.downForMs)}`);
        break;
      case 'not-found':
        this.sink.warn(`${this.job}: ${event.message}`);
        break;
      case 'stalled':
        this.sink.warn(
          // The platform's behaviour (idm-api.md §4.2); the message describes it without the internal citation.
          `${this.job} ${shortId(event.run._id)} has processed nothing new for ${duration(event.forMs)}: it looks hung. ${event.explanation.message}`,
        );
        break;
      case 'final':
        if (this.pending) this.sink.info(progressLine(this.job, event.run, event.stats));
        this.pending = undefined;
        (event.run.progress.state === 'COMPLETED' ? this.sink.info : this.sink.warn).call(
          this.sink,
          summaryLine(this.job, event.run),
        );
        break;
      case 'stopped':
        (event.reason === 'aborted' ? this.sink.info : this.sink.error).call(
          this.sink,
          `${this.job}: ${event.message}`,
        );
        break;
    }
  };
}
