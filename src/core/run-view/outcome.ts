// What a run's state means to a person: COMPLETED with failed objects is not the same outcome as a
// clean COMPLETED (idm-api.md §5.6: a script that throws or returns anything but true counts a failure,
// and the run still ends COMPLETED), and a cancel asked for is not yet a cancel done (§4.3: the run
// stays ACTIVE until the workers see the flag, §5.7).
import type { RunRecord } from '../tenant/types';

export type RunOutcome =
  'initialized' | 'active' | 'cancelling' | 'completed' | 'completed-with-failures' | 'cancelled' | 'error';

/** `cancelling`: this client asked the tenant to cancel and the tenant has not said CANCELLED yet. */
export function runOutcome(run: RunRecord, cancelling = false): RunOutcome {
  const p = run.progress;
  switch (p.state) {
    case 'INITIALIZED':
      return cancelling ? 'cancelling' : 'initialized';
    case 'ACTIVE':
      return cancelling ? 'cancelling' : 'active';
    case 'COMPLETED':
      return p.failures > 0 ? 'completed-with-failures' : 'completed';
    case 'CANCELLED':
      return 'cancelled';
    case 'ERROR':
      return 'error';
  }
}

/** The words for an outcome, as the tree's description and the details view's heading use them. */
export function outcomeText(run: RunRecord, outcome: RunOutcome): string {
  switch (outcome) {
    case 'cancelling':
      return 'Cancelling…';
    case 'completed-with-failures':
      return 'COMPLETED with failures';
    default:
      return run.progress.state;
  }
}

/** When a run ended and how that is known. */
export interface RunEnd {
  at: number;
  /** `tenant`: the run record's `ended`; `seen`: when this client first saw the final state. */
  source: 'tenant' | 'seen';
}

/**
 * The end of a run: the tenant's `ended` when it has one; for a CANCELLED or ERROR run, which never
 * gets one (§4.2), the moment this client saw the final state, when it did.
 */
export function runEnd(run: RunRecord, seenEndAt: number | undefined): RunEnd | undefined {
  const ended = run.ended ? Date.parse(run.ended) : NaN;
  if (!Number.isNaN(ended)) return { at: ended, source: 'tenant' };
  if (seenEndAt !== undefined && run.progress.state !== 'ACTIVE' && run.progress.state !== 'INITIALIZED')
    return { at: seenEndAt, source: 'seen' };
  return undefined;
}

/** Milliseconds from start to end (or to `now` while the run is active); undefined when unknown. */
export function runDurationMs(
  run: RunRecord,
  seenEndAt: number | undefined,
  now: number,
): number | undefined {
  const started = run.started ? Date.parse(run.started) : NaN;
  if (Number.isNaN(started)) return undefined;
  const active = run.progress.state === 'ACTIVE' || run.progress.state === 'INITIALIZED';
  const end = active ? now : runEnd(run, seenEndAt)?.at;
  return end === undefined ? undefined : Math.max(0, end - started);
}
