/**
 * Reads a task scanner's `invokeContext` into a plan (idm-api.md §5.1, §5.2): the script, the query
 * with `${Time.now}` macros expanded, the `taskState` pointers, the recovery timeout, threads and limits.
 * Two kinds of problem: `ExecuteError` is refused before a run exists (the execute call fails);
 * `ScanConfigError` surfaces once the run is ACTIVE, where the platform leaves the run hanging (§4.2).
 */
import { expandMacros } from '../core/queryfilter';
import { RecoveryTimeoutError, recoveryWindow } from '../core/preview/task-state';
import { CrestError } from './crest';
import { truncateAfterLastMacro } from './flavor';
import { putMember } from './pointer';

export interface ScanScript {
  source: string;
  /** The script config's `globals`, as JSON, or '' when there are none (§5.6). */
  globalsJson: string;
}

export interface ScanPlan {
  object: string;
  queryFilter?: string;
  queryId?: string;
  fields?: string;
  startedPointer?: string;
  completedPointer?: string;
  recoveryMs: (started: number) => number;
  numberOfThreads: number;
  maxRecords?: number;
  notes: string[];
}

export class ScanConfigError extends Error {
  constructor(
    message: string,
    /** 'query' errors answer 400 "Error during query" when synchronous; 'config' ones 500 (§4.4, §5.2). */
    readonly kind: 'query' | 'config',
  ) {
    super(message);
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** §4.4, §5.1: the script a job runs; problems here fail the execute request itself. */
export function readScript(jobName: string, invokeContext: unknown, strict: boolean): ScanScript {
  const script = record(record(record(invokeContext)?.task)?.script);
  if (!script) {
    // §4.4 [INF]: the emulator answers 400 for a job that is not a task scanner (the fork: 500 "Null scriptValue").
    throw new CrestError(400, `Job '${jobName}' is not a task scanner: its invokeContext has no task.script`);
  }
  if (script.file !== undefined && script.source === undefined) {
    throw new CrestError(
      400,
      `Script file '${String(script.file)}' cannot be loaded: AIC and this emulator run only inline 'source' scripts (inline the file before pushing)`,
    );
  }
  if (typeof script.source !== 'string') {
    throw new CrestError(400, `Job '${jobName}': invokeContext.task.script.source must be a string`);
  }
  if (script.type === undefined) {
    // §4.4: IllegalArgumentException "Embedded script must have type", a 500 on the platform.
    throw new CrestError(strict ? 400 : 500, 'Embedded script must have type');
  }
  if (script.type !== 'text/javascript' && script.type !== 'javascript') {
    throw new CrestError(
      400,
      `Script type '${String(script.type)}' is not supported: AIC runs only text/javascript`,
    );
  }
  const globals = record(script.globals);
  return {
    source: script.source,
    globalsJson: globals && Object.keys(globals).length ? JSON.stringify(globals) : '',
  };
}

/** §5.2 step 1: `scan` flattened to one level with dotted keys. */
function flatten(
  value: Record<string, unknown>,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (record(v)) flatten(v as Record<string, unknown>, key, out);
    else putMember(out, key, v);
  }
  return out;
}

/** §5.1, §5.5: read as core reads it (core/preview/task-state.ts); a bad value surfaces once ACTIVE. */
function recoveryOf(value: unknown, notes: string[]): (started: number) => number {
  try {
    return recoveryWindow(value, notes);
  } catch (err) {
    if (err instanceof RecoveryTimeoutError) throw new ScanConfigError(err.message, 'config');
    throw err;
  }
}

function positiveInt(value: unknown, name: string, notes: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    notes.push(`${name} ${JSON.stringify(value)} is not a positive integer; ignored`);
    return undefined;
  }
  return n;
}

/** §5.1, §5.2: the plan for one run, with macros expanded at `now`. */
export function readPlan(invokeContext: unknown, now: Date, truncates = false): ScanPlan {
  const context = record(invokeContext) ?? {};
  const scan = record(context.scan);
  if (!scan) throw new ScanConfigError('invokeContext.scan is missing', 'config');
  const notes: string[] = [];
  const flat = flatten(scan);
  // §5.2 step 2: only string values at the top of the flattened map are expanded.
  for (const [key, value] of Object.entries(flat)) {
    if (typeof value !== 'string') continue;
    const expanded = expandMacros(value, now);
    for (const p of expanded.problems) notes.push(`scan.${key}: ${p.message}`);
    const last = expanded.replacements[expanded.replacements.length - 1];
    // OpenIDM 6.1.0 keeps nothing after the last macro (shared openidm/README.md item 1).
    flat[key] = truncates && last ? truncateAfterLastMacro(value, expanded.text, last.end) : expanded.text;
  }
  const object = flat.object;
  if (typeof object !== 'string' || object === '')
    throw new ScanConfigError('scan.object is required (e.g. managed/alpha_user)', 'config');
  const taskState = record(scan.taskState);
  const pointer = (v: unknown) =>
    typeof v === 'string' && v !== '' ? (v.startsWith('/') ? v : `/${v}`) : undefined;
  const queryFilter = (flat._queryFilter ?? flat.queryFilter) as string | undefined;
  const queryId = (flat._queryId ?? flat.queryId) as string | undefined;
  if (queryFilter === undefined && queryId === undefined && flat._queryExpression === undefined) {
    throw new ScanConfigError(
      'scan has no _queryFilter (or queryId/_queryExpression): nothing to query',
      'query',
    );
  }
  return {
    object,
    queryFilter: typeof queryFilter === 'string' ? queryFilter : undefined,
    queryId: typeof queryId === 'string' ? queryId : undefined,
    fields: typeof flat._fields === 'string' ? flat._fields : undefined,
    startedPointer: pointer(taskState?.started),
    completedPointer: pointer(taskState?.completed),
    recoveryMs: recoveryOf(flat['recovery.timeout'], notes),
    numberOfThreads: positiveInt(context.numberOfThreads, 'numberOfThreads', notes) ?? 10,
    maxRecords: positiveInt(context.maxRecords, 'maxRecords', notes),
    notes,
  };
}

/** §5.1: `waitForCompletion` as a boolean or the strings "true"/"false", read from the job only (§4.4). */
export function waitsForCompletion(invokeContext: unknown): boolean {
  const v = record(invokeContext)?.waitForCompletion;
  return v === true || v === 'true';
}
