/**
 * Scheduler job configuration: normalization and validation of a request body (idm-api.md §2.1) and
 * the response shape with the fields the server adds (§2.2, §2.4).
 */
import { checkCron } from '../core/job/cron';
import { CrestError } from './crest';

export type TriggerType = 'cron' | 'simple';
export type MisfirePolicy = 'fireAndProceed' | 'doNothing';

export interface JobConfig {
  enabled: boolean;
  persisted: boolean;
  recoverable: boolean;
  misfirePolicy: MisfirePolicy;
  schedule: string | null;
  repeatInterval: number;
  repeatCount: number;
  type: TriggerType;
  invokeService: string;
  invokeContext: unknown;
  invokeLogLevel: string;
  startTime: string | null;
  endTime: string | null;
  concurrentExecution: boolean;
  /** Kept for cron evaluation; not echoed, as AIC/IDM 8 job reads do not show it (§2.1). */
  timeZone: string | null;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** What went wrong where; `strict` picks 400 where the platform is known to answer 500. */
export interface NormalizeOptions {
  creating: boolean;
  strict: boolean;
  /** `persisted` when a create leaves it out: AIC true, the fork false (§2.1, §7). */
  persistedDefault?: boolean;
}

function fail(creating: boolean, field: string, problem: string): never {
  // §2.1: a wrongly typed field is reported by the platform only as "Error creating/updating schedule";
  // the detail names the field so a person can fix it.
  throw new CrestError(400, creating ? 'Error creating schedule' : 'Error updating schedule', {
    field,
    problem,
  });
}

function bool(body: Record<string, unknown>, field: string, fallback: boolean, creating: boolean): boolean {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return fail(creating, field, `'${field}' must be true or false, got ${JSON.stringify(v)}`);
}

function int(
  body: Record<string, unknown>,
  field: string,
  fallback: number,
  min: number,
  creating: boolean,
): number {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    return fail(creating, field, `'${field}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function text(body: Record<string, unknown>, field: string, creating: boolean): string | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string')
    return fail(creating, field, `'${field}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** A date-time as the scheduler accepts it: `yyyy-MM-ddTHH:mm:ss`, optional millis and offset (§2.1). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses a start/end time; a value with no offset is read in UTC, the emulator's "JVM zone". */
export function parseScheduleTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${m[8] ?? 'Z'}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function validTimeZone(zone: string): boolean {
  try {
    return (
      new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone === zone ||
      zone === 'UTC'
    );
  } catch {
    return false;
  }
}

/** idm-api.md §2.1: defaults, expansion of `invokeService`, and the platform's validation errors. */
export function normalizeJob(raw: unknown, options: NormalizeOptions): JobConfig {
  const { creating, strict } = options;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CrestError(400, creating ? 'Error creating schedule' : 'Error updating schedule', {
      problem: 'the request body must be a JSON object',
    });
  }
  const body = raw as Record<string, unknown>;
  const rawType = body.type === undefined || body.type === null || body.type === '' ? 'cron' : body.type;
  if (rawType !== 'cron' && rawType !== 'simple') {
    throw new CrestError(400, `Specified type value invalid: ${String(rawType)}`);
  }
  const type = rawType;
  const schedule = text(body, 'schedule', creating);
  if (type === 'cron') {
    if (!schedule || !schedule.trim())
      throw new CrestError(400, 'A schedule of type cron must provide a cron schedule');
    const problems = checkCron(schedule);
    if (problems.length > 0) {
      // §2.1: a malformed expression reaches Quartz and comes back as 500 on the platform.
      const message = `Invalid cron expression '${schedule}': ${problems.map((p) => p.message).join('; ')}`;
      throw new CrestError(strict ? 400 : 500, message);
    }
  }
  const misfirePolicy = body.misfirePolicy ?? 'fireAndProceed';
  if (type === 'cron' && misfirePolicy !== 'fireAndProceed' && misfirePolicy !== 'doNothing') {
    throw new CrestError(400, `Invalid misfire policy: ${String(misfirePolicy)}`);
  }
  const timeZone = text(body, 'timeZone', creating);
  if (timeZone !== null && !validTimeZone(timeZone)) {
    throw new CrestError(400, `Scheduler configured timezone is not understood: ${timeZone}`);
  }
  const invokeService = body.invokeService;
  if (typeof invokeService !== 'string' || invokeService.trim() === '') {
    throw new CrestError(
      400,
      `Invalid scheduler configuration, the invokeService property needs to be set but is empty. Complete config:${JSON.stringify(body)}`,
    );
  }
  const startTime = text(body, 'startTime', creating);
  const endTime = text(body, 'endTime', creating);
  for (const [field, value] of [
    ['startTime', startTime],
    ['endTime', endTime],
  ] as const) {
    if (value !== null && parseScheduleTime(value) === undefined) {
      // §2.1: Joda's IllegalArgumentException becomes a 500 on the platform.
      throw new CrestError(
        strict ? 400 : 500,
        `Invalid format: "${value}" in '${field}'; expected yyyy-MM-ddTHH:mm:ss with an optional offset such as Z or +05:00`,
      );
    }
  }
  const invokeLogLevel = text(body, 'invokeLogLevel', creating) ?? 'info';
  if (!LOG_LEVELS.includes(invokeLogLevel)) {
    fail(creating, 'invokeLogLevel', `'invokeLogLevel' must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    enabled: bool(body, 'enabled', true, creating),
    // §2.1: AIC defaults persisted to true (the fork's create path says false).
    persisted: bool(body, 'persisted', options.persistedDefault ?? true, creating),
    recoverable: bool(body, 'recoverable', false, creating),
    misfirePolicy: misfirePolicy as MisfirePolicy,
    schedule: type === 'cron' ? schedule : null,
    repeatInterval: type === 'simple' ? int(body, 'repeatInterval', 0, 0, creating) : 0,
    repeatCount: type === 'simple' ? int(body, 'repeatCount', -1, -1, creating) : 0,
    type,
    // §2.1: a value with no dot gets the org.forgerock.openidm. prefix.
    invokeService: invokeService.includes('.') ? invokeService : `org.forgerock.openidm.${invokeService}`,
    invokeContext: body.invokeContext ?? null,
    invokeLogLevel,
    startTime,
    endTime,
    concurrentExecution: bool(body, 'concurrentExecution', false, creating),
    timeZone,
  };
}

/** The service a job invokes, with the prefix stripped again as at fire time (§2.1). */
export function serviceOf(job: JobConfig): string {
  return job.invokeService.replace(/^org\.forgerock\.openidm\./, '');
}

export function isoMillis(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export interface JobState {
  id: string;
  config: JobConfig;
  paused: boolean;
  nextFire: number | null;
  previousFire: number | null;
  timesTriggered: number;
}

/** §2.4: the trigger object in the AIC/IDM 8 shape. */
export function triggerOf(job: JobState): Record<string, unknown> {
  const c = job.config;
  return {
    _id: `scheduler-service-group.trigger-${job.id}`,
    calendar: null,
    group: 'scheduler-service-group',
    jobKey: `scheduler-service-group.${job.id}`,
    name: `trigger-${job.id}`,
    nodeId: null,
    previousState: null,
    state: job.paused ? 'PAUSED' : job.nextFire === null ? 'COMPLETE' : 'NORMAL',
    serialized: {
      type: c.type === 'cron' ? 'CronTriggerImpl' : 'SimpleTriggerImpl',
      ...(c.type === 'cron'
        ? { cronEx: { cronExpression: c.schedule, timeZone: c.timeZone ?? 'Etc/UTC' } }
        : {}),
      calendarName: null,
      complete: job.nextFire === null,
      description: null,
      endTime: c.endTime === null ? null : parseScheduleTime(c.endTime),
      fireInstanceId: null,
      group: 'scheduler-service-group',
      jobDataMap: {
        'scheduler.invokeService': c.invokeService,
        'scheduler.config-name': `scheduler-${job.id}`,
        'scheduler.invokeContext': c.invokeContext,
        'scheduler.invokeLogLevel': c.invokeLogLevel,
      },
      jobGroup: 'scheduler-service-group',
      jobName: job.id,
      // §2.1: fireAndProceed is FIRE_ONCE_NOW (1), doNothing is DO_NOTHING (2); simple triggers always fire now.
      misfireInstruction: c.type === 'simple' || c.misfirePolicy === 'fireAndProceed' ? 1 : 2,
      name: `trigger-${job.id}`,
      nextFireTime: job.nextFire,
      previousFireTime: job.previousFire,
      priority: 5,
      repeatCount: c.repeatCount,
      repeatInterval: c.repeatInterval,
      startTime: c.startTime === null ? null : parseScheduleTime(c.startTime),
      timesTriggered: job.timesTriggered,
      volatility: false,
    },
  };
}

/**
 * The job as OpenIDM 6.1.0 answers it (observed, shared openidm/recorded/): no `recoverable`,
 * `repeatInterval`, `repeatCount` or `previousRunDate`; `timeZone` echoed.
 */
function forkJob(job: JobState): Record<string, unknown> {
  const c = job.config;
  return {
    enabled: c.enabled,
    persisted: c.persisted,
    misfirePolicy: c.misfirePolicy,
    schedule: c.schedule,
    type: c.type,
    invokeService: c.invokeService,
    invokeContext: c.invokeContext,
    invokeLogLevel: c.invokeLogLevel,
    timeZone: c.timeZone,
    startTime: c.startTime,
    endTime: c.endTime,
    concurrentExecution: c.concurrentExecution,
    triggers: c.enabled && (job.nextFire !== null || job.paused) ? [triggerOf(job)] : [],
    nextRunDate: c.enabled && !job.paused ? isoMillis(job.nextFire) : null,
  };
}

/** §2.2: the job as the API returns it, in AIC's field order; `timeZone` is not echoed. */
export function renderJob(
  job: JobState,
  options: { withId?: boolean; aicFields?: boolean } = {},
): Record<string, unknown> {
  const c = job.config;
  const out: Record<string, unknown> = options.withId === false ? {} : { _id: job.id };
  if (options.aicFields === false) return Object.assign(out, forkJob(job));
  Object.assign(out, {
    enabled: c.enabled,
    persisted: c.persisted,
    recoverable: c.recoverable,
    misfirePolicy: c.misfirePolicy,
    schedule: c.schedule,
    repeatInterval: c.repeatInterval,
    repeatCount: c.repeatCount,
    type: c.type,
    invokeService: c.invokeService,
    invokeContext: c.invokeContext,
    invokeLogLevel: c.invokeLogLevel,
    startTime: c.startTime,
    endTime: c.endTime,
    concurrentExecution: c.concurrentExecution,
    // §2.1: a disabled job has no trigger at all.
    triggers: c.enabled && (job.nextFire !== null || job.paused) ? [triggerOf(job)] : [],
    previousRunDate: isoMillis(job.previousFire),
    nextRunDate: c.enabled && !job.paused ? isoMillis(job.nextFire) : null,
  });
  return out;
}
