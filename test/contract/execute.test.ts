// Executing scan jobs and the run routes, same scenarios on every server (idm-api.md §4; shared
// openidm/README.md items 3, 4, 6, 7). Expectations are the live OpenIDM 6.1.0's observed answers; the
// AIC default asserts its own where the capability profile says it differs.
import { strict as assert } from 'node:assert';
import { batchFilter, contractUser, newBatch, scanJob, slowScript } from './support/builders';
import { show, type CrestErrorBody } from './support/http';
import {
  type Run,
  createUsers,
  execute,
  isDone,
  listRuns,
  pushExecutable,
  readRun,
  readUser,
  removeExecutable,
  settledRun,
  waitForRun,
} from './support/runs';
import { forEachTarget, type Target } from './support/targets';

/** A message as the target words it: OpenIDM HTML-escapes quotes (README item 8). */
const worded = (t: Target, message: string) =>
  t.caps.escapesMessages ? message.replace(/'/g, '&#39;').replace(/"/g, '&quot;') : message;

forEachTarget('execute and runs', (t) => {
  const cleanup: string[] = [];
  after(async () => {
    for (const id of cleanup) await removeExecutable(t, id);
  });

  it('refuses execute without a name: 400 naming null (§4.4)', async () => {
    const reply = await t.http.post<CrestErrorBody>('/openidm/taskscanner', { _action: 'execute' });
    assert.equal(reply.status, 400, show(reply));
    assert.equal(reply.body.message, worded(t, "Error obtaining named config: 'null'"));
  });

  it('refuses execute of an unknown name: 400 naming it (§4.4)', async () => {
    const reply = await t.http.post<CrestErrorBody>('/openidm/taskscanner', {
      _action: 'execute',
      name: 'scheduler-service-group.sunset',
    });
    assert.equal(reply.status, 400, show(reply));
    assert.equal(
      reply.body.message,
      worded(t, "Error obtaining named config: 'scheduler-service-group.sunset'"),
    );
  });

  it('executes a /scheduler/job job by its id on AIC; OpenIDM reads config/<name> only (README 4)', async () => {
    const batch = newBatch('jobonly');
    const id = `${batch}-job`;
    const put = await t.http.put(
      `/openidm/scheduler/job/${id}`,
      scanJob({ filter: batchFilter(batch), script: 'true;' }),
    );
    assert.equal(put.status, 201, show(put));
    try {
      const reply = await t.http.post<CrestErrorBody>('/openidm/taskscanner', {
        _action: 'execute',
        name: id,
      });
      if (t.caps.executeBy === 'job') assert.equal(reply.status, 200, show(reply));
      else {
        assert.equal(reply.status, 400, show(reply));
        assert.equal(reply.body.message, worded(t, `Error obtaining named config: '${id}'`));
      }
    } finally {
      await t.http.delete(`/openidm/scheduler/job/${id}`);
    }
  });

  it('executes a config schedule by schedule/<name> on every server (§4.4)', async () => {
    const batch = newBatch('config');
    const users = [contractUser(batch, 0)];
    await createUsers(t, users);
    const id = `${batch}-job`;
    cleanup.push(id);
    const put = await t.http.put(
      `/openidm/config/schedule/${id}`,
      scanJob({ filter: batchFilter(batch), script: 'true;' }),
    );
    assert.equal(put.status, 201, show(put));
    const runId = await execute(t, `schedule/${id}`);
    const run = await waitForRun(t, runId, isDone);
    assert.equal(run.progress.successes, 1, JSON.stringify(run));
  });

  it('answers execute sent with GET as an unrecognized parameter: 400 (§4.3)', async () => {
    const reply = await t.http.get<CrestErrorBody>('/openidm/taskscanner', {
      query: { _action: 'execute', name: 'schedule/x' },
    });
    assert.equal(reply.status, 400, show(reply));
    assert.equal(reply.body.message, worded(t, "Unrecognized request parameter '_action'"));
  });

  it('refuses a script that does not compile synchronously: 400 (§4.4)', async () => {
    const batch = newBatch('nocompile');
    const id = `${batch}-job`;
    cleanup.push(id);
    const name = await pushExecutable(t, id, scanJob({ filter: batchFilter(batch), script: 'var x = ;' }));
    const reply = await t.http.post<CrestErrorBody>('/openidm/taskscanner', { _action: 'execute', name });
    assert.equal(reply.status, 400, show(reply));
  });

  it('answers an unknown collection action with 400 Unknown action (§4.3)', async () => {
    const reply = await t.http.post<CrestErrorBody>('/openidm/taskscanner', { _action: 'foo' });
    assert.equal(reply.status, 400, show(reply));
    assert.equal(reply.body.message, 'Unknown action: foo');
  });

  it('answers cancel of an unknown run with 404 (§4.3, README 6)', async () => {
    const reply = await t.http.post<CrestErrorBody>('/openidm/taskscanner/nope', { _action: 'cancel' });
    assert.equal(reply.status, 404, show(reply));
    assert.equal(reply.body.message, worded(t, "Task with id 'nope' not found."));
  });

  describe('with waitForCompletion: true in the job', () => {
    const batch = newBatch('wait');
    const users = Array.from({ length: 3 }, (_, i) => contractUser(batch, i));
    let run: Run | undefined;

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      const job = scanJob({ filter: batchFilter(batch), script: slowScript(100) });
      const name = await pushExecutable(t, id, {
        ...job,
        invokeContext: { ...job.invokeContext, waitForCompletion: true },
      } as typeof job);
      run = await readRun(t, await execute(t, name));
    });

    it('answers execute only once the run has ended (§4.4, README 4)', () => {
      assert.equal(run?.progress.state, 'COMPLETED', JSON.stringify(run));
      assert.equal(run?.progress.successes, 3, JSON.stringify(run));
    });
  });

  describe('runs and their records', () => {
    const batch = newBatch('records');
    const users = Array.from({ length: 2 }, (_, i) => contractUser(batch, i));
    let first = '';
    let second = '';

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      const name = await pushExecutable(t, id, scanJob({ filter: batchFilter(batch), script: 'true;' }));
      first = await execute(t, name);
      await waitForRun(t, first, isDone);
      second = await execute(t, name);
      await waitForRun(t, second, isDone);
    });

    it('has exactly _id, progress, started, ended (and name on AIC) (§4.1, README 3)', async () => {
      const run = await readRun(t, first);
      const keys = Object.keys(run).sort();
      const expected = ['_id', 'ended', 'progress', 'started', ...(t.caps.runName ? ['name'] : [])].sort();
      assert.deepEqual(keys, expected, JSON.stringify(run));
      assert.deepEqual(Object.keys(run.progress).sort(), [
        'failures',
        'processed',
        'state',
        'successes',
        'total',
      ]);
    });

    it('lists runs oldest first (§4.3, README 3)', async () => {
      const ids = (await listRuns(t)).map((r) => r._id);
      assert.ok(ids.indexOf(first) >= 0 && ids.indexOf(first) < ids.indexOf(second), JSON.stringify(ids));
    });

    it('lists every run under GET /taskscanner as {_id: "", tasks} (§4.3)', async () => {
      const reply = await t.http.get<{ _id: string; tasks: Run[] }>('/openidm/taskscanner');
      assert.equal(reply.status, 200, show(reply));
      assert.equal(reply.body._id, '');
      assert.ok(
        reply.body.tasks.some((r) => r._id === second),
        show(reply),
      );
    });

    it('skips objects claimed within recovery.timeout on a rerun: found, not processed (§5.4, §5.5)', async () => {
      const run = await readRun(t, second);
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 0,
        total: 2,
        successes: 0,
        failures: 0,
      });
    });

    it('answers an unknown action on a run with 400 naming it (§4.3)', async () => {
      const reply = await t.http.post<CrestErrorBody>(`/openidm/taskscanner/${first}`, { _action: 'foo' });
      assert.equal(reply.status, 400, show(reply));
      assert.equal(reply.body.message, worded(t, `Action 'foo' on Task '${first}' not supported {}`));
    });

    it('answers cancel with the run id and status, and the fork its action too (README 6)', async () => {
      const reply = await t.http.post<Record<string, unknown>>(`/openidm/taskscanner/${first}`, {
        _action: 'cancel',
      });
      assert.equal(reply.status, 200, show(reply));
      const expected: Record<string, unknown> = { _id: first, status: 'FAILURE' };
      if (!t.caps.runName) expected.action = 'cancel';
      assert.deepEqual(reply.body, expected);
    });
  });

  describe('a script that throws', () => {
    const batch = newBatch('throw');
    // One worker: the throw on the second object ends the worker's share (README 7).
    const users = Array.from({ length: 4 }, (_, i) =>
      contractUser(batch, i, { givenName: i === 1 ? 'Boom' : 'Ada' }),
    );
    let run: Run | undefined;

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      const script = 'if (input.givenName === "Boom") { throw new Error("boom"); } true;';
      const name = await pushExecutable(
        t,
        id,
        scanJob({ filter: batchFilter(batch), script, numberOfThreads: 1 }),
      );
      run = await waitForRun(t, await execute(t, name), isDone);
    });

    it('ends its worker’s share: COMPLETED with processed < total (§5.6, README 7)', () => {
      assert.deepEqual(run?.progress, {
        state: 'COMPLETED',
        processed: 2,
        total: 4,
        successes: 1,
        failures: 1,
      });
    });

    it('leaves the objects after it untouched (§5.6, README 7)', async () => {
      const last = await readUser(t, users[3]!._id);
      assert.equal((last.sunset as Record<string, unknown>)['task-started'], undefined, JSON.stringify(last));
    });
  });

  describe('cancel while an object is in flight', () => {
    const batch = newBatch('inflight');
    const users = Array.from({ length: 10 }, (_, i) => contractUser(batch, i));
    let runId = '';
    let beforeCancel: Run | undefined;
    let cancelled: Run | undefined;

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      const job = scanJob({ filter: batchFilter(batch), script: slowScript(600), numberOfThreads: 1 });
      runId = await execute(t, await pushExecutable(t, id, job));
      beforeCancel = await waitForRun(
        t,
        runId,
        (r) => r.progress.state === 'ACTIVE' && r.progress.processed >= 1,
      );
      const reply = await t.http.post(`/openidm/taskscanner/${runId}`, { _action: 'cancel' });
      assert.equal(reply.status, 200, show(reply));
      cancelled = await readRun(t, runId);
    });

    it('is CANCELLED at once (§4.2, README 6)', () => {
      assert.equal(cancelled?.progress.state, 'CANCELLED', JSON.stringify(cancelled));
    });

    it('claims nothing new after the cancel; the object in flight may still finish (README 6)', async () => {
      // The one thread is busy with an object (0.6 s each) when the cancel comes; a run that went on
      // would keep counting until all were processed.
      const settled = await settledRun(t, runId, 2000);
      const pre = beforeCancel!.progress.processed;
      // Whether processed grows past the last count read before the cancel depends on where the
      // thread was (recorded: 2 → 3 after a cancel; seen too: 1 → 1), so only the bounds are asserted.
      assert.ok(
        settled.progress.processed >= pre && settled.progress.processed < 10,
        JSON.stringify({ pre, settled }),
      );
      assert.equal(settled.progress.state, 'CANCELLED');
      assert.equal(settled.ended, t.caps.unsetTime);
    });
  });
});
