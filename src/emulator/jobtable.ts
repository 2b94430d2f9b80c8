/** Scheduler jobs in the store: the normalized config plus trigger state (next/previous fire, pause). */
import { JobConfig, JobState } from './jobs';
import { Store } from './store';

/** Where a job came from: `/scheduler/job` (dynamic) or `/config/schedule/<name>` (static, §3.2). */
export type JobOrigin = 'dynamic' | 'config';

export interface StoredJob extends JobState {
  origin: JobOrigin;
}

export class JobTable {
  constructor(private readonly store: Store) {}

  private row(r: Record<string, unknown>): StoredJob {
    return {
      id: r.id as string,
      config: JSON.parse(r.config as string) as JobConfig,
      origin: r.origin as JobOrigin,
      paused: Number(r.paused) === 1,
      nextFire: r.next_fire === null ? null : Number(r.next_fire),
      previousFire: r.previous_fire === null ? null : Number(r.previous_fire),
      timesTriggered: Number(r.times_triggered),
    };
  }

  get(id: string): StoredJob | undefined {
    const r = this.store.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id);
    return r ? this.row(r) : undefined;
  }

  all(): StoredJob[] {
    return this.store.db
      .prepare('SELECT * FROM jobs ORDER BY id')
      .all()
      .map((r) => this.row(r));
  }

  /** Jobs whose trigger is due at `now` (enabled, not paused). */
  due(now: number): StoredJob[] {
    return this.store.db
      .prepare(
        'SELECT * FROM jobs WHERE paused = 0 AND next_fire IS NOT NULL AND next_fire <= ? ORDER BY next_fire',
      )
      .all(now)
      .map((r) => this.row(r));
  }

  put(job: StoredJob): void {
    this.store.db
      .prepare(
        `INSERT INTO jobs (id, config, origin, paused, next_fire, previous_fire, times_triggered) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET config = excluded.config, origin = excluded.origin, paused = excluded.paused,
           next_fire = excluded.next_fire, previous_fire = excluded.previous_fire, times_triggered = excluded.times_triggered`,
      )
      .run(
        job.id,
        JSON.stringify(job.config),
        job.origin,
        job.paused ? 1 : 0,
        job.nextFire,
        job.previousFire,
        job.timesTriggered,
      );
  }

  delete(id: string): boolean {
    return this.store.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
  }

  /** §2.1: non-persisted jobs live in the in-memory scheduler and do not survive a restart. */
  dropVolatile(): string[] {
    const ids = this.store.db
      .prepare('SELECT id, config FROM jobs')
      .all()
      .filter((r) => (JSON.parse(r.config as string) as JobConfig).persisted === false)
      .map((r) => r.id as string);
    for (const id of ids) this.delete(id);
    return ids;
  }
}
