/**
 * What a scan job would query at a given instant (idm-api.md §5.1, §5.2; queryfilter.md §9): the
 * `scan` settings flattened, top-level strings macro-expanded, the filter parsed, the task-state
 * pointers and the recovery window. Problems are named with the job setting they come from.
 */
import { FilterNode, expandMacros, parseFilter, readablePointer } from '../queryfilter';
import { RecoveryTimeoutError, pointerSegments, recoveryWindow } from './task-state';

export interface ScanQuery {
  /** `scan.object`, e.g. `managed/alpha_user`. */
  object: string;
  /** `scan._queryFilter` as written in the job. */
  filter: string;
  /** The filter with `${Time.now}` macros expanded at `now` (§5.2). */
  expandedFilter: string;
  ast: FilterNode;
  startedPointer: string;
  completedPointer: string;
  recovery: (started: number) => number;
  /** `maxRecords`: only the first N results are scanned (§5.1). */
  maxRecords?: number;
  numberOfThreads: number;
  /** Fields the filter and the task state read, as CREST `_fields` paths (`sunset/date`). */
  fields: string[];
  /** Warnings the platform would log (unknown macro tokens, units). */
  notes: string[];
}

export class ScanQueryError extends Error {}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const inner = record(v);
    if (inner) flatten(inner, key, out);
    else out[key] = v;
  }
  return out;
}

function pointers(node: FilterNode, out: Set<string>): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const c of node.children) pointers(c, out);
      return;
    case 'not':
      pointers(node.operand, out);
      return;
    case 'presence':
    case 'comparison':
      out.add(node.pointer.segments.join('/'));
      return;
    default:
      return;
  }
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** The job's scan at `now`; a job the preview cannot run gets a ScanQueryError naming the setting. */
export function readScanQuery(job: Record<string, unknown>, now: Date): ScanQuery {
  const context = record(job.invokeContext);
  if (!context) throw new ScanQueryError('the job has no invokeContext: it is not a scan job');
  const scan = record(context.scan);
  if (!scan) throw new ScanQueryError('invokeContext.scan is missing: it is not a scan job');
  const notes: string[] = [];
  const flat = flatten(scan);
  // §5.2 step 2: only string values at the top of the flattened map are expanded.
  const expanded: Record<string, unknown> = { ...flat };
  for (const [key, value] of Object.entries(flat)) {
    if (typeof value !== 'string') continue;
    const result = expandMacros(value, now);
    for (const p of result.problems) {
      if (p.severity === 'error') throw new ScanQueryError(`invokeContext.scan.${key}: ${p.message}`);
      notes.push(`invokeContext.scan.${key}: ${p.message}`);
    }
    expanded[key] = result.text;
  }
  const object = expanded.object;
  if (typeof object !== 'string' || !/^managed\/[^/]+$/.test(object))
    throw new ScanQueryError(
      `invokeContext.scan.object must name a managed object such as managed/alpha_user, got ${JSON.stringify(object)}`,
    );
  const filterKey = flat._queryFilter !== undefined ? '_queryFilter' : 'queryFilter';
  const filter = flat[filterKey];
  if (typeof filter !== 'string') {
    throw new ScanQueryError(
      flat._queryId !== undefined || flat.queryId !== undefined || flat._queryExpression !== undefined
        ? 'the job scans with a _queryId/_queryExpression: only a _queryFilter can be previewed'
        : 'invokeContext.scan._queryFilter is missing',
    );
  }
  const expandedFilter = expanded[filterKey] as string;
  const parsed = parseFilter(expandedFilter);
  if (!parsed.ok)
    throw new ScanQueryError(
      `invokeContext.scan.${filterKey} does not parse after macro expansion: ${parsed.error.message}`,
    );
  const taskState = record(scan.taskState);
  const pointer = (name: 'started' | 'completed'): string => {
    const v = taskState?.[name];
    if (typeof v !== 'string' || v === '')
      throw new ScanQueryError(
        // The platform's behaviour (idm-api.md §5.1); the message describes it without the internal citation.
        `invokeContext.scan.taskState.${name} is missing: the scanner stops on the first object`,
      );
    return v.startsWith('/') ? v : `/${v}`;
  };
  const startedPointer = pointer('started');
  const completedPointer = pointer('completed');
  let recovery: (started: number) => number;
  try {
    recovery = recoveryWindow(expanded['recovery.timeout'], notes);
  } catch (err) {
    if (err instanceof RecoveryTimeoutError) throw new ScanQueryError(err.message);
    throw err;
  }
  const fields = new Set<string>();
  pointers(parsed.ast, fields);
  fields.add(pointerSegments(startedPointer).join('/'));
  fields.add(pointerSegments(completedPointer).join('/'));
  fields.delete('_id');
  fields.delete('_rev');
  return {
    object,
    filter,
    expandedFilter,
    ast: parsed.ast,
    startedPointer,
    completedPointer,
    recovery,
    maxRecords: positiveInt(context.maxRecords),
    numberOfThreads: positiveInt(context.numberOfThreads) ?? 10,
    fields: [...fields].filter((f) => f !== ''),
    notes,
  };
}

/** For messages: a field as people write it in a filter (`/sunset/date`). */
export function fieldLabel(path: string): string {
  return readablePointer(path.split('/'));
}
