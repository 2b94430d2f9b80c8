import { strict as assert } from 'node:assert';
import { MAX_COMPLETED_RUNS } from '../../src/emulator/runs';
import {
  RunRecord,
  Started,
  busyScript,
  execute,
  manyUsers,
  putUsers,
  scanJob,
  start,
  waitForRun,
} from './support';

describe('emulator: /openidm/taskscanner (idm-api.md §4)', () => {
  let t: Started;
  beforeEach(async () => {
    t = await start();
    await putUsers(t.client, [{ id: 'u1' }, { id: 'u2' }]);
  });
  afterEach(() => t.emulator.close());

  it('executes by job name, gives <uuid>-<n> run ids with one prefix, and reads the run record', async () => {
    await t.client.put('/openidm/scheduler/job/sunset', scanJob());
    const first = await execute(t.client, 'sunset');
    const second = await execute(t.client, 'SUNSET'.toLowerCase());
    const [prefix, n] = [first.slice(0, 36), Number(first.slice(37))];
    assert.match(first, /^[0-9a-f-]{36}-\d+$/);
    assert.equal(second, `${prefix}-${n + 1}`);
    const run = await waitForRun(t.client, first);
    assert.deepEqual(Object.keys(run), ['_id', 'name', 'progress', 'started', 'ended']);
    assert.equal(run.name, 'schedule/sunset');
    assert.match(run.started!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.match(run.ended!, /Z$/);
    const r = await t.client.get(`/openidm/taskscanner/${first}`);
    assert.equal(r.headers.get('etag'), null);
  });

  it('matches the action name case-insensitively and accepts the fork-style schedule/<name>', async () => {
    await t.client.put('/openidm/scheduler/job/sunset', scanJob());
    let r = await t.client.post('/openidm/taskscanner?_action=EXECUTE&name=sunset');
    assert.equal(r.status, 200);
    r = await t.client.post('/openidm/taskscanner?_action=execute&name=schedule/sunset');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['_id']);
  });

  it('refuses unknown names, missing names and jobs that are not task scanners', async () => {
    let r = await t.client.post('/openidm/taskscanner?_action=execute&name=nope');
    assert.deepEqual(r.body, {
      code: 400,
      reason: 'Bad Request',
      message: "Error obtaining named config: 'nope'",
    });
    r = await t.client.post('/openidm/taskscanner?_action=execute');
    assert.equal(r.body.message, "Error obtaining named config: 'null'");
    await t.client.put('/openidm/scheduler/job/plain', {
      schedule: '0 0 * * * ?',
      invokeService: 'script',
      invokeContext: { script: { type: 'text/javascript', source: 'true' } },
    });
    r = await t.client.post('/openidm/taskscanner?_action=execute&name=plain');
    assert.equal(r.status, 400);
    assert.match(r.body.message, /not a task scanner/);
  });

  it('refuses scripts with no type (500 as the platform), a file, another language or a syntax error', async () => {
    const withScript = (script: Record<string, unknown>) => {
      const job = scanJob();
      (job.invokeContext as { task: { script: unknown } }).task.script = script;
      return job;
    };
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ source: 'true' }, 500, /^Embedded script must have type$/],
      [{ type: 'text/javascript', file: 'sunset.js' }, 400, /only inline 'source' scripts/],
      [{ type: 'groovy', source: 'true' }, 400, /only text\/javascript/],
      [{ type: 'text/javascript', source: 'var x = ;' }, 400, /^The script does not compile: /],
    ];
    for (const [script, status, message] of cases) {
      await t.client.put('/openidm/scheduler/job/s', withScript(script));
      const r = await t.client.post('/openidm/taskscanner?_action=execute&name=s');
      assert.equal(r.status, status, JSON.stringify(script));
      assert.match(r.body.message, message);
    }
    assert.equal(
      (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.resultCount,
      0,
      'no run was created',
    );
  });

  it('returns only after the run with waitForCompletion in the job, and ignores the request parameter', async () => {
    await t.client.put('/openidm/scheduler/job/sync', scanJob({ waitForCompletion: true }));
    let r = await t.client.post('/openidm/taskscanner?_action=execute&name=sync');
    let run = (await t.client.get(`/openidm/taskscanner/${r.body._id}`)).body as RunRecord;
    assert.equal(run.progress.state, 'COMPLETED');
    assert.equal(run.progress.successes, 2);
    await putUsers(t.client, manyUsers(40));
    await t.client.put('/openidm/scheduler/job/async', scanJob({ source: busyScript(10), threads: 1 }));
    r = await t.client.post('/openidm/taskscanner?_action=execute&name=async&waitForCompletion=true');
    run = (await t.client.get(`/openidm/taskscanner/${r.body._id}`)).body as RunRecord;
    assert.notEqual(run.progress.state, 'COMPLETED');
    await waitForRun(t.client, r.body._id);
  });

  it('lists runs oldest first, the AIC way and the old way', async () => {
    await t.client.put('/openidm/scheduler/job/sunset', scanJob());
    const ids = [await execute(t.client, 'sunset'), await execute(t.client, 'sunset')];
    for (const id of ids) await waitForRun(t.client, id);
    let r = await t.client.get('/openidm/taskscanner?_queryFilter=true');
    assert.deepEqual(
      r.body.result.map((x: RunRecord) => x._id),
      ids,
    );
    r = await t.client.get('/openidm/taskscanner');
    assert.equal(r.body._id, '');
    assert.deepEqual(
      r.body.tasks.map((x: RunRecord) => x._id),
      ids,
    );
    r = await t.client.get(`/openidm/taskscanner?_queryFilter=${encodeURIComponent(`_id eq "${ids[1]}"`)}`);
    assert.deepEqual(
      r.body.result.map((x: RunRecord) => x._id),
      [ids[1]],
    );
    r = await t.client.get(`/openidm/taskscanner?_queryFilter=${encodeURIComponent('progress/state eq')}`);
    assert.equal(r.status, 400);
  });

  it('cancels: SUCCESS while running, FAILURE once COMPLETED, 404 for an unknown id, 400 for other actions', async () => {
    await t.client.put('/openidm/scheduler/job/sunset', scanJob());
    const id = await execute(t.client, 'sunset');
    await waitForRun(t.client, id);
    let r = await t.client.post(`/openidm/taskscanner/${id}?_action=cancel`);
    assert.deepEqual(r.body, { _id: id, status: 'FAILURE' });
    r = await t.client.post('/openidm/taskscanner/nope-1?_action=cancel');
    assert.equal(r.status, 404);
    assert.equal(r.body.message, "Task with id 'nope-1' not found.");
    r = await t.client.post(`/openidm/taskscanner/${id}?_action=pause&x=1`);
    assert.equal(r.status, 400);
    assert.equal(r.body.message, `Action 'pause' on Task '${id}' not supported {x=1}`);
    r = await t.client.get('/openidm/taskscanner/nope-1');
    assert.deepEqual(r.body, { code: 404, reason: 'Not Found', message: "Task with id 'nope-1' not found." });
  });

  it('refuses other operations with 501 and unknown collection actions with 400', async () => {
    let r = await t.client.post('/openidm/taskscanner?_action=foo');
    assert.equal(r.body.message, 'Unknown action: foo');
    r = await t.client.post('/openidm/taskscanner', {});
    assert.deepEqual(r.body, {
      code: 501,
      reason: 'Not Implemented',
      message: 'The CREATE operations are not supported',
    });
    r = await t.client.delete('/openidm/taskscanner/x');
    assert.equal(r.body.message, 'The DELETE operations are not supported');
    r = await t.client.put('/openidm/taskscanner/x', {}, { 'If-Match': '*' });
    assert.equal(r.body.message, 'The UPDATE operations are not supported');
    r = await t.client.patch('/openidm/taskscanner/x', []);
    assert.equal(r.body.message, 'The PATCH operations are not supported');
  });

  it(`keeps the newest ${MAX_COMPLETED_RUNS} COMPLETED runs and never evicts CANCELLED ones`, async () => {
    await t.client.put('/openidm/scheduler/job/empty', scanJob({ filter: 'false', waitForCompletion: true }));
    await putUsers(t.client, manyUsers(40));
    await t.client.put('/openidm/scheduler/job/slow', scanJob({ source: busyScript(10), threads: 1 }));
    const cancelled = await execute(t.client, 'slow');
    await waitForRun(t.client, cancelled, (r) => r.progress.state === 'ACTIVE');
    assert.equal(
      (await t.client.post(`/openidm/taskscanner/${cancelled}?_action=cancel`)).body.status,
      'SUCCESS',
    );
    const completed: string[] = [];
    for (let i = 0; i < MAX_COMPLETED_RUNS + 5; i++) completed.push(await execute(t.client, 'empty'));
    const ids = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result.map(
      (x: RunRecord) => x._id,
    );
    // Eviction happens when a run is added: the newest run is not counted until it completes.
    assert.equal(ids[0], cancelled);
    assert.ok(!ids.includes(completed[0]));
    assert.ok(ids.includes(completed[completed.length - 1]));
    assert.equal(ids.length, MAX_COMPLETED_RUNS + 2);
    assert.equal((await t.client.get(`/openidm/taskscanner/${completed[0]}`)).status, 404);
  });
});
