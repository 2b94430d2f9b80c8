import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RunRecord,
  SUNSET_FILTER,
  Started,
  busyScript,
  execute,
  manyUsers,
  putUsers,
  scanJob,
  start,
  waitFor,
  waitForRun,
} from './support';

const SUNSET_SCRIPT =
  "openidm.patch(objectID, null, [{ operation: 'replace', field: '/accountStatus', value: 'inactive' }]);\ntrue;";

async function runJob(t: Started, name: string, job: Record<string, unknown>): Promise<RunRecord> {
  const put = await t.client.put(`/openidm/scheduler/job/${name}`, job);
  assert.ok(put.status === 201 || put.status === 200, JSON.stringify(put.body));
  return waitForRun(t.client, await execute(t.client, name));
}

async function logOf(
  t: Started,
  runId: string,
): Promise<{ level: string; source: string; objectID?: string; message: string }[]> {
  return (await t.client.get(`/scanjobs-emulator/runs/${runId}/log`)).body.entries;
}

describe('emulator: scan semantics (idm-api.md §5)', () => {
  let t: Started;
  afterEach(() => t.emulator.close());

  describe('on seeded users', () => {
    beforeEach(async () => {
      t = await start({ seedUsers: 300 });
    });

    it('runs the documentation sunset job to COMPLETED with the expected counts, and a second run finds nothing', async () => {
      const now = new Date().toISOString();
      const filter = encodeURIComponent(SUNSET_FILTER.replace('${Time.now}', now));
      const due = (
        await t.client.get(`/openidm/managed/alpha_user?_queryFilter=${filter}&_fields=_id`)
      ).body.result.map((u: { _id: string }) => u._id);
      assert.ok(due.length > 50 && due.length < 300, `seeded data should have work: ${due.length}`);
      const run = await runJob(t, 'sunset', scanJob({ source: SUNSET_SCRIPT }));
      assert.equal(run.progress.state, 'COMPLETED');
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: due.length,
        total: due.length,
        successes: due.length,
        failures: 0,
      });
      const sample = (await t.client.get(`/openidm/managed/alpha_user/${due[0]}`)).body;
      assert.equal(sample.accountStatus, 'inactive');
      assert.match(sample.sunset['task-started'], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.match(sample.sunset['task-completed'], /Z$/);
      // claim (two updates) + the script's patch + completion
      assert.equal(sample._rev, '5');
      const again = await waitForRun(t.client, await execute(t.client, 'sunset'));
      assert.deepEqual(again.progress, {
        state: 'COMPLETED',
        processed: 0,
        total: 0,
        successes: 0,
        failures: 0,
      });
      const touched = encodeURIComponent(`/sunset/task-started ge "${run.started}"`);
      const other = (await t.client.get(`/openidm/managed/user?_queryFilter=${touched}`)).body;
      assert.equal(other.resultCount, 0, 'managed/user is another collection');
    });

    it('runs the job exactly as AIC publishes it, once its filter and object are corrected', async () => {
      // examples/published holds the documentation's job verbatim: an invalid JSON escape and an
      // unbalanced filter (idm-api.md §5.2), and a placeholder realm.
      const text = readFileSync(join(__dirname, '../../examples/published/sunsetTask.scanjob.json'), 'utf8');
      const published = '"/sunset/date lt \\"$\\{Time.now}\\") AND !(/sunset/task-completed pr"';
      assert.ok(text.includes(published), 'the published filter is where the test expects it');
      const corrected = text
        .replace(published, JSON.stringify(SUNSET_FILTER))
        .replace('managed/realm-name_user', 'managed/alpha_user');
      const job = JSON.parse(corrected) as Record<string, unknown>;
      const now = new Date().toISOString();
      const filter = encodeURIComponent(SUNSET_FILTER.replace('${Time.now}', now));
      const due = (await t.client.get(`/openidm/managed/alpha_user?_queryFilter=${filter}&_fields=_id`)).body
        .resultCount as number;
      // A simple job without startTime fires when it is pushed (§2.3).
      assert.equal((await t.client.put('/openidm/scheduler/job/sunsetTask', job)).status, 201);
      await waitFor(
        async () => (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.resultCount === 1,
      );
      const fired = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body
        .result[0] as RunRecord;
      assert.equal(fired.name, 'schedule/sunsetTask');
      const run = await waitForRun(t.client, fired._id);
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: due,
        total: due,
        successes: due,
        failures: 0,
      });
      const inactive = encodeURIComponent('active eq false and accountStatus eq "inactive"');
      assert.equal(
        (await t.client.get(`/openidm/managed/alpha_user?_queryFilter=${inactive}`)).body.resultCount,
        due,
      );
      const again = await waitForRun(t.client, await execute(t.client, 'sunsetTask'));
      assert.deepEqual(again.progress, {
        state: 'COMPLETED',
        processed: 0,
        total: 0,
        successes: 0,
        failures: 0,
      });
    });

    it('counts a script that does not return exactly true as a failure and rescans the object next time', async () => {
      const patchLast =
        "openidm.patch(objectID, null, [{ operation: 'replace', field: '/description', value: 'seen' }]);";
      const first = await runJob(t, 'console', scanJob({ source: patchLast, maxRecords: 20 }));
      assert.deepEqual(first.progress, {
        state: 'COMPLETED',
        processed: 20,
        total: 20,
        successes: 0,
        failures: 20,
      });
      const log = await logOf(t, first._id);
      assert.ok(
        log.some(
          (e) =>
            e.level === 'warn' &&
            /script returned object, not true: counted as a failure/.test(e.message) &&
            e.objectID?.startsWith('managed/alpha_user/'),
        ),
      );
      const second = await runJob(t, 'console', scanJob({ source: "'true'", maxRecords: 20 }));
      assert.equal(second.progress.total, 20, 'the same objects are due again');
      assert.equal(second.progress.failures, 20, "the string 'true' is not true");
    });

    it('honours maxRecords and spreads the work over numberOfThreads', async () => {
      const run = await runJob(t, 'capped', scanJob({ maxRecords: 7, threads: 3 }));
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 7,
        total: 7,
        successes: 7,
        failures: 0,
      });
    });
  });

  describe('on hand-made users', () => {
    beforeEach(async () => {
      t = await start();
    });

    it('ends a worker slice at a script exception and keeps the other workers going', async () => {
      await putUsers(t.client, manyUsers(10));
      const source = "if (input.userName === 'user0003') { throw new Error('boom'); } true";
      let run = await runJob(t, 'one', scanJob({ source, threads: 1 }));
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 4,
        total: 10,
        successes: 3,
        failures: 1,
      });
      const log = await logOf(t, run._id);
      assert.ok(
        log.some(
          (e) =>
            e.level === 'error' &&
            e.objectID === 'managed/alpha_user/user0003' &&
            /script failed: Error: boom/.test(e.message),
        ),
      );
      run = await runJob(t, 'two', scanJob({ source, threads: 2 }));
      // 7 objects still due (user0003 is re-claimed: no recovery timeout), dealt round-robin:
      // [0003, 0005, 0007, 0009] stops at once, [0004, 0006, 0008] completes.
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 4,
        total: 7,
        successes: 3,
        failures: 1,
      });
    });

    it('skips objects still owned within the recovery timeout and re-claims them after it', async () => {
      const minuteAgo = new Date(Date.now() - 60_000).toISOString();
      await putUsers(t.client, [{ id: 'owned', started: minuteAgo }, { id: 'free' }]);
      let run = await runJob(t, 'rec', scanJob({ recovery: '10m' }));
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 1,
        total: 2,
        successes: 1,
        failures: 0,
      });
      assert.equal(
        (await t.client.get('/openidm/managed/alpha_user/owned')).body.sunset['task-started'],
        minuteAgo,
      );
      run = await runJob(t, 'rec', scanJob({ recovery: '30s' }));
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 1,
        total: 1,
        successes: 1,
        failures: 0,
      });
      assert.notEqual(
        (await t.client.get('/openidm/managed/alpha_user/owned')).body.sunset['task-started'],
        minuteAgo,
      );
    });

    it('stops a worker at a started value that is not a full ISO timestamp, as the platform does', async () => {
      await putUsers(t.client, [{ id: 'a' }, { id: 'b', started: '2024-01-01' }, { id: 'c' }]);
      const run = await runJob(t, 'bad', scanJob({ threads: 1 }));
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 1,
        total: 3,
        successes: 1,
        failures: 0,
      });
      assert.ok((await logOf(t, run._id)).some((e) => /not yyyy-MM-ddTHH:mm:ss\.SSSZ/.test(e.message)));
    });

    it('lets two overlapping runs share the work through the claim protocol', async () => {
      await putUsers(t.client, manyUsers(60));
      await t.client.put(
        '/openidm/scheduler/job/twice',
        scanJob({ source: busyScript(2), threads: 2, recovery: '10m' }),
      );
      const [a, b] = [await execute(t.client, 'twice'), await execute(t.client, 'twice')];
      const runs = [await waitForRun(t.client, a), await waitForRun(t.client, b)];
      assert.equal(runs[0].progress.successes + runs[1].progress.successes, 60);
      const done = (
        await t.client.get(
          `/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent('/sunset/task-completed pr')}`,
        )
      ).body;
      assert.equal(done.resultCount, 60);
    });

    it('cancels promptly mid-run: CANCELLED, no ended, no further objects', async () => {
      await putUsers(t.client, manyUsers(150));
      await t.client.put('/openidm/scheduler/job/long', scanJob({ source: busyScript(5), threads: 2 }));
      const id = await execute(t.client, 'long');
      await waitForRun(t.client, id, (r) => r.progress.processed > 0);
      assert.deepEqual((await t.client.post(`/openidm/taskscanner/${id}?_action=cancel`)).body, {
        _id: id,
        status: 'SUCCESS',
      });
      const right = await waitForRun(t.client, id, (r) => r.progress.state === 'CANCELLED');
      await new Promise((r) => setTimeout(r, 300));
      const later = (await t.client.get(`/openidm/taskscanner/${id}`)).body as RunRecord;
      assert.equal(later.progress.state, 'CANCELLED');
      assert.equal(later.ended, null);
      assert.ok(later.progress.processed < 150);
      assert.ok(later.progress.processed - right.progress.processed <= 20, 'workers stop within a batch');
      assert.equal((await t.client.post(`/openidm/taskscanner/${id}?_action=cancel`)).body.status, 'SUCCESS');
    });

    it('shows a script its object as claimed: input and openidm.read agree (started set, completed null)', async () => {
      await putUsers(t.client, [{ id: 'self' }]);
      const source = [
        'var own = openidm.read(objectID);',
        "own._rev === input._rev && own._rev === '3' && own.sunset['task-completed'] === null &&",
        "  own.sunset['task-started'] === input.sunset['task-started'] && /Z$/.test(own.sunset['task-started'])",
      ].join('\n');
      const run = await runJob(t, 'self', scanJob({ source }));
      assert.equal(run.progress.successes, 1, JSON.stringify(await logOf(t, run._id)));
      assert.equal((await t.client.get('/openidm/managed/alpha_user/self')).body._rev, '4');
    });

    it('gives scripts openidm.*, logger, identityServer and the job globals', async () => {
      await putUsers(t.client, [{ id: 'main' }]);
      await putUsers(
        t.client,
        [{ id: 'other', extra: { description: 'from the other realm' } }],
        'bravo_user',
      );
      const source = [
        "var other = openidm.read('managed/bravo_user/other');",
        "var missing = openidm.read('managed/bravo_user/none');",
        "var q = openidm.query('managed/bravo_user', { _queryFilter: 'true' }, ['description']);",
        "openidm.create('managed/bravo_user', 'made-' + input._id, { userName: 'made', note: greeting });",
        "logger.info('read {} and {} result(s), missing is {}', other.description, q.resultCount, missing);",
        "logger.warn('property {}', identityServer.getProperty('x', 'fallback'));",
        "objectID === 'managed/alpha_user/main' && input.userName === 'main' && greeting === 'hi';",
      ].join('\n');
      const run = await runJob(t, 'api', scanJob({ source, globals: { greeting: 'hi' } }));
      assert.equal(run.progress.successes, 1, JSON.stringify(await logOf(t, run._id)));
      const log = await logOf(t, run._id);
      assert.deepEqual(
        log.filter((e) => e.source === 'script').map((e) => [e.level, e.message, e.objectID]),
        [
          ['info', 'read from the other realm and 1 result(s), missing is null', 'managed/alpha_user/main'],
          ['warn', 'property fallback', 'managed/alpha_user/main'],
        ],
      );
      assert.equal((await t.client.get('/openidm/managed/bravo_user/made-main')).body.note, 'hi');
    });
  });

  describe('known platform defects', () => {
    it('leaves a run with a bad filter ACTIVE and says so; --strict makes it ERROR', async () => {
      t = await start();
      await t.client.put('/openidm/scheduler/job/broken', scanJob({ filter: '/sunset/date lt' }));
      const id = await execute(t.client, 'broken');
      await waitFor(async () => (await logOf(t, id)).length > 0);
      await new Promise((r) => setTimeout(r, 100));
      const run = (await t.client.get(`/openidm/taskscanner/${id}`)).body as RunRecord;
      assert.equal(run.progress.state, 'ACTIVE');
      assert.match((await logOf(t, id))[0]!.message, /scan\._queryFilter .*leaves such a run ACTIVE forever/);
      assert.ok(t.logs.some((l) => l.includes(id) && /known defect; --strict makes it ERROR/.test(l)));
      assert.equal((await t.client.post(`/openidm/taskscanner/${id}?_action=cancel`)).body.status, 'SUCCESS');
      await t.emulator.close();

      t = await start({ strict: true });
      await t.client.put('/openidm/scheduler/job/broken', scanJob({ filter: '/sunset/date lt' }));
      const strictRun = await waitForRun(t.client, await execute(t.client, 'broken'));
      assert.equal(strictRun.progress.state, 'ERROR');
      assert.equal(strictRun.ended, null);
      assert.match((await logOf(t, strictRun._id))[0]!.message, /Invalid query filter/);
    });

    it('answers a synchronous run with a bad configuration with an error', async () => {
      t = await start();
      await t.client.put(
        '/openidm/scheduler/job/nofilter',
        scanJob({ filter: '(', waitForCompletion: true }),
      );
      let r = await t.client.post('/openidm/taskscanner?_action=execute&name=nofilter');
      assert.equal(r.status, 500);
      await t.client.put(
        '/openidm/scheduler/job/noobject',
        scanJob({ object: 'managed/nobody', waitForCompletion: true }),
      );
      r = await t.client.post('/openidm/taskscanner?_action=execute&name=noobject');
      assert.equal(r.status, 400);
      assert.equal(r.body.message, 'Error during query');
      assert.match(r.body.detail.message, /managed\/nobody/);
    });

    it('without taskState every worker stops at its first object; --strict makes it ERROR', async () => {
      t = await start();
      await putUsers(t.client, manyUsers(3));
      const run = await runJob(t, 'nostate', scanJob({ taskState: null }));
      assert.deepEqual(run.progress, {
        state: 'COMPLETED',
        processed: 0,
        total: 3,
        successes: 0,
        failures: 0,
      });
      assert.ok(
        (await logOf(t, run._id)).some((e) =>
          /taskState\.started and scan\.taskState\.completed are required/.test(e.message),
        ),
      );
      await t.emulator.close();
      t = await start({ strict: true });
      await putUsers(t.client, manyUsers(3));
      assert.equal((await runJob(t, 'nostate', scanJob({ taskState: null }))).progress.state, 'ERROR');
    });

    it('with scan._fields the claim writes the object back as queried, dropping other fields', async () => {
      t = await start();
      await putUsers(t.client, [{ id: 'f1' }]);
      const run = await runJob(t, 'fields', scanJob({ fields: '_id,sunset' }));
      assert.equal(run.progress.successes, 1);
      const after = (await t.client.get('/openidm/managed/alpha_user/f1')).body;
      assert.equal(after.mail, undefined);
      assert.match(after.sunset['task-completed'], /Z$/);
    });
  });
});
