// What this client saw of runs it followed: progress over time (for the details chart), when a final
// state was first seen (a CANCELLED or ERROR run has no `ended` on the platform, idm-api.md §4.2), and
// a cancel asked for but not yet confirmed. Fed by watch events; bounded in runs and in samples.
import { FINAL_STATES, type RunRecord } from '../tenant/types';
import type { WatchEvent } from '../watch/events';

export interface ProgressSample {
  /** Epoch ms when the poll answered. */
  at: number;
  processed: number;
  total: number;
  successes: number;
  failures: number;
}

export interface RunSighting {
  tenant: string;
  runId: string;
  /** Oldest first; thinned evenly past the limit, so the whole run keeps its shape. */
  samples: ProgressSample[];
  /** When this client first saw the run in a final state after seeing it unfinished. */
  endSeenAt?: number;
  cancelRequestedAt?: number;
  /** The latest record seen. */
  run?: RunRecord;
  /**
   * When the latest record was read. Samples are kept only when the counts move, so a run whose counts
   * stopped is drawn flat up to this moment: the tenant said those counts then.
   */
  lastSeenAt?: number;
  /** This client knows the run was unfinished once (a poll said so, or the tenant accepted a cancel). */
  sawUnfinished?: boolean;
}

export interface SightingsOptions {
  maxSamples?: number;
  maxRuns?: number;
  now?: () => number;
}

type Listener = (tenant: string, runId: string) => void;

export class RunSightings {
  private readonly runs = new Map<string, RunSighting>();
  private readonly listeners = new Set<Listener>();
  private readonly maxSamples: number;
  private readonly maxRuns: number;
  private readonly now: () => number;

  constructor(options: SightingsOptions = {}) {
    this.maxSamples = Math.max(4, options.maxSamples ?? 600);
    this.maxRuns = Math.max(1, options.maxRuns ?? 200);
    this.now = options.now ?? Date.now;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(tenant: string, runId: string): RunSighting | undefined {
    return this.runs.get(key(tenant, runId));
  }

  /** A listener for one tenant's watch events (RunWatchHub.follow). */
  listener(tenant: string): (event: WatchEvent) => void {
    return (event) => {
      if (event.type === 'state' || event.type === 'progress' || event.type === 'final')
        this.see(tenant, event.run);
    };
  }

  /** Records one poll's answer. */
  see(tenant: string, run: RunRecord, at = this.now()): void {
    const s = this.entry(tenant, run._id);
    s.run = run;
    s.lastSeenAt = at;
    const p = run.progress;
    const last = s.samples[s.samples.length - 1];
    if (
      !last ||
      last.processed !== p.processed ||
      last.total !== p.total ||
      last.failures !== p.failures ||
      FINAL_STATES.has(p.state)
    ) {
      if (!(last && last.at === at))
        s.samples.push({
          at,
          processed: p.processed,
          total: p.total,
          successes: p.successes,
          failures: p.failures,
        });
      if (s.samples.length > this.maxSamples) s.samples = thin(s.samples);
    }
    if (FINAL_STATES.has(p.state)) {
      if (s.sawUnfinished && s.endSeenAt === undefined) s.endSeenAt = at;
      s.cancelRequestedAt = undefined;
    } else s.sawUnfinished = true;
    this.fire(tenant, run._id);
  }

  /** This client asked the tenant to cancel the run (§4.3). */
  cancelRequested(tenant: string, runId: string): void {
    this.entry(tenant, runId).cancelRequestedAt = this.now();
    this.fire(tenant, runId);
  }

  /**
   * The tenant accepted the cancel (§4.3 SUCCESS), so the run was unfinished when it was asked. When a
   * poll already saw the final state before this answer came, the end is taken as now: an upper bound.
   */
  cancelAccepted(tenant: string, runId: string): void {
    const s = this.entry(tenant, runId);
    s.sawUnfinished = true;
    if (s.run && FINAL_STATES.has(s.run.progress.state) && s.endSeenAt === undefined) {
      s.endSeenAt = this.now();
      this.fire(tenant, runId);
    }
  }

  /** The cancel was refused or failed: the run is no longer "Cancelling…". */
  cancelSettled(tenant: string, runId: string): void {
    const s = this.get(tenant, runId);
    if (s?.cancelRequestedAt === undefined) return;
    s.cancelRequestedAt = undefined;
    this.fire(tenant, runId);
  }

  isCancelling(tenant: string, runId: string): boolean {
    return this.get(tenant, runId)?.cancelRequestedAt !== undefined;
  }

  private entry(tenant: string, runId: string): RunSighting {
    const k = key(tenant, runId);
    let s = this.runs.get(k);
    if (!s) {
      s = { tenant, runId, samples: [] };
      this.runs.set(k, s);
      // The oldest sighting goes first (a Map keeps insertion order).
      while (this.runs.size > this.maxRuns) this.runs.delete(this.runs.keys().next().value as string);
    }
    return s;
  }

  private fire(tenant: string, runId: string): void {
    for (const l of [...this.listeners]) l(tenant, runId);
  }
}

const key = (tenant: string, runId: string) => `${tenant}\u0000${runId}`;

/** Every other sample, keeping the first and the last. */
function thin(samples: ProgressSample[]): ProgressSample[] {
  const out = samples.filter((_, i) => i % 2 === 0);
  const last = samples[samples.length - 1];
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}
