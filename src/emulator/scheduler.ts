/**
 * The scheduler (idm-api.md §2.3, §3): cron triggers with Quartz semantics from core, simple triggers,
 * misfires, pause/resume, `concurrentExecution`, and dispatch to the invoked service. Time comes from
 * an injectable clock; `tick()` fires whatever is due, and a timer calls it while the emulator runs.
 */
import { nextFireTimes } from '../core/job/cron';
import { CrestError } from './crest';
import { JobConfig, parseScheduleTime, serviceOf } from './jobs';
import { JobOrigin, JobTable, StoredJob } from './jobtable';
import { TaskScanner } from './scanner';

/** Quartz's default `org.quartz.jobStore.misfireThreshold`: a fire later than this is a misfire. */
export const MISFIRE_THRESHOLD_MS = 60_000;

export interface SchedulerOptions {
  jobs: JobTable;
  scanner: TaskScanner;
  clock: () => Date;
  log: (line: string) => void;
  /** Runs a job whose invokeService is `script` (invokeContext.script). */
  runScript: (jobId: string, invokeContext: unknown) => Promise<void>;
  tickMs?: number;
  /** OpenIDM flavour: a simple job fires once, this long after it is written, then is deleted (flavor.ts). */
  simpleFiresOnceAfterMs?: number;
}

function cronAfter(config: JobConfig, after: number): number | null {
  const next = nextFireTimes(config.schedule!, new Date(after), 1, config.timeZone ?? 'UTC')[0];
  return next ? next.getTime() : null;
}

function bounded(config: JobConfig, next: number | null): number | null {
  const end = config.endTime === null ? undefined : parseScheduleTime(config.endTime);
  return next !== null && end !== undefined && next > end ? null : next;
}

/** The first fire time of a (re)created trigger (§2.3: a simple job with no startTime fires at once). */
export function firstFire(config: JobConfig, now: number): number | null {
  if (!config.enabled) return null;
  const start = config.startTime === null ? undefined : parseScheduleTime(config.startTime);
  if (config.type === 'cron') return bounded(config, cronAfter(config, Math.max(now, (start ?? now) - 1)));
  return bounded(config, start !== undefined && start > now ? start : now);
}

/** The fire after one at `scheduled`, fired at `firedAt` (the count includes this fire). */
export function fireAfter(
  config: JobConfig,
  scheduled: number,
  firedAt: number,
  timesTriggered: number,
): number | null {
  if (config.type === 'cron') return bounded(config, cronAfter(config, Math.max(scheduled, firedAt)));
  // Total firings = repeatCount + 1 (§2.1). A zero interval fires once: Quartz refuses a repeating
  // trigger with no interval, and the fork's simple trigger fires once.
  if (config.repeatInterval <= 0) return null;
  if (config.repeatCount !== -1 && timesTriggered > config.repeatCount) return null;
  const next = scheduled + config.repeatInterval;
  // Simple triggers always use FIRE_NOW on a misfire: reschedule from now with the remaining count.
  return bounded(config, next <= firedAt - MISFIRE_THRESHOLD_MS ? firedAt + config.repeatInterval : next);
}

export class Scheduler {
  private readonly executing = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    const dropped = this.o.jobs.dropVolatile();
    if (dropped.length)
      this.o.log(`scheduler: non-persisted jobs not restored after restart: ${dropped.join(', ')}`);
    this.timer = setInterval(() => void this.tick(), this.o.tickMs ?? 250);
  }

  /** No more fires from now on (running jobs go on). */
  halt(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Halts and waits for the jobs being started or run by the scheduler. */
  async stop(): Promise<void> {
    this.halt();
    await this.ticking;
    await Promise.all([...this.inflight]);
  }

  /** Creates or replaces a job: update is delete + re-create, so the trigger starts afresh (§2.3). */
  put(id: string, config: JobConfig, origin: JobOrigin): StoredJob {
    const job: StoredJob = {
      id,
      config,
      origin,
      paused: false,
      nextFire: this.firstFire(config),
      previousFire: null,
      timesTriggered: 0,
    };
    this.o.jobs.put(job);
    // A simple job without startTime is due now: fire it without waiting for the timer.
    if (job.nextFire !== null && job.nextFire <= this.o.clock().getTime())
      setImmediate(() => void this.tick());
    return job;
  }

  private firstFire(config: JobConfig): number | null {
    const now = this.o.clock().getTime();
    const once = this.o.simpleFiresOnceAfterMs;
    // OpenIDM 6.1.0: about 3 s after the PUT, whatever the repeat settings (shared openidm/README.md item 2).
    if (once !== undefined && config.type === 'simple' && config.enabled) return now + once;
    return firstFire(config, now);
  }

  delete(id: string): StoredJob | undefined {
    const job = this.o.jobs.get(id);
    if (job) this.o.jobs.delete(id);
    return job;
  }

  /** §3.1 per-job trigger: fire now. */
  trigger(id: string): void {
    const job = this.o.jobs.get(id);
    if (!job) throw new CrestError(404, 'Schedule does not exist');
    if (!job.config.enabled)
      throw new CrestError(
        400,
        `A scheduled task must be enabled before it can be triggered: '${id}' is disabled`,
      );
    const now = this.o.clock().getTime();
    job.previousFire = now;
    job.timesTriggered++;
    this.o.jobs.put(job);
    this.dispatch(job);
  }

  setPaused(id: string, paused: boolean): void {
    const job = this.o.jobs.get(id);
    if (!job) throw new CrestError(404, 'Schedule does not exist');
    job.paused = paused;
    this.o.jobs.put(job);
  }

  setAllPaused(paused: boolean): void {
    for (const job of this.o.jobs.all()) {
      job.paused = paused;
      this.o.jobs.put(job);
    }
  }

  /** Jobs running right now on this node (§3.1 listCurrentlyExecutingJobs). */
  currentlyExecuting(): StoredJob[] {
    return [...this.executing.keys()]
      .map((id) => this.o.jobs.get(id))
      .filter((j): j is StoredJob => j !== undefined);
  }

  /** Fires every due job once; safe to call at any time (calls do not overlap). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= Promise.resolve()
      .then(() => this.fireDue())
      .catch((err: unknown) => this.o.log(`scheduler: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private fireDue(): void {
    const now = this.o.clock().getTime();
    for (const job of this.o.jobs.due(now)) {
      // concurrentExecution false: a running job's trigger is BLOCKED until it finishes (§2.1).
      if (!job.config.concurrentExecution && this.executing.has(job.id)) continue;
      const scheduled = job.nextFire!;
      const misfired = now - scheduled > MISFIRE_THRESHOLD_MS;
      const fire = !(misfired && job.config.type === 'cron' && job.config.misfirePolicy === 'doNothing');
      if (misfired) {
        this.o.log(
          `scheduler: job '${job.id}' misfired (due ${new Date(scheduled).toISOString()}); ${fire ? 'firing once now' : 'skipped (doNothing)'}`,
        );
      }
      if (fire) {
        job.previousFire = now;
        job.timesTriggered++;
      }
      job.nextFire = fireAfter(job.config, scheduled, now, job.timesTriggered);
      if (misfired && job.config.type === 'cron')
        job.nextFire = bounded(job.config, cronAfter(job.config, now));
      // OpenIDM 6.1.0: a simple job deletes itself once it has fired (README item 2).
      if (this.o.simpleFiresOnceAfterMs !== undefined && job.config.type === 'simple') {
        this.o.jobs.delete(job.id);
        this.o.log(`scheduler: simple job '${job.id}' fired once and is deleted, as OpenIDM 6.1.0 does`);
      } else this.o.jobs.put(job);
      if (fire) this.dispatch(job);
    }
  }

  private dispatch(job: StoredJob): void {
    this.executing.set(job.id, (this.executing.get(job.id) ?? 0) + 1);
    const task = this.invoke(job)
      .catch((err: unknown) =>
        this.o.log(`scheduler: job '${job.id}' failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        const n = (this.executing.get(job.id) ?? 1) - 1;
        if (n <= 0) this.executing.delete(job.id);
        else this.executing.set(job.id, n);
        this.inflight.delete(task);
      });
    this.inflight.add(task);
  }

  private async invoke(job: StoredJob): Promise<void> {
    const service = serviceOf(job.config);
    if (service === 'taskscanner') {
      const { runId } = await this.o.scanner.execute(job.id, job.config.invokeContext);
      this.o.log(`scheduler: job '${job.id}' started task-scan run ${runId}`);
    } else if (service === 'script') {
      await this.o.runScript(job.id, job.config.invokeContext);
    } else {
      // §2.1: no matching service: the job "fires" and only logs.
      this.o.log(`scheduler: Scheduled service "${job.config.invokeService}" not found (job '${job.id}')`);
    }
  }
}
