// Task-scanner runs, same scenarios on every server (idm-api.md §4, §5).
import { strict as assert } from 'node:assert';
import {
  COMPLETED,
  STARTED,
  batchFilter,
  contractUser,
  newBatch,
  vendorFilter,
  scanJob,
  slowScript,
} from './support/builders';
import { show, type CrestErrorBody } from './support/http';
import {
  ISO_MILLIS,
  at,
  createUsers,
  execute,
  isDone,
  listRuns,
  pushExecutable,
  readRun,
  readUser,
  removeExecutable,
  settledRun,
  waitForListedRun,
  waitForRun,
} from './support/runs';
import { forEachTarget } from './support/targets';

forEachTarget('task-scanner runs', (t) => {
  const cleanup: string[] = [];
  after(async () => {
    for (const id of cleanup) await removeExecutable(t, id);
  });

  describe('a scan executed over REST', () => {
    const batch = newBatch('rest');
    // 6 users due, 2 not due yet: only a substituted ${Time.now} selects exactly the 6 (§5.2).
    const due = Array.from({ length: 6 }, (_, i) => contractUser(batch, i, { due: true }));
    const notDue = Array.from({ length: 2 }, (_, i) => contractUser(batch, 100 + i, { due: false }));
    let runId = '';

    before(async () => {
      await createUsers(t, [...due, ...notDue]);
      const id = `${batch}-job`;
      cleanup.push(id);
      const name = await pushExecutable(t, id, scanJob({ filter: batchFilter(batch), script: 'true;' }));
      runId = await execute(t, name);
    });

    it('reads the run until it completes, with its counters (§4.1)', async () => {
      const run = await waitForRun(t, runId, isDone);
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 6,
        total: 6,
        successes: 6,
        failures: 0,
      });
      assert.match(String(run.started), ISO_MILLIS);
      assert.match(String(run.ended), ISO_MILLIS);
      if (t.caps.runName) assert.equal(run.name, `schedule/${batch}-job`);
      else assert.equal('name' in run, false, 'the fork writes no run name (§4.1)');
    });

    it('substitutes ${Time.now}: users not yet due are not scanned (§5.2)', async () => {
      for (const user of notDue) {
        const stored = await readUser(t, user._id);
        assert.equal(at(stored, STARTED), undefined, `${user._id} was scanned: ${JSON.stringify(stored)}`);
      }
    });

    it('writes the task-state fields on each scanned object (§5.4)', async () => {
      for (const user of due) {
        const stored = await readUser(t, user._id);
        assert.match(String(at(stored, STARTED)), ISO_MILLIS, JSON.stringify(stored));
        assert.match(String(at(stored, COMPLETED)), ISO_MILLIS, JSON.stringify(stored));
      }
    });

    it('lists the run among the server’s runs (§4.3)', async () => {
      const runs = await listRuns(t);
      assert.ok(
        runs.some((r) => r._id === runId),
        `run ${runId} missing from ${JSON.stringify(runs.map((r) => r._id))}`,
      );
    });

    it('answers cancel of a completed run with 200 and status FAILURE (§4.3)', async () => {
      const reply = await t.http.post<{ _id: string; status: string }>(`/openidm/taskscanner/${runId}`, {
        _action: 'cancel',
      });
      assert.equal(reply.status, 200, show(reply));
      assert.equal(reply.body._id, runId);
      assert.equal(reply.body.status, 'FAILURE');
    });
  });

  describe('a script that does not return true', () => {
    const batch = newBatch('fail');
    const users = Array.from({ length: 6 }, (_, i) =>
      contractUser(batch, i, { givenName: i % 2 ? 'Odd' : 'Even' }),
    );
    let runId = '';

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      // Only Boolean true counts; the string "true" is a failure (§5.6).
      const script = 'input.givenName === "Even" ? true : "true";';
      runId = await execute(t, await pushExecutable(t, id, scanJob({ filter: batchFilter(batch), script })));
    });

    it('is counted as failed (§5.6)', async () => {
      const run = await waitForRun(t, runId, isDone);
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 6,
        total: 6,
        successes: 3,
        failures: 3,
      });
    });

    it('leaves completed unset on the failed objects, so they are scanned again (§5.6)', async () => {
      for (const user of users) {
        const stored = await readUser(t, user._id);
        assert.match(String(at(stored, STARTED)), ISO_MILLIS, JSON.stringify(stored));
        const done = at(stored, COMPLETED);
        if (user.givenName === 'Even') assert.match(String(done), ISO_MILLIS, JSON.stringify(stored));
        else assert.ok(done === undefined || done === null, JSON.stringify(stored));
      }
    });
  });

  describe('cancel of a running scan', () => {
    const batch = newBatch('cancel');
    const users = Array.from({ length: 20 }, (_, i) => contractUser(batch, i));
    let runId = '';

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      const job = scanJob({ filter: batchFilter(batch), script: slowScript(250), numberOfThreads: 1 });
      runId = await execute(t, await pushExecutable(t, id, job));
    });

    it('stops the run: CANCELLED, no ended time, fewer objects processed than found (§4.2, §5.7)', async () => {
      await waitForRun(t, runId, (r) => r.progress.state === 'ACTIVE' && r.progress.processed >= 1);
      const reply = await t.http.post<{ _id: string; status: string }>(`/openidm/taskscanner/${runId}`, {
        _action: 'cancel',
      });
      assert.equal(reply.status, 200, show(reply));
      assert.deepEqual({ _id: reply.body._id, status: reply.body.status }, { _id: runId, status: 'SUCCESS' });
      // The script that was running finishes; nothing after it starts (§5.7). A run that went on
      // would keep counting (one object per 0.25 s) until all 20 were processed.
      const run = await settledRun(t, runId);
      assert.equal(run.progress.state, 'CANCELLED', JSON.stringify(run));
      assert.equal(run.ended, t.caps.unsetTime, JSON.stringify(run));
      assert.equal(run.progress.total, 20);
      assert.ok(run.progress.processed < 20, `the run went on after cancel: ${JSON.stringify(run)}`);
    });
  });

  describe('a cron scan job pushed to the scheduler', () => {
    const batch = newBatch('cron');
    const users = Array.from({ length: 4 }, (_, i) => contractUser(batch, i));
    const id = `${batch}-job`;

    before(async () => {
      await createUsers(t, users);
    });
    after(async () => {
      await t.http.delete(`/openidm/scheduler/job/${id}`);
    });

    it('is fired by its trigger and its run completes the scan (§2.3, §4.1)', async function () {
      this.timeout(180_000);
      const known = new Set((await listRuns(t)).map((r) => r._id));
      const reply = await t.http.put(
        `/openidm/scheduler/job/${id}`,
        scanJob({ filter: batchFilter(batch), script: 'true;', schedule: '* * * * * ?' }),
      );
      assert.equal(reply.status, 201, show(reply));
      // The fork names no run, so any new run is this job's: the suite runs its scenarios one at a time.
      const mine = (r: { _id: string; name?: string | null }) =>
        !known.has(r._id) && (!t.caps.runName || r.name === `schedule/${id}`);
      await waitForListedRun(t, (runs) => runs.find(mine));
      // Stop further firings before waiting: later runs would find nothing left to do anyway.
      const removed = await t.http.delete(`/openidm/scheduler/job/${id}`);
      assert.equal(removed.status, 200, show(removed));
      // Fires a second apart may overlap (a scan job "runs" only while it starts its scan, §5.9): they
      // share the objects between them, each skipping those another has claimed.
      const runs = [];
      for (const r of (await listRuns(t)).filter(mine)) runs.push(await waitForRun(t, r._id, isDone));
      for (const run of runs) assert.equal(run.progress.total, 4, JSON.stringify(run));
      assert.equal(
        runs.reduce((n, r) => n + r.progress.successes, 0),
        4,
        JSON.stringify(runs),
      );
      for (const user of users) assert.match(String(at(await readUser(t, user._id), COMPLETED)), ISO_MILLIS);
    });
  });

  describe('the documentation’s filter, with text after its macro', () => {
    const batch = newBatch('hang');
    const users = Array.from({ length: 3 }, (_, i) => contractUser(batch, i));
    let runId = '';

    before(async () => {
      await createUsers(t, users);
      const id = `${batch}-job`;
      cleanup.push(id);
      runId = await execute(
        t,
        await pushExecutable(t, id, scanJob({ filter: vendorFilter(batch), script: 'true;' })),
      );
    });

    if (t.caps.truncatesAfterLastMacro) {
      it('hangs ACTIVE with nothing found: the text after ${Time.now} is cut (README item 1)', async () => {
        await waitForRun(t, runId, (r) => r.progress.state === 'ACTIVE');
        // The run never moves on; three seconds is many times what these three users take to scan.
        await new Promise((r) => setTimeout(r, 3000));
        const run = await readRun(t, runId);
        assert.deepEqual(
          { progress: run.progress, ended: run.ended },
          {
            progress: { state: 'ACTIVE', processed: 0, total: 0, successes: 0, failures: 0 },
            ended: t.caps.unsetTime,
          },
        );
      });

      it('can still be cancelled: CANCELLED, nothing processed (README items 1, 6)', async () => {
        const reply = await t.http.post<{ status: string }>(`/openidm/taskscanner/${runId}`, {
          _action: 'cancel',
        });
        assert.equal(reply.status, 200, show(reply));
        assert.equal(reply.body.status, 'SUCCESS');
        const run = await readRun(t, runId);
        assert.equal(run.progress.state, 'CANCELLED', JSON.stringify(run));
        assert.equal(run.progress.processed, 0, JSON.stringify(run));
      });
    } else {
      it('completes: the AIC default keeps the text after the macro (docs/emulator.md)', async () => {
        const run = await waitForRun(t, runId, isDone);
        assert.deepEqual(run.progress, {
          state: 'COMPLETED',
          processed: 3,
          total: 3,
          successes: 3,
          failures: 0,
        });
      });
    }
  });

  it('answers an unknown run id with 404 (§4.3)', async () => {
    const reply = await t.http.get<CrestErrorBody>('/openidm/taskscanner/no-such-run');
    assert.equal(reply.status, 404, show(reply));
    // OpenIDM HTML-escapes its error messages (shared openidm/README.md item 8).
    const id = t.caps.escapesMessages ? '&#39;no-such-run&#39;' : "'no-such-run'";
    assert.equal(reply.body.message, `Task with id ${id} not found.`);
  });

  if (t.caps.runQuery) {
    it('lists runs with _queryFilter=true in a query envelope (§4.3)', async () => {
      const reply = await t.http.get<{ result: unknown[]; resultCount: number }>('/openidm/taskscanner', {
        query: { _queryFilter: 'true' },
      });
      assert.equal(reply.status, 200, show(reply));
      assert.equal(reply.body.resultCount, reply.body.result.length);
    });
  } else {
    it('answers _queryFilter on /taskscanner with 501, as the fork does (§4.3)', async () => {
      const reply = await t.http.get('/openidm/taskscanner', { query: { _queryFilter: 'true' } });
      assert.equal(reply.status, 501, show(reply));
    });
  }
});
