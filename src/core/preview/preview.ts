/**
 * Preview Matches: what a scan job's query selects on a tenant right now, and how the task scanner
 * would treat each match (idm-api.md §5.2, §5.4, §5.5), without writing anything. The matches are
 * read page by page with only the fields the filter and the task state use; each page is counted and
 * dropped, so a large tenant never sits in memory.
 */
import { formatMacroTime } from '../queryfilter';
import { TenantClient } from '../tenant';
import { ManagedObject, ManagedSource } from './managed-source';
import { ScanQuery, readScanQuery } from './scan-query';
import { TaskStateClass, classifyTaskState, pointerSegments, valueAt } from './task-state';

export interface PreviewSample {
  _id: string;
  /** Where the scanner would put it now (task-state.ts). */
  state: TaskStateClass;
  /** The fields the filter and the task state use, as the tenant returned them. */
  fields: Record<string, unknown>;
}

/** The CLI's `--format json` (issue 15 names these members); `how` and `notes` are for people. */
export interface Preview {
  object: string;
  filter: string;
  expandedFilter: string;
  now: string;
  matched: number;
  exact: boolean;
  wouldProcess: number;
  claimed: number;
  completed: number;
  samples: PreviewSample[];
  /** How `matched` and the split were obtained (exact count, or how the estimate was made). */
  how: string;
  /** Objects the scanner would stop at: `started` is not an ISO time with millis (§5.4). */
  invalidStarted: number;
  /** Of `wouldProcess`, those already completed: the filter lets them through, so they run again. */
  rerunCompleted: number;
  notes: string[];
}

export interface PreviewOptions {
  /** The instant macros expand at and the recovery window is measured from (default: now). */
  now?: Date;
  /** How many matches to show (default 10). */
  sample?: number;
  /** Objects per page (default 2,000). */
  pageSize?: number;
  /** Matches to classify before estimating the rest from them (default 1,000,000). */
  scanLimit?: number;
  signal?: AbortSignal;
}

export const PREVIEW_SAMPLE_DEFAULT = 10;

function pick(object: ManagedObject, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = valueAt(object, f.split('/'));
    if (v !== undefined) out[`/${f}`] = v;
  }
  return out;
}

/** Runs the job's query (macros expanded at `now`) on the tenant and splits the matches by task state. */
export async function previewMatches(
  client: TenantClient,
  job: Record<string, unknown>,
  options: PreviewOptions = {},
): Promise<Preview> {
  const now = options.now ?? new Date();
  const query: ScanQuery = readScanQuery(job, now);
  const sampleSize = options.sample ?? PREVIEW_SAMPLE_DEFAULT;
  const scanLimit = options.scanLimit ?? 1_000_000;
  const source = new ManagedSource(client, query.object);
  const started = pointerSegments(query.startedPointer);
  const completed = pointerSegments(query.completedPointer);
  // §5.1: with maxRecords only the first N results are scanned; the rest are matched but not reached.
  const reachable = query.maxRecords ?? Infinity;
  const counts = { wouldProcess: 0, claimed: 0, completed: 0, invalidStarted: 0, rerunCompleted: 0 };
  const samples: PreviewSample[] = [];
  let seen = 0;
  let more = false;
  const t = now.getTime();
  outer: for await (const page of source.pages({
    filter: query.expandedFilter,
    pageSize: options.pageSize ?? 2000,
    fields: query.fields,
    signal: options.signal,
  })) {
    for (const object of page) {
      if (seen >= scanLimit) {
        more = true;
        break outer;
      }
      seen++;
      if (seen > reachable) continue;
      const s = valueAt(object, started);
      const c = valueAt(object, completed);
      const state = classifyTaskState(s, c, query.recovery, t);
      counts[state]++;
      if (state === 'wouldProcess' && c !== undefined && c !== null) counts.rerunCompleted++;
      if (samples.length < sampleSize)
        samples.push({ _id: object._id, state, fields: pick(object, query.fields) });
    }
  }
  const notes = [...query.notes];
  let matched = seen;
  let exact = !more;
  let how = `every match was read, in ${pages(seen, options.pageSize ?? 2000)}`;
  if (more) {
    const total = (
      await source.page({ filter: query.expandedFilter, pageSize: 1, fields: ['_id'], exactTotal: true })
    ).totalPagedResults;
    const scale = (n: number) =>
      Math.round(n * (Math.min(total ?? seen, reachable) / Math.min(seen, reachable)));
    if (typeof total === 'number' && total >= 0) {
      matched = total;
      how = `matches counted exactly by the tenant (_totalPagedResultsPolicy=EXACT); the split is estimated from the first ${seen.toLocaleString('en-US')} in the tenant's order`;
    } else {
      how = `the tenant does not count matches (totalPagedResults -1): reading stopped after ${seen.toLocaleString('en-US')}; there are more, and the split covers those read`;
    }
    exact = false;
    if (typeof total === 'number' && total >= 0) {
      counts.wouldProcess = scale(counts.wouldProcess);
      counts.claimed = scale(counts.claimed);
      counts.completed = scale(counts.completed);
      counts.invalidStarted = scale(counts.invalidStarted);
      counts.rerunCompleted = scale(counts.rerunCompleted);
    }
  }
  if (query.maxRecords !== undefined && matched > query.maxRecords)
    notes.push(
      `maxRecords is ${query.maxRecords}: a run scans only the first ${query.maxRecords} matches; the split counts those`,
    );
  if (counts.invalidStarted > 0)
    notes.push(
      // The platform's behaviour (idm-api.md §5.4); the message describes it without the internal citation.
      `${counts.invalidStarted} match(es) have a ${query.startedPointer} that is not yyyy-MM-ddTHH:mm:ss.SSSZ: the worker that meets one stops`,
    );
  if (counts.rerunCompleted > 0)
    notes.push(
      `${counts.rerunCompleted} of those that would be processed already have ${query.completedPointer} set: the filter does not exclude completed objects, so their script runs again`,
    );
  return {
    object: query.object,
    filter: query.filter,
    expandedFilter: query.expandedFilter,
    now: formatMacroTime(now),
    matched,
    exact,
    wouldProcess: counts.wouldProcess,
    claimed: counts.claimed,
    completed: counts.completed,
    samples,
    how,
    invalidStarted: counts.invalidStarted,
    rerunCompleted: counts.rerunCompleted,
    notes,
  };
}

function pages(objects: number, pageSize: number): string {
  const n = Math.max(1, Math.ceil(objects / pageSize));
  return `${n} page${n === 1 ? '' : 's'} of up to ${pageSize.toLocaleString('en-US')}`;
}

/** The JSON the CLI prints: exactly the members issue 15 names. */
export function previewJson(p: Preview): Record<string, unknown> {
  const { object, filter, expandedFilter, now, matched, exact, wouldProcess, claimed, completed, samples } =
    p;
  return { object, filter, expandedFilter, now, matched, exact, wouldProcess, claimed, completed, samples };
}
