// Stuck-run detection (idm-api.md §4.2: a run whose query fails, or whose workers never finish, stays
// ACTIVE forever; no error reaches REST). The product's one definition of "stalled", used by the CLI,
// the extension and anything else that follows runs: a run is stalled when its processed count has not
// moved for longer than its threshold, and the threshold comes from the run's own pace, the job's
// history (its earlier runs' pace and how long they took to count their first object) and a floor.
import type { HistoryRun } from '../history/types';
import { textAfterLastMacro } from '../queryfilter/truncation';
import type { RunRecord } from '../tenant/types';

export interface StallPolicy {
  /**
   * The shortest time a run's count must stay frozen before it is called stalled (default 120 s).
   * It covers the query phase, when nothing is counted yet: the scanner loads every match before the
   * first object (§5.2 item 4), which takes a while on a large tenant.
   */
  floorMs?: number;
  /**
   * For a run that has been processing objects, the threshold grows to this many times its mean time
   * per object (default 20), so a slow script (say one object per 30 s) is not called stuck at the floor.
   */
  factor?: number;
  /** What the job's earlier runs tell (`stallHistoryOf`), for a run that has no pace of its own yet. */
  history?: StallHistory;
}

export const DEFAULT_STALL_FLOOR_MS = 120_000;
export const DEFAULT_STALL_FACTOR = 20;
/** A run before its first counted object may take this many times the job's slowest such start. */
export const HISTORY_START_FACTOR = 2;
/** How many of the job's newest runs the history's figures come from. */
const HISTORY_RUNS = 20;

/** The job's own past, from the runs this client kept (core/history). */
export interface StallHistory {
  /** The median time per object of its finished runs that processed objects. */
  msPerObject?: number;
  /** The longest time one of its followed runs took from its start to its first counted object. */
  firstObjectMs?: number;
}

/**
 * How long a frozen count is tolerated. With the run's own pace (the rate measured while its count
 * last moved): `max(floor, factor × ms per object)`. Before it has one (the query phase, or its first
 * object), the job's history stands in: `max(floor, factor × the job's usual ms per object,
 * HISTORY_START_FACTOR × the longest start its runs took)`; with no history, the floor alone.
 */
export function stallThresholdMs(ratePerSecond: number | undefined, policy: StallPolicy = {}): number {
  const floor = Math.max(1000, policy.floorMs ?? DEFAULT_STALL_FLOOR_MS);
  const factor = Math.max(1, policy.factor ?? DEFAULT_STALL_FACTOR);
  if (ratePerSecond && Number.isFinite(ratePerSecond) && ratePerSecond > 0)
    return Math.round(Math.max(floor, (factor * 1000) / ratePerSecond));
  const h = policy.history;
  return Math.round(
    Math.max(
      floor,
      h?.msPerObject !== undefined ? factor * h.msPerObject : 0,
      h?.firstObjectMs !== undefined ? HISTORY_START_FACTOR * h.firstObjectMs : 0,
    ),
  );
}

/**
 * The job's figures from its kept runs, newest HISTORY_RUNS of them: undefined when none tells
 * anything (no finished run with objects, no followed run with samples).
 */
export function stallHistoryOf(runs: readonly HistoryRun[], job: string): StallHistory | undefined {
  const mine = runs.filter((r) => r.job === job).slice(-HISTORY_RUNS);
  const paces: number[] = [];
  let firstObjectMs: number | undefined;
  for (const r of mine) {
    const started = r.started ? Date.parse(r.started) : NaN;
    const ended = r.ended ? Date.parse(r.ended) : NaN;
    if (r.state === 'COMPLETED' && r.processed > 0 && ended >= started)
      paces.push((ended - started) / r.processed);
    const first = r.samples.find((s) => s.processed > 0);
    if (first) firstObjectMs = Math.max(firstObjectMs ?? 0, first.atMs);
  }
  paces.sort((a, b) => a - b);
  const msPerObject = paces.length ? paces[Math.floor(paces.length / 2)] : undefined;
  if (msPerObject === undefined && firstObjectMs === undefined) return undefined;
  return {
    ...(msPerObject !== undefined ? { msPerObject } : {}),
    ...(firstObjectMs !== undefined ? { firstObjectMs } : {}),
  };
}

/** What is known about the run's job, to name the likely cause more precisely. */
export interface StallContext {
  /** The job's `scan._queryFilter`, when known. */
  filter?: string;
  /** Whether the tenant is the OpenIDM fork (its run listing tells, `TaskScannerRuns.isOpenIdmFork`). */
  openidm?: boolean;
}

export type StallCause = 'truncated-filter' | 'query-not-returned' | 'not-started' | 'object-stuck';

export interface StallExplanation {
  cause: StallCause;
  /** One or two sentences for people, naming the likely cause and what to do. */
  message: string;
}

/** The likely reason a run stopped counting, from its shape and what is known of its job. */
export function explainStall(run: RunRecord, context: StallContext = {}): StallExplanation {
  const p = run.progress;
  const cancel = `It will not end by itself: cancel it (scanjobs cancel ${run._id}).`;
  if (p.state === 'INITIALIZED') {
    return {
      cause: 'not-started',
      message: `The run never became ACTIVE: the scanner did not start its workers (a job that was cancelled while starting, or a server busy with other runs). ${cancel}`,
    };
  }
  if (p.total === 0 && p.processed === 0) {
    const tail = context.filter !== undefined ? textAfterLastMacro(context.filter) : undefined;
    if (tail && context.openidm !== false) {
      return {
        cause: 'truncated-filter',
        message:
          `Its query never returned: the job's _queryFilter has text after its last macro (${tail.macro}${tail.text.length > 30 ? `${tail.text.slice(0, 27)}…` : tail.text}), ` +
          `which OpenIDM cuts off, so the filter it parses is invalid ("Invalid query filter" in the server log; no error reaches REST). ` +
          `Fix the filter (scanjobs validate --platform openidm shows how, rule filter-macro-truncated). ${cancel}`,
      };
    }
    return {
      cause: 'query-not-returned',
      message:
        `Its query never returned (total is still 0). On OpenIDM the usual cause is text after the last \${…} macro in _queryFilter, which the server cuts off, leaving an invalid filter; ` +
        `otherwise a filter the repository rejects, or a repository that does not answer. The server log says which. ${cancel}`,
    };
  }
  return {
    cause: 'object-stuck',
    message: `No object has finished since ${p.processed} of ${p.total}: a script that does not return (a long call or a loop) or a repository that stopped answering holds every worker. ${cancel}`,
  };
}
