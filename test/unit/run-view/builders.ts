// Typed builders of task-scanner run records (idm-api.md §4.1) for the run-view tests.
import type { RunRecord, RunState } from '../../../src/core/tenant';

export interface RunOptions {
  id?: string;
  job?: string;
  state?: RunState;
  processed?: number;
  total?: number;
  failures?: number;
  started?: string | null;
  ended?: string | null;
}

export const RUN_UUID = '24100525-a9dd-4067-a830-3a11b1156579';

/** A run with `<uuid>-<n>` id; `ended` only for COMPLETED (§4.2: CANCELLED and ERROR never get one). */
export function runRecord(o: RunOptions = {}): RunRecord {
  const state = o.state ?? 'COMPLETED';
  const processed = o.processed ?? 10;
  const failures = o.failures ?? 0;
  return {
    _id: o.id ?? `${RUN_UUID}-3`,
    name: `schedule/${o.job ?? 'sunset'}`,
    progress: { state, processed, total: o.total ?? processed, successes: processed - failures, failures },
    started: o.started === undefined ? '2026-11-29T15:20:39.000Z' : o.started,
    ended: o.ended !== undefined ? o.ended : state === 'COMPLETED' ? '2026-11-29T15:20:51.500Z' : null,
  };
}
