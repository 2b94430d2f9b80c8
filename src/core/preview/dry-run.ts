/**
 * Dry Run: the job run for real, with its own script, threads and task state, on a private copy of
 * up to N of its matches (docs/preview.md). The source tenant is only read (GETs through
 * ManagedSource and the schema read); every write lands on the private tenant, which the caller
 * starts and core drives over HTTP like any tenant.
 */
import { TenantClient, RunRecord } from '../tenant';
import { Change, jsonChanges } from './changes';
import { ManagedObject, ManagedSource } from './managed-source';
import { ManagedObjectCopy, PrivateTenant, StartPrivateTenant } from './private-tenant';
import { readScanQuery } from './scan-query';
import { classifyTaskState, pointerSegments, valueAt } from './task-state';

export const DRY_RUN_SAMPLE_DEFAULT = 100;
export const DRY_RUN_SAMPLE_MAX = 10_000;

export type DryRunStatus = 'succeeded' | 'failed' | 'error' | 'skipped' | 'not-run';

export interface DryRunLogLine {
  level: string;
  message: string;
}

export interface DryRunResult {
  id: string;
  /** succeeded: the script returned true; failed: another value; error: it threw (or the worker stopped). */
  status: DryRunStatus;
  /** `true`, or the other value the script ended with (`false`, `null`, or its type), or null. */
  result: unknown;
  error: string | null;
  before: Record<string, unknown>;
  /** null when the script deleted the object. */
  after: Record<string, unknown> | null;
  changes: Change[];
  /** The script's logger lines for this object. */
  logs: DryRunLogLine[];
}

export interface TouchedObject {
  /** `managed/<object>/<id>`. */
  resource: string;
  /** openidm.* operations the scripts used on it. */
  operations: string[];
  /** Read from the source tenant on demand (and copied); false when the source has no such object. */
  fromSource: boolean;
}

export interface DryRunReport {
  tenant: string;
  object: string;
  sampled: number;
  results: DryRunResult[];
  /** What the real run would report for these objects (idm-api.md §4.1, §5.6). */
  totals: { processed: number; successes: number; failures: number };
  /** Requests that changed the source tenant: none, by construction (the source is only read). */
  writesToTenant: 0;
  /** GETs sent to the source tenant. */
  sourceReads: number;
  touched: TouchedObject[];
  /** The run on the copy: its final state. */
  runState: RunRecord['progress']['state'];
  /** Where the private tenant's data was kept, when asked to keep it. */
  kept?: string;
  notes: string[];
}

export interface DryRunOptions {
  /** Matches to copy and run on (default 100, at most 10,000). */
  sample?: number;
  keep?: boolean;
  /** The job's name on the copy (default `dry-run`). */
  jobName?: string;
  /** Rounds of fetching objects scripts read but the copy lacked (default 3). */
  maxRounds?: number;
  now?: Date;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

/** A client that counts what it sends, so the report can say how many reads reached the source. */
function countingSource(client: TenantClient): { client: TenantClient; reads: () => number } {
  let reads = 0;
  const http = client.http;
  const request = http.request.bind(http);
  const counted = Object.create(http) as typeof http;
  counted.request = ((req) => {
    // The dry run is read-only toward the source: a write here is a bug, refused before it is sent.
    if (req.method !== 'GET')
      throw new Error(`dry run: refused to send ${req.method} ${req.path} to the source tenant`);
    reads++;
    return request(req);
  }) as typeof http.request;
  const wrapped = Object.create(client) as TenantClient;
  Object.defineProperty(wrapped, 'http', { value: counted });
  return { client: wrapped, reads: () => reads };
}

const MANAGED_API = 'protocol=2.1,resource=1.0';
const TRACE = /^openidm\.(\w+) (.*): (ok|not found|.*)$/s;

function withoutRev(o: Record<string, unknown>): Record<string, unknown> {
  const { _rev: _ignored, ...rest } = o;
  return rest;
}

function resourceOf(raw: string): string {
  return raw.replace(/^\/+/, '').replace(/^openidm\//, '');
}

/** The source's schema for `managed/<name>`, or none when the tenant will not say. */
async function schemaOf(source: TenantClient, name: string, notes: string[]): Promise<ManagedObjectCopy> {
  try {
    const schemas = await source.managedSchemas();
    const found = schemas.find((s) => s.resource === `managed/${name}`);
    if (!found)
      notes.push(`the source's config/managed does not list ${name}; the copy has no schema for it`);
    return { name, schema: found ? { properties: found.properties } : undefined };
  } catch (err) {
    notes.push(
      `could not read the source's managed-object schema (${(err as Error).message}); the copy has none`,
    );
    return { name };
  }
}

async function load(target: TenantClient, object: string, objects: ManagedObject[]): Promise<void> {
  // A few at a time: the private tenant is local, and order does not matter.
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const o = objects[next++]!;
      const { _id, _rev: _ignored, ...body } = o;
      await target.http.request({
        method: 'PUT',
        path: `/openidm/${object}/${encodeURIComponent(_id)}`,
        apiVersion: MANAGED_API,
        headers: { 'If-None-Match': '*' },
        body,
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** The job as the copy runs it: the same invokeContext, synchronous, never fired by its schedule. */
function copyJob(job: Record<string, unknown>): Record<string, unknown> {
  const invokeContext = { ...(job.invokeContext as Record<string, unknown>), waitForCompletion: true };
  return {
    enabled: true,
    persisted: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext,
  };
}

interface LogEntry {
  level: string;
  source: string;
  objectID?: string;
  message: string;
}

interface RoundOutcome {
  tenant: PrivateTenant;
  run: RunRecord;
  entries: LogEntry[];
  dropped: number;
  after: Map<string, Record<string, unknown>>;
}

async function round(
  start: StartPrivateTenant,
  types: ManagedObjectCopy[],
  objectName: string,
  samples: ManagedObject[],
  extras: Map<string, ManagedObject[]>,
  job: Record<string, unknown>,
  jobName: string,
): Promise<RoundOutcome> {
  const tenant = await start({ managedObjects: types });
  try {
    const c = tenant.client;
    await load(c, `managed/${objectName}`, samples);
    for (const [type, objects] of extras) await load(c, `managed/${type}`, objects);
    await c.jobs.upsert(jobName, copyJob(job));
    const { runId } = await c.runs.execute(jobName);
    const run = await c.runs.read(runId);
    const log = await c.http.request<{ entries?: LogEntry[]; dropped?: number }>({
      method: 'GET',
      path: `/scanjobs-emulator/runs/${encodeURIComponent(runId)}/log`,
    });
    const after = new Map<string, Record<string, unknown>>();
    const copy = new ManagedSource(c, `managed/${objectName}`);
    for await (const page of copy.pages({ filter: 'true', pageSize: 1000 }))
      for (const o of page) after.set(o._id, withoutRev(o));
    return { tenant, run, entries: log.body.entries ?? [], dropped: log.body.dropped ?? 0, after };
  } catch (err) {
    await tenant.close(false);
    throw err;
  }
}

const VALUE_OF_TYPE: Record<string, unknown> = { boolean: false, null: null };

/** Runs the job on a private copy of up to `sample` of its matches; the source is only read. */
export async function dryRun(
  sourceClient: TenantClient,
  job: Record<string, unknown>,
  start: StartPrivateTenant,
  options: DryRunOptions = {},
): Promise<DryRunReport> {
  const now = options.now ?? new Date();
  const query = readScanQuery(job, now);
  const sample = Math.min(options.sample ?? DRY_RUN_SAMPLE_DEFAULT, DRY_RUN_SAMPLE_MAX);
  const progress = options.progress ?? (() => undefined);
  const { client: source, reads } = countingSource(sourceClient);
  const notes = [...query.notes];
  const objectName = query.object.slice('managed/'.length);

  progress(`reading up to ${sample} matches of ${query.object} from ${source.label}`);
  const samples: ManagedObject[] = [];
  const reader = new ManagedSource(source, query.object);
  for await (const page of reader.pages({
    filter: query.expandedFilter,
    pageSize: Math.max(1, Math.min(sample, 1000)),
  })) {
    samples.push(...page.slice(0, sample - samples.length));
    if (samples.length >= sample) break;
  }
  const types = new Map<string, ManagedObjectCopy>([[objectName, await schemaOf(source, objectName, notes)]]);
  const extras = new Map<string, ManagedObject[]>();
  const fetched = new Map<string, boolean>(); // resource → found on the source
  const jobName = options.jobName ?? 'dry-run';
  let outcome: RoundOutcome | undefined;
  for (let n = 1; ; n++) {
    progress(`running ${jobName} on a private copy of ${samples.length} object(s) (round ${n})`);
    outcome = await round(start, [...types.values()], objectName, samples, extras, job, jobName);
    // Objects the scripts read but the copy lacked: fetched from the source, then the run starts over.
    const missing = new Set<string>();
    for (const e of outcome.entries) {
      const m = e.source === 'scanner' && e.level === 'trace' ? TRACE.exec(e.message) : null;
      if (!m || m[1] !== 'read' || m[3] !== 'not found') continue;
      const resource = resourceOf(m[2]!);
      if (/^managed\/[^/]+\/[^/]+$/.test(resource) && !fetched.has(resource)) missing.add(resource);
    }
    if (missing.size === 0 || n >= (options.maxRounds ?? 3)) {
      if (missing.size > 0)
        notes.push(
          `scripts still read ${missing.size} object(s) the copy lacked after ${n} rounds: they saw null`,
        );
      break;
    }
    let added = false;
    for (const resource of missing) {
      const [, type, id] = resource.split('/') as [string, string, string];
      const found = await new ManagedSource(source, `managed/${type}`).read(id);
      fetched.set(resource, found !== undefined);
      if (!found) continue;
      added = true;
      if (!types.has(type)) types.set(type, await schemaOf(source, type, notes));
      if (type === objectName)
        notes.push(
          `${resource} is not a match but a script read it: copied, and the scan sees it only if it matches`,
        );
      extras.set(type, [...(extras.get(type) ?? []), found]);
    }
    await outcome.tenant.close(false);
    if (!added) {
      outcome = await round(start, [...types.values()], objectName, samples, extras, job, jobName);
      break;
    }
  }
  const { tenant, run, entries, dropped, after } = outcome;
  if (dropped > 0)
    notes.push(`the copy's run log dropped ${dropped} line(s); some objects' log lines are missing`);

  const byObject = new Map<string, LogEntry[]>();
  const touched = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!e.objectID) continue;
    byObject.set(e.objectID, [...(byObject.get(e.objectID) ?? []), e]);
    const m = e.source === 'scanner' && e.level === 'trace' ? TRACE.exec(e.message) : null;
    if (!m) continue;
    const resource = resourceOf(m[2]!);
    if (resource === e.objectID) continue;
    touched.set(resource, new Set([...(touched.get(resource) ?? []), m[1]!]));
  }
  const started = pointerSegments(query.startedPointer);
  const completed = pointerSegments(query.completedPointer);
  const results: DryRunResult[] = samples.map((object) => {
    const before = withoutRev(object);
    const afterObject = after.get(object._id) ?? null;
    const own = byObject.get(`${query.object}/${object._id}`) ?? [];
    const logs = own.filter((e) => e.source === 'script').map(({ level, message }) => ({ level, message }));
    const failed = own.find((e) => e.source === 'scanner' && /^script failed: /.test(e.message));
    const returned = own.find((e) => e.source === 'scanner' && /^script returned /.test(e.message));
    const stopped = own.find((e) => e.source === 'scanner' && e.level === 'error' && !failed);
    let status: DryRunStatus;
    let result: unknown = null;
    let error: string | null = null;
    if (failed) {
      status = 'error';
      error = failed.message
        .replace(/^script failed: /, '')
        .replace(/; this worker's remaining objects are skipped$/, '');
    } else if (returned) {
      status = 'failed';
      const type = /^script returned (\S+),/.exec(returned.message)?.[1] ?? 'a value';
      result = type in VALUE_OF_TYPE ? VALUE_OF_TYPE[type] : type;
    } else if (stopped) {
      status = 'error';
      error = stopped.message;
    } else if (
      afterObject &&
      valueAt(afterObject, completed) !== undefined &&
      valueAt(afterObject, completed) !== null &&
      valueAt(afterObject, completed) !== valueAt(before, completed)
    ) {
      status = 'succeeded';
      result = true;
    } else {
      const state = classifyTaskState(
        valueAt(before, started),
        valueAt(before, completed),
        query.recovery,
        now.getTime(),
      );
      status = state === 'claimed' || state === 'completed' ? 'skipped' : 'not-run';
    }
    return {
      id: object._id,
      status,
      result,
      error,
      before,
      after: afterObject,
      changes: jsonChanges(before, afterObject),
      logs,
    };
  });
  if (results.some((r) => r.status === 'not-run'))
    notes.push(
      // The platform's behaviour (idm-api.md §5.3); the message describes it without the internal citation.
      'objects marked not-run were not reached: a worker stopped on an error before them, or maxRecords',
    );
  let kept: string | undefined;
  await tenant.close(options.keep === true);
  if (options.keep) kept = tenant.location;
  return {
    tenant: source.label,
    object: query.object,
    sampled: samples.length,
    results,
    totals: {
      processed: run.progress.processed,
      successes: run.progress.successes,
      failures: run.progress.failures,
    },
    writesToTenant: 0,
    sourceReads: reads(),
    touched: [...touched].map(([resource, ops]) => ({
      resource,
      operations: [...ops].sort(),
      fromSource: fetched.get(resource) === true,
    })),
    runState: run.progress.state,
    ...(kept ? { kept } : {}),
    notes,
  };
}
