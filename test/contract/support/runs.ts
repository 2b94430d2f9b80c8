/** Pushing scan jobs, executing them and following their runs over plain HTTP (idm-api.md §3, §4). */
import { strict as assert } from 'node:assert';
import type { ContractUser, ScanJob } from './builders';
import { show } from './http';
import type { Target } from './targets';

export interface RunProgress {
  state: 'INITIALIZED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | 'ERROR';
  processed: number;
  total: number;
  successes: number;
  failures: number;
}

export interface Run {
  _id: string;
  name?: string | null;
  progress: RunProgress;
  started: string | null;
  ended: string | null;
}

/** UTC ISO-8601 with milliseconds and Z, as the scanner writes times (§4.1, §5.4). */
export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates users one by one (`If-None-Match: *`, so a leftover id fails loudly). */
export async function createUsers(target: Target, users: ContractUser[]): Promise<void> {
  for (const user of users) {
    const { _id, ...fields } = user;
    const reply = await target.http.put(`/openidm/managed/user/${encodeURIComponent(_id)}`, fields, {
      headers: { 'If-None-Match': '*' },
    });
    assert.equal(reply.status, 201, `creating user ${_id}: ${show(reply)}`);
  }
}

export async function readUser(target: Target, id: string): Promise<Record<string, unknown>> {
  const reply = await target.http.get(`/openidm/managed/user/${encodeURIComponent(id)}`);
  assert.equal(reply.status, 200, `reading user ${id}: ${show(reply)}`);
  return reply.body;
}

/**
 * Stores a scan job where `execute&name=` can reach it and returns the name to execute it by (§4.4):
 * the AIC way is a dynamic job and its bare id; the fork reads only `config/<name>`.
 */
export async function pushExecutable(target: Target, id: string, job: ScanJob): Promise<string> {
  if (target.caps.executeBy === 'job') {
    const reply = await target.http.put(`/openidm/scheduler/job/${id}`, job);
    assert.equal(reply.status, 201, `pushing job ${id}: ${show(reply)}`);
    return id;
  }
  const reply = await target.http.put(`/openidm/config/schedule/${id}`, job);
  assert.ok(reply.status === 201 || reply.status === 200, `pushing config schedule ${id}: ${show(reply)}`);
  return `schedule/${id}`;
}

export async function removeExecutable(target: Target, id: string): Promise<void> {
  const path =
    target.caps.executeBy === 'job' ? `/openidm/scheduler/job/${id}` : `/openidm/config/schedule/${id}`;
  await target.http.delete(path);
}

export async function execute(target: Target, name: string): Promise<string> {
  const reply = await target.http.post<{ _id: string }>('/openidm/taskscanner', { _action: 'execute', name });
  assert.equal(reply.status, 200, `execute ${name}: ${show(reply)}`);
  assert.equal(typeof reply.body._id, 'string', `execute ${name} gave no run id: ${show(reply)}`);
  return reply.body._id;
}

export async function readRun(target: Target, id: string): Promise<Run> {
  const reply = await target.http.get<Run>(`/openidm/taskscanner/${encodeURIComponent(id)}`);
  assert.equal(reply.status, 200, `reading run ${id}: ${show(reply)}`);
  return reply.body;
}

/** Every run the server holds, the AIC way or the fork's (§4.3). */
export async function listRuns(target: Target): Promise<Run[]> {
  if (target.caps.runQuery) {
    const reply = await target.http.get<{ result: Run[] }>('/openidm/taskscanner', {
      query: { _queryFilter: 'true' },
    });
    assert.equal(reply.status, 200, `listing runs: ${show(reply)}`);
    return reply.body.result;
  }
  const reply = await target.http.get<{ tasks: Run[] }>('/openidm/taskscanner');
  assert.equal(reply.status, 200, `listing runs: ${show(reply)}`);
  return reply.body.tasks;
}

/** Reads a run until `until` holds; fails with the last record seen when `timeoutMs` passes. */
export async function waitForRun(
  target: Target,
  id: string,
  until: (run: Run) => boolean,
  timeoutMs = 90_000,
): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  let run = await readRun(target, id);
  while (!until(run)) {
    if (Date.now() > deadline)
      assert.fail(`run ${id} did not reach the expected state: ${JSON.stringify(run)}`);
    await sleep(100);
    run = await readRun(target, id);
  }
  return run;
}

/**
 * Reads a run until two reads `quietMs` apart show the same `processed`: the object a thread was on
 * when a cancel came may still finish (§5.7), and how long that takes depends on the machine's load,
 * so tests wait for the count to settle instead of sleeping a fixed time. Fails after `timeoutMs`.
 */
export async function settledRun(
  target: Target,
  id: string,
  quietMs = 1500,
  timeoutMs = 60_000,
): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  let run = await readRun(target, id);
  for (;;) {
    await sleep(quietMs);
    const later = await readRun(target, id);
    if (later.progress.processed === run.progress.processed) return later;
    if (Date.now() > deadline)
      assert.fail(`run ${id} kept processing objects: ${JSON.stringify(run)} then ${JSON.stringify(later)}`);
    run = later;
  }
}

export const isDone = (run: Run) => run.progress.state === 'COMPLETED';

/** Waits until `find` picks a run out of the server's list. */
export async function waitForListedRun(
  target: Target,
  find: (runs: Run[]) => Run | undefined,
  timeoutMs = 90_000,
): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find(await listRuns(target));
    if (found) return found;
    if (Date.now() > deadline) assert.fail('no matching run appeared in the run list');
    await sleep(200);
  }
}

/** Reads the value at a JSON pointer such as `/sunset/task-started`. */
export function at(object: Record<string, unknown>, pointer: string): unknown {
  let v: unknown = object;
  for (const part of pointer.split('/').filter(Boolean)) {
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  }
  return v;
}
