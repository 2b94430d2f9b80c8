import { strict as assert } from 'node:assert';
import { Started, scanJob, start } from './support';

const V2 = { 'Accept-API-Version': 'resource=2.0' };
const V1 = { 'Accept-API-Version': 'resource=1.0' };

describe('emulator: /openidm/scheduler/job (idm-api.md §2, §3.1)', () => {
  let t: Started;
  beforeEach(async () => {
    t = await start();
  });
  afterEach(() => t.emulator.close());

  it('creates with PUT (201 + Location), updates with PUT (200), and reads the normalized job', async () => {
    let r = await t.client.put('/openidm/scheduler/job/sunset', scanJob({ schedule: '0 0 * * * ?' }));
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), `${t.emulator.url}/openidm/scheduler/job/sunset`);
    assert.equal(r.headers.get('etag'), null);
    const keys = Object.keys(r.body);
    assert.deepEqual(keys, [
      '_id',
      'enabled',
      'persisted',
      'recoverable',
      'misfirePolicy',
      'schedule',
      'repeatInterval',
      'repeatCount',
      'type',
      'invokeService',
      'invokeContext',
      'invokeLogLevel',
      'startTime',
      'endTime',
      'concurrentExecution',
      'triggers',
      'previousRunDate',
      'nextRunDate',
    ]);
    assert.equal(r.body.invokeService, 'org.forgerock.openidm.taskscanner');
    assert.equal(r.body.repeatInterval, 0);
    assert.equal(r.body.repeatCount, 0);
    assert.equal(r.body.misfirePolicy, 'fireAndProceed');
    assert.equal(r.body.invokeLogLevel, 'info');
    assert.equal(r.body.concurrentExecution, false);
    assert.equal(r.body.triggers.length, 1);
    assert.equal(r.body.triggers[0]._id, 'scheduler-service-group.trigger-sunset');
    assert.equal(r.body.triggers[0].state, 'NORMAL');
    assert.match(r.body.nextRunDate, /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
    r = await t.client.put('/openidm/scheduler/job/sunset', scanJob({ enabled: false }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.triggers, []);
    assert.equal(r.body.nextRunDate, null);
    r = await t.client.get('/openidm/scheduler/job/sunset');
    assert.equal(r.status, 200);
    assert.equal(r.body.enabled, false);
  });

  it('creates with POST and with _action=create, assigning a UUID and ignoring a body _id', async () => {
    for (const path of ['/openidm/scheduler/job', '/openidm/scheduler/job?_action=create']) {
      const r = await t.client.post(path, { ...scanJob(), _id: 'mine' });
      assert.equal(r.status, 201);
      assert.match(r.body._id, /^[0-9a-f-]{36}$/);
      assert.equal(r.headers.get('location'), `${t.emulator.url}/openidm/scheduler/job/${r.body._id}`);
    }
  });

  it('answers reads, updates and deletes of missing jobs as the platform does', async () => {
    let r = await t.client.get('/openidm/scheduler/job/none');
    assert.deepEqual(r.body, { code: 404, reason: 'Not Found', message: 'Schedule does not exist' });
    r = await t.client.put('/openidm/scheduler/job/none', scanJob(), { 'If-Match': '*' });
    assert.equal(r.status, 404);
    r = await t.client.delete('/openidm/scheduler/job/none');
    assert.equal(r.status, 404);
    r = await t.client.get('/openidm/scheduler/job');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Empty resourceId');
    r = await t.client.patch('/openidm/scheduler/job/none', []);
    assert.equal(r.status, 501);
  });

  it('deletes, returning the job as it was', async () => {
    await t.client.put('/openidm/scheduler/job/gone', scanJob());
    const r = await t.client.delete('/openidm/scheduler/job/gone');
    assert.equal(r.status, 200);
    assert.equal(r.body._id, 'gone');
    assert.equal(r.body.triggers.length, 1);
    assert.equal((await t.client.get('/openidm/scheduler/job/gone')).status, 404);
  });

  it('validates fields with the platform messages (§2.1)', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ ...scanJob(), type: 'weekly' }, 400, /^Specified type value invalid: weekly$/],
      [{ ...scanJob(), schedule: ' ' }, 400, /^A schedule of type cron must provide a cron schedule$/],
      [{ ...scanJob(), schedule: '0 0 * * * * *x' }, 500, /^Invalid cron expression/],
      [{ ...scanJob(), misfirePolicy: 'later' }, 400, /^Invalid misfire policy: later$/],
      [
        { ...scanJob(), invokeService: '' },
        400,
        /^Invalid scheduler configuration, the invokeService property needs to be set but is empty\. Complete config:\{/,
      ],
      [
        { ...scanJob(), timeZone: 'Mars/Olympus' },
        400,
        /^Scheduler configured timezone is not understood: Mars\/Olympus$/,
      ],
      [{ ...scanJob(), enabled: 'yes' }, 400, /^Error creating schedule$/],
      [{ ...scanJob(), startTime: 'tomorrow' }, 500, /^Invalid format: "tomorrow"/],
      [{ ...scanJob({ type: 'simple' }), repeatCount: -2 }, 400, /^Error creating schedule$/],
    ];
    for (const [body, status, message] of cases) {
      const r = await t.client.put('/openidm/scheduler/job/bad', body);
      assert.equal(r.status, status, JSON.stringify(body).slice(0, 80));
      assert.match(r.body.message, message);
    }
    const r = await t.client.put('/openidm/scheduler/job/bad', { ...scanJob(), enabled: 'yes' });
    assert.deepEqual(r.body.detail, {
      field: 'enabled',
      problem: '\'enabled\' must be true or false, got "yes"',
    });
    const arr = await t.client.put('/openidm/scheduler/job/bad', [1]);
    assert.equal(arr.status, 400);
    assert.equal((await t.client.get('/openidm/scheduler/job/bad')).status, 404);
  });

  it('with --strict answers 400 where the platform answers 500', async () => {
    const strict = await start({ strict: true });
    try {
      let r = await strict.client.put('/openidm/scheduler/job/bad', { ...scanJob(), schedule: 'nonsense' });
      assert.equal(r.status, 400);
      r = await strict.client.post('/openidm/scheduler/job?_action=frobnicate', {});
      assert.equal(r.status, 400);
    } finally {
      await strict.emulator.close();
    }
  });

  it('accepts string booleans and keeps simple-job fields', async () => {
    const r = await t.client.put('/openidm/scheduler/job/s', {
      ...scanJob({
        type: 'simple',
        startTime: '2099-12-31T23:59:59Z',
        repeatInterval: 60000,
        repeatCount: 3,
      }),
      enabled: 'true',
      concurrentExecution: 'false',
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.enabled, true);
    assert.equal(r.body.schedule, null);
    assert.equal(r.body.repeatInterval, 60000);
    assert.equal(r.body.repeatCount, 3);
    assert.equal(r.body.nextRunDate, '2099-12-31T23:59:59.000Z');
    assert.equal(r.body.triggers[0].serialized.type, 'SimpleTriggerImpl');
  });

  it('queries with _queryFilter, _fields, _sortKeys and paging cookies', async () => {
    for (const id of ['c', 'a', 'b'])
      await t.client.put(`/openidm/scheduler/job/${id}`, scanJob({ enabled: id !== 'b' }));
    await t.client.put('/openidm/scheduler/job/plain', {
      schedule: '0 0 * * * ?',
      invokeService: 'script',
      invokeContext: { script: { type: 'text/javascript', source: 'true' } },
    });
    let r = await t.client.get('/openidm/scheduler/job?_queryFilter=true&_fields=_id,enabled');
    assert.deepEqual(r.body.result, [
      { _id: 'a', enabled: true },
      { _id: 'b', enabled: false },
      { _id: 'c', enabled: true },
      { _id: 'plain', enabled: true },
    ]);
    assert.equal(r.body.totalPagedResultsPolicy, 'EXACT');
    assert.equal(r.body.totalPagedResults, 4);
    r = await t.client.get(
      `/openidm/scheduler/job?_queryFilter=${encodeURIComponent('invokeContext/task/ pr')}&_fields=_id`,
    );
    assert.deepEqual(
      r.body.result.map((j: { _id: string }) => j._id),
      ['a', 'b', 'c'],
    );
    r = await t.client.get('/openidm/scheduler/job?_queryFilter=true&_fields=_id&_sortKeys=-_id&_pageSize=2');
    assert.deepEqual(r.body.result, [{ _id: 'plain' }, { _id: 'c' }]);
    assert.equal(r.body.pagedResultsCookie, '2');
    assert.equal(r.body.remainingPagedResults, 2);
    r = await t.client.get(
      '/openidm/scheduler/job?_queryFilter=true&_fields=_id&_sortKeys=-_id&_pageSize=2&_pagedResultsCookie=2',
    );
    assert.deepEqual(r.body.result, [{ _id: 'b' }, { _id: 'a' }]);
    assert.equal(r.body.pagedResultsCookie, null);
    r = await t.client.get('/openidm/scheduler/job?_queryId=query-all-ids');
    assert.deepEqual(r.body.result, [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }, { _id: 'plain' }]);
    r = await t.client.get('/openidm/scheduler/job?_queryId=other');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, "only query-id of 'query-all-ids' is supported.");
    r = await t.client.get(`/openidm/scheduler/job?_queryFilter=${encodeURIComponent('enabled eq')}`);
    assert.equal(r.status, 400);
    r = await t.client.get('/openidm/scheduler/job?_queryFilter=true&_pageSize=x');
    assert.equal(r.status, 400);
    r = await t.client.get('/openidm/scheduler/job?_queryFilter=true&_pagedResultsCookie=abc');
    assert.equal(r.status, 400);
  });

  it('validates cron expressions on /scheduler and /scheduler/job', async () => {
    for (const path of ['/openidm/scheduler', '/openidm/scheduler/job']) {
      let r = await t.client.post(`${path}?_action=validateQuartzCronExpression`, {
        cronExpression: '0 0/1 * * * ?',
      });
      assert.deepEqual(r.body, { valid: true });
      r = await t.client.post(`${path}?_action=VALIDATEQUARTZCRONEXPRESSION`, {
        cronExpression: '0 0 * * * *',
      });
      assert.deepEqual(r.body, { valid: false });
      r = await t.client.post(`${path}?_action=validateQuartzCronExpression`, {});
      assert.equal(r.status, 400);
    }
    const r = await t.client.post('/openidm/scheduler?_action=other', {});
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Unknown action: other');
  });

  it('pauses, resumes and triggers one job only with resource version 2.0', async () => {
    await t.client.put('/openidm/scheduler/job/p', scanJob({ schedule: '0 0 * * * ?' }));
    let r = await t.client.post('/openidm/scheduler/job/p?_action=pause', undefined, V1);
    assert.equal(r.status, 400);
    r = await t.client.post('/openidm/scheduler/job/p?_action=pause', undefined, V2);
    assert.deepEqual(r.body, { success: true });
    r = await t.client.get('/openidm/scheduler/job/p');
    assert.equal(r.body.triggers[0].state, 'PAUSED');
    assert.equal(r.body.nextRunDate, null);
    r = await t.client.post('/openidm/scheduler/job/p?_action=resume', undefined, V2);
    assert.deepEqual(r.body, { success: true });
    r = await t.client.get('/openidm/scheduler/job/p');
    assert.equal(r.body.triggers[0].state, 'NORMAL');
    r = await t.client.post('/openidm/scheduler/job/p?_action=trigger', undefined, V2);
    assert.deepEqual(r.body, { success: true });
    r = await t.client.get('/openidm/scheduler/job/p');
    assert.match(r.body.previousRunDate, /Z$/);
    r = await t.client.post('/openidm/scheduler/job/none?_action=trigger', undefined, V2);
    assert.equal(r.status, 404);
    await t.client.put('/openidm/scheduler/job/off', scanJob({ enabled: false }));
    r = await t.client.post('/openidm/scheduler/job/off?_action=trigger', undefined, V2);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /must be enabled before it can be triggered/);
    r = await t.client.post('/openidm/scheduler/job/p?_action=explode', undefined, V2);
    assert.equal(r.status, 400);
  });

  it('pauses and resumes all jobs, and answers an unknown collection action with 500 as the fork does', async () => {
    await t.client.put('/openidm/scheduler/job/p', scanJob({ schedule: '0 0 * * * ?' }));
    assert.deepEqual((await t.client.post('/openidm/scheduler/job?_action=pauseJobs')).body, {
      success: true,
    });
    assert.equal((await t.client.get('/openidm/scheduler/job/p')).body.triggers[0].state, 'PAUSED');
    assert.deepEqual((await t.client.post('/openidm/scheduler/job?_action=resumeJobs')).body, {
      success: true,
    });
    assert.equal((await t.client.get('/openidm/scheduler/job/p')).body.triggers[0].state, 'NORMAL');
    const r = await t.client.post('/openidm/scheduler/job?_action=frobnicate');
    assert.equal(r.status, 500);
    assert.match(
      r.body.message,
      /^Expecting String containing one of: create listCurrentlyExecutingJobs pauseJobs resumeJobs/,
    );
  });

  it('lists currently executing jobs as a bare array without _id', async () => {
    const r = await t.client.post('/openidm/scheduler/job?_action=listCurrentlyExecutingJobs');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, []);
  });

  it('serves triggers, waiting triggers and acquired triggers', async () => {
    await t.client.put('/openidm/scheduler/job/tr', scanJob({ schedule: '0 0 * * * ?' }));
    let r = await t.client.get('/openidm/scheduler/trigger?_queryFilter=true');
    assert.equal(r.body.result[0]._id, 'scheduler-service-group.trigger-tr');
    r = await t.client.get('/openidm/scheduler/trigger/scheduler-service-group.trigger-tr');
    assert.equal(r.body.jobKey, 'scheduler-service-group.tr');
    r = await t.client.get('/openidm/scheduler/trigger');
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'No id was supplied to read');
    assert.equal((await t.client.get('/openidm/scheduler/trigger/none')).status, 404);
    r = await t.client.get('/openidm/scheduler/waitingTriggers');
    assert.deepEqual(r.body.names, ['scheduler-service-group.trigger-tr']);
    r = await t.client.get('/openidm/scheduler/acquiredTriggers');
    assert.deepEqual(r.body.names, []);
    assert.equal((await t.client.get('/openidm/scheduler/elsewhere')).status, 404);
  });
});
