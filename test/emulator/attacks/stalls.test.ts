/**
 * One bad script must not stall the server for everyone else (issue 12, item 6 and "Also";
 * docs/security.md "Stalls"). Scripts run on script threads (src/emulator/scriptthreads.ts), so while
 * an object's script loops or fills its heap, other requests, other runs and a cancel are served.
 * Each test asserts order, not time: the script first creates a marker object (so the test knows it
 * is past its claim and into its loop), then everything else is asked and answered while that one
 * object is still unprocessed, and only afterwards does the object fail at its limit. Before script
 * threads, the first request after the marker waited for the object's whole CPU allowance, so the
 * run had already counted the object when the other answers came.
 */
import { strict as assert } from 'node:assert';
import {
  Client,
  RunRecord,
  Started,
  execute,
  putUsers,
  scanJob,
  start,
  waitFor,
  waitForRun,
} from '../support';

const MARKER = "openidm.create('managed/bravo_user', 'marker', { userName: 'marker' });";

/** The log messages of a run's scanner lines. */
async function notes(client: Client, runId: string): Promise<string[]> {
  const log = (await client.get(`/scanjobs-emulator/runs/${runId}/log`)).body;
  return log.entries.map((e: { message: string }) => e.message);
}

/** Starts a run whose one object's script creates the marker and then runs `rest`; resolves once it is in `rest`. */
async function hostileRun(t: Started, rest: string): Promise<string> {
  await putUsers(t.client, [{ id: 'victim' }]);
  await t.client.put(
    '/openidm/scheduler/job/hostile',
    scanJob({ filter: 'true', source: `${MARKER} ${rest}`, threads: 1 }),
  );
  const runId = await execute(t.client, 'hostile');
  await waitFor(
    async () => (await t.client.get('/openidm/managed/bravo_user/marker')).status === 200,
    60_000,
  );
  return runId;
}

/** What the rest of the tenant does while the hostile object runs; asserts each answer. */
async function everyoneElse(t: Started, hostileId: string): Promise<void> {
  // N pings, one after another: each is answered.
  for (let i = 0; i < 20; i++) assert.equal((await t.client.get('/scanjobs-emulator/info')).status, 200);
  const query = await t.client.get('/openidm/managed/alpha_user?_queryFilter=true');
  assert.deepEqual([query.status, query.body.resultCount], [200, 1]);
  // Another run, over other objects, runs to its end on another thread.
  await putUsers(
    t.client,
    Array.from({ length: 10 }, (_, i) => ({ id: `good-${i}` })),
    'bravo_user',
  );
  await t.client.put(
    '/openidm/scheduler/job/good',
    scanJob({ object: 'managed/bravo_user', filter: 'userName sw "good"', threads: 2 }),
  );
  const good = await waitForRun(t.client, await execute(t.client, 'good'), undefined, 60_000);
  assert.deepEqual(
    [good.progress.state, good.progress.successes, good.progress.failures],
    ['COMPLETED', 10, 0],
  );
  // The hostile run's status, then its cancel, are answered while its object still runs.
  const before = (await t.client.get<RunRecord>(`/openidm/taskscanner/${hostileId}`)).body;
  assert.deepEqual([before.progress.state, before.progress.processed], ['ACTIVE', 0]);
  const cancel = await t.client.post(`/openidm/taskscanner/${hostileId}?_action=cancel`);
  assert.deepEqual(cancel.body, { _id: hostileId, status: 'SUCCESS' });
  const after = (await t.client.get<RunRecord>(`/openidm/taskscanner/${hostileId}`)).body;
  assert.deepEqual(
    [after.progress.state, after.progress.processed],
    ['CANCELLED', 0],
    'everything above was answered before the hostile object reached its limit',
  );
}

describe('attacks: one bad script does not stall the others', function () {
  this.timeout(180_000);
  let t: Started;
  afterEach(() => t.emulator.close());

  it('an endless loop: pings, a query, another run and a cancel are answered before its object stops', async () => {
    t = await start({ scriptLimits: { timeoutMs: 4000 } });
    const hostile = await hostileRun(t, 'for (;;) {}');
    await everyoneElse(t, hostile);
    // The object still fails at its CPU limit, reported as before; the cancel stopped the rest.
    const run = await waitForRun(t.client, hostile, (r) => r.progress.processed === 1, 120_000);
    assert.deepEqual([run.progress.state, run.progress.failures, run.ended], ['CANCELLED', 1, null]);
    assert.deepEqual(await notes(t.client, hostile), [
      "script failed: script stopped after 4000 ms of CPU time (endless loop?); this worker's remaining objects are skipped",
    ]);
  });

  it('a memory bomb: the same requests are answered while its heap fills, then it fails at its limit', async () => {
    t = await start({ scriptLimits: { memoryBytes: 128 * 1024 * 1024 } });
    const hostile = await hostileRun(t, 'var a = []; for (;;) a.push({ x: a.length, y: [a.length] });');
    await everyoneElse(t, hostile);
    const run = await waitForRun(t.client, hostile, (r) => r.progress.processed === 1, 120_000);
    assert.deepEqual([run.progress.state, run.progress.failures], ['CANCELLED', 1]);
    assert.deepEqual(await notes(t.client, hostile), [
      "script failed: script ran out of memory (limit 128 MB); this worker's remaining objects are skipped",
    ]);
  });

  it('a script thread that dies fails the object it was on; the run goes on on a new thread and completes', async () => {
    t = await start();
    await putUsers(t.client, [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }]);
    const source = `if (input.userName === 'c1') { ${MARKER} for (;;) {} } true`;
    await t.client.put('/openidm/scheduler/job/crash', scanJob({ filter: 'true', source, threads: 3 }));
    const runId = await execute(t.client, 'crash');
    await waitFor(
      async () => (await t.client.get('/openidm/managed/bravo_user/marker')).status === 200,
      60_000,
    );
    assert.ok((await t.emulator.crashScriptThreads()) >= 1);
    const run = await waitForRun(t.client, runId, undefined, 60_000);
    assert.deepEqual(
      [run.progress.state, run.progress.processed, run.progress.successes, run.progress.failures],
      ['COMPLETED', 3, 2, 1],
      'the lost object is a failure, never a success',
    );
    assert.deepEqual(await notes(t.client, runId), [
      "script failed: the script thread ended (the thread exited with code 1) while this object's script ran or before its result was reported; this worker's remaining objects are skipped",
    ]);
    const c1 = (await t.client.get('/openidm/managed/alpha_user/c1')).body;
    assert.equal(c1.sunset['task-completed'], null, 'the failed object is claimed, not completed');
    // The server and the next run are fine.
    await putUsers(t.client, [{ id: 'c4' }]);
    await t.client.put('/openidm/scheduler/job/after', scanJob({ filter: 'userName eq "c4"', threads: 2 }));
    const after = await waitForRun(t.client, await execute(t.client, 'after'));
    assert.deepEqual([after.progress.state, after.progress.successes], ['COMPLETED', 1]);
  });
});
