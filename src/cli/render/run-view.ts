import type { CliIO } from '../io';
import { FINAL_STATES, type RunRecord } from '../../core/tenant';
import { formatDuration, type ProgressStats, type WatchEnd, type WatchEvent } from '../../core/watch';
import { EXIT, writeJson } from './session';

/** Durations on the terminal keep tenths of a second: 850 ms, 12.3 s, 4 min 05 s. */
export const duration = (ms: number): string => formatDuration(ms, { tenths: true });

function counts(p: RunRecord['progress']): string {
  return `${p.processed}/${p.total} processed, ${p.successes} succeeded, ${p.failures} failed`;
}

function bar(stats: ProgressStats, width: number): string {
  const frac = stats.total > 0 ? Math.min(1, stats.processed / stats.total) : 0;
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(frac * 100)).padStart(3)}%`;
}

function rateText(stats: ProgressStats): string {
  const parts: string[] = [];
  if (stats.rate !== undefined) parts.push(`${stats.rate.toFixed(stats.rate < 10 ? 1 : 0)}/s`);
  if (stats.etaMs !== undefined) parts.push(`${duration(stats.etaMs)} left`);
  return parts.join(', ');
}

/**
 * Renders watch events: a bar redrawn in place on a terminal, plain lines otherwise, one JSON
 * object per event with --json.
 */
export class RunView {
  private readonly tty: boolean;
  private drawn = false;

  constructor(
    private readonly io: CliIO,
    private readonly json: boolean,
  ) {
    this.tty = !json && io.stdout.isTTY === true && io.env.TERM !== 'dumb';
  }

  readonly listener = (event: WatchEvent): void => {
    if (this.json) return writeJson(this.io, jsonOf(event));
    switch (event.type) {
      case 'state':
        // A final state is told by the summary line of the final event.
        if (FINAL_STATES.has(event.run.progress.state)) break;
        this.line(
          `${event.run.progress.state}${event.from ? ` (was ${event.from})` : ''}: run ${event.run._id}`,
        );
        break;
      case 'progress': {
        const final = FINAL_STATES.has(event.run.progress.state);
        if (final && !this.tty) break;
        const rate = final ? '' : rateText(event.stats);
        if (this.tty) {
          const width = Math.max(10, Math.min(30, (this.io.stdout.columns ?? 80) - 70));
          this.io.stdout.write(
            `\r\x1b[2K${bar(event.stats, width)} ${counts(event.run.progress)}${rate ? ` · ${rate}` : ''}`,
          );
          this.drawn = true;
        } else {
          this.line(`progress: ${counts(event.run.progress)}${rate ? ` (${rate})` : ''}`);
        }
        break;
      }
      case 'connection-lost':
        this.line(`connection lost (${event.message}); next try in ${duration(event.retryInMs)}`);
        break;
      case 'connection-restored':
        this.line(`connection restored after ${duration(event.downForMs)}`);
        break;
      case 'not-found':
        this.line(event.message);
        break;
      case 'stalled':
        this.line(
          // The platform's behaviour (idm-api.md §4.2); the message describes it without the internal citation.
          `run ${event.run._id} has processed nothing new for ${duration(event.forMs)} (threshold ${duration(event.thresholdMs)}): it looks hung`,
        );
        break;
      case 'final':
        this.line(summary(event.run));
        break;
      case 'stopped':
        if (event.reason === 'stalled') this.io.stderr.write(`${event.message}\n`);
        else this.line(event.message);
        break;
    }
  };

  /** A line of its own between progress updates (a script log line), keeping the bar intact. */
  note(text: string): void {
    this.line(text);
  }

  private line(text: string): void {
    if (this.drawn) this.io.stdout.write('\n');
    this.drawn = false;
    this.io.stdout.write(`${text}\n`);
  }
}

function jsonOf(event: WatchEvent): Record<string, unknown> {
  switch (event.type) {
    case 'state':
      return { event: 'state', state: event.run.progress.state, from: event.from ?? null, run: event.run };
    case 'progress':
      return { event: 'progress', ...event.stats, run: event.run };
    case 'final':
      return { event: 'final', state: event.run.progress.state, run: event.run };
    default: {
      const { type, ...rest } = event;
      return { event: type, ...rest };
    }
  }
}

/** One line for a finished run. */
export function summary(run: RunRecord): string {
  const took =
    run.started && run.ended ? ` in ${duration(Date.parse(run.ended) - Date.parse(run.started))}` : '';
  const skipped =
    run.progress.state === 'COMPLETED' && run.progress.processed < run.progress.total
      ? ` (${run.progress.total - run.progress.processed} skipped or claimed by another run)`
      : '';
  return `Run ${run._id}${run.name ? ` of ${run.name.replace(/^schedule\//, '')}` : ''} ${run.progress.state}${took}: ${counts(run.progress)}${skipped}.`;
}

/** docs/cli.md: 0 completed without failures, 1 completed with failures, 2 cancelled or error. */
export function exitCodeOf(end: WatchEnd): number {
  if (end.type === 'stopped') return end.reason === 'stalled' ? EXIT.stalled : EXIT.error;
  if (end.run.progress.state !== 'COMPLETED') return EXIT.error;
  return end.run.progress.failures > 0 ? EXIT.failures : EXIT.ok;
}
