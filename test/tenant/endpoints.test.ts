import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { CrestError, IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { watchRun } from '../../src/core/watch';
import { scanJob } from './support/jobs';

describe('tenant endpoints against the emulator over real HTTP', function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  let client: TenantClient;

  before(async () => {
    emu = await startEmulator({ port: 0, inMemory: true, seedUsers: 60, log: () => undefined });
    client = new TenantClient(emu.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), { env: {} });
  });
  after(async () => {
    await client.close();
    await emu.close();
  });

  describe('scheduler jobs (/openidm/scheduler/job)', () => {
    it('upserts: 201 created, then 200 updated', async () => {
      const first = await client.jobs.upsert('upsert-me', scanJob());
      assert.equal(first.created, true);
      assert.equal(first.job._id, 'upsert-me');
      assert.equal(first.job.invokeService, 'org.forgerock.openidm.taskscanner');
      const second = await client.jobs.upsert('upsert-me', scanJob({ threads: 3 }));
      assert.equal(second.created, false);
      assert.equal((second.job.invokeContext as { numberOfThreads: number }).numberOfThreads, 3);
    });

    it('reads a job and reports a missing one as a 404 CREST error', async () => {
      await client.jobs.upsert('read-me', scanJob());
      assert.equal((await client.jobs.read('read-me'))._id, 'read-me');
      await assert.rejects(client.jobs.read('no-such-job'), (err: unknown) => {
        assert.ok(err instanceof CrestError);
        assert.equal(err.status, 404);
        assert.equal(err.reason, 'Not Found');
        assert.equal(err.method, 'GET');
        assert.equal(err.path, '/openidm/scheduler/job/no-such-job');
        return true;
      });
    });

    it('pages through a query with the cookie until the last page', async () => {
      for (let i = 0; i < 7; i++) await client.jobs.upsert(`page-${i}`, scanJob());
      const first = await client.jobs.query({ filter: '_id sw "page-"', pageSize: 3 });
      assert.equal(first.result.length, 3);
      assert.ok(first.pagedResultsCookie);
      const all = await client.jobs.list({ filter: '_id sw "page-"', pageSize: 3 });
      assert.deepEqual(
        all.map((j) => j._id),
        Array.from({ length: 7 }, (_, i) => `page-${i}`),
      );
    });

    it('deletes a job and returns it as it was', async () => {
      await client.jobs.upsert('delete-me', scanJob());
      const gone = await client.jobs.delete('delete-me');
      assert.equal(gone._id, 'delete-me');
      await assert.rejects(
        client.jobs.read('delete-me'),
        (err: unknown) => err instanceof CrestError && err.status === 404,
      );
    });

    it('pauses, resumes and triggers a job', async () => {
      await client.jobs.upsert('actions', scanJob());
      assert.equal(await client.jobs.pause('actions'), true);
      assert.equal(await client.jobs.resume('actions'), true);
      const before = (await client.runs.list({ job: 'actions' })).length;
      assert.equal(await client.jobs.trigger('actions'), true);
      let after = before;
      for (let i = 0; i < 50 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = (await client.runs.list({ job: 'actions' })).length;
      }
      assert.equal(after, before + 1, 'the trigger started one run');
    });

    it('lists the jobs executing now as an array', async () => {
      assert.ok(Array.isArray(await client.jobs.currentlyExecuting()));
    });

    it('validates cron expressions', async () => {
      assert.equal(await client.jobs.validateCron('0 0/5 * * * ?'), true);
      assert.equal(await client.jobs.validateCron('0 0 * * *'), false);
    });
  });

  describe('static schedules (/openidm/config/schedule)', () => {
    it('creates, lists, reads and deletes a static schedule', async () => {
      const created = await client.scheduleConfigs.upsert('static-one', scanJob());
      assert.equal(created.created, true);
      assert.equal((await client.scheduleConfigs.upsert('static-one', scanJob())).created, false);
      assert.ok((await client.scheduleConfigs.names()).includes('static-one'));
      assert.equal((await client.scheduleConfigs.read('static-one')).invokeService, 'taskscanner');
      await client.scheduleConfigs.delete('static-one');
      await assert.rejects(
        client.scheduleConfigs.read('static-one'),
        (err: unknown) => err instanceof CrestError && err.status === 404,
      );
    });
  });

  describe('task-scanner runs (/openidm/taskscanner)', () => {
    it('executes by name, reads the run, lists it under its job, and follows it to COMPLETED', async () => {
      await client.jobs.upsert('run-me', scanJob({ stateKey: 'runMe' }));
      const { runId, recovered } = await client.runs.execute('run-me');
      assert.equal(recovered, false);
      const run = await client.runs.read(runId);
      assert.equal(run._id, runId);
      assert.equal(run.name, 'schedule/run-me');
      assert.ok((await client.runs.list({ job: 'run-me' })).some((r) => r._id === runId));
      const end = await watchRun(runId, client.runs);
      assert.equal(end.type === 'final' && end.run.progress.state, 'COMPLETED');
      assert.ok(end.type === 'final' && end.run.progress.successes > 0);
    });

    it('cancel says FAILURE for a completed run', async () => {
      await client.jobs.upsert('done-job', scanJob());
      const { runId } = await client.runs.execute('done-job');
      await watchRun(runId, client.runs);
      assert.deepEqual(await client.runs.cancel(runId), { status: 'FAILURE', recovered: false });
    });

    it('reports an unknown job and an unknown run with the server message', async () => {
      await assert.rejects(
        client.runs.execute('no-such-job'),
        (err: unknown) => err instanceof CrestError && err.status === 400,
      );
      await assert.rejects(client.runs.read('no-such-run'), (err: unknown) => {
        assert.ok(err instanceof CrestError);
        assert.equal(err.serverMessage, "Task with id 'no-such-run' not found.");
        return true;
      });
    });
  });

  describe('managed objects and scripts', () => {
    it('lists managed object schemas for completion', async () => {
      const schemas = await client.managedSchemas();
      const user = schemas.find((s) => s.resource === 'managed/alpha_user');
      assert.ok(user, schemas.map((s) => s.resource).join(', '));
      assert.ok(Object.keys(user.properties).length > 0);
    });

    it('compiles a script, or returns why not', async () => {
      assert.deepEqual(await client.compileScript('var ok = 1; true;'), { ok: true });
      const bad = await client.compileScript('var x = ;');
      assert.equal(bad.ok, false);
      assert.match(bad.ok ? '' : bad.message, /does not compile/);
    });
  });
});
