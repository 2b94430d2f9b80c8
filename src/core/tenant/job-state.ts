// Whether a tenant's job runs on its schedule, is paused or is disabled, which jobs a picker offers for
// an action (Resume only paused jobs, Pause only the ones that run), and which runs are still going.
import { FINAL_STATES, type RunRecord } from './types';

/** The fields of a job this reads (a job listing may carry no more). */
export interface JobStateFields {
  enabled?: unknown;
  triggers?: unknown[];
}

/**
 * disabled: `enabled` false in the job; paused: its trigger is PAUSED (the scheduler's pause action,
 * idm-api.md §2.4, §3.1), which leaves `enabled` as it was.
 */
export function jobState(job: JobStateFields): 'enabled' | 'paused' | 'disabled' {
  if (job.enabled === false || String(job.enabled) === 'false') return 'disabled';
  const paused = (job.triggers ?? []).some((t) => (t as { state?: unknown } | null)?.state === 'PAUSED');
  return paused ? 'paused' : 'enabled';
}

/** Which jobs a picker offers. */
export type JobPick = 'any' | 'scan' | 'paused' | 'not-paused';

/** The jobs an action can apply to ('scan' is decided by the query; here it keeps every job). */
export function jobsToOffer<T extends JobStateFields>(jobs: readonly T[], pick: JobPick): T[] {
  if (pick === 'paused') return jobs.filter((j) => jobState(j) === 'paused');
  if (pick === 'not-paused') return jobs.filter((j) => jobState(j) === 'enabled');
  return [...jobs];
}

/** "No … jobs on <tenant>": what the picker says when nothing fits. */
export function noJobsMessage(pick: JobPick, tenant: string): string {
  const what = { any: '', scan: 'scan ', paused: 'paused ', 'not-paused': 'enabled, unpaused ' }[pick];
  return `No ${what}jobs on ${tenant}`;
}

/** Runs not yet final (INITIALIZED or ACTIVE, idm-api.md §4.2): what stopping a tenant would cut short. */
export function runsInProgress(runs: readonly RunRecord[]): RunRecord[] {
  return runs.filter((r) => !FINAL_STATES.has(r.progress.state));
}
