// Scheduler job resource, same scenario on every server (idm-api.md §2, §3.1).
import { strict as assert } from 'node:assert';
import { NEVER, batchFilter, scanJob } from './support/builders';
import { show, type CrestErrorBody } from './support/http';
import { ISO_MILLIS } from './support/runs';
import { forEachTarget } from './support/targets';

const job = () => scanJob({ filter: batchFilter('nobody'), script: 'true;' });

forEachTarget('scheduler jobs', (t) => {
  const id = `contract-job-${process.pid}`;
  after(async () => {
    await t.http.delete(`/openidm/scheduler/job/${id}`);
  });

  it('creates a job with PUT and adds the normalized fields (§2.1, §2.2)', async () => {
    const reply = await t.http.put(`/openidm/scheduler/job/${id}`, job());
    assert.equal(reply.status, 201, show(reply));
    const body = reply.body;
    assert.equal(body._id, id);
    assert.equal(body.enabled, true);
    assert.equal(body.persisted, t.caps.persistedDefault);
    assert.equal(body.type, 'cron');
    assert.equal(body.schedule, NEVER);
    assert.equal(body.misfirePolicy, 'fireAndProceed');
    assert.equal(body.invokeService, 'org.forgerock.openidm.taskscanner');
    assert.equal(body.invokeLogLevel, 'info');
    assert.equal(body.concurrentExecution, false);
    assert.deepEqual(body.invokeContext, job().invokeContext);
    assert.ok(Array.isArray(body.triggers) && body.triggers.length === 1, show(reply));
    assert.match(String(body.nextRunDate), ISO_MILLIS);
    // Midnight of 1 January 2099 in the server's zone: within a day of it in UTC.
    assert.ok(
      Math.abs(Date.parse(String(body.nextRunDate)) - Date.UTC(2099, 0, 1)) <= 86_400_000,
      show(reply),
    );
    assert.equal(reply.headers.get('etag'), null, 'jobs carry no revision, so no ETag (§1.2)');
    if (t.caps.aicJobFields) {
      assert.equal(body.recoverable, false);
      assert.equal(body.previousRunDate, null);
    } else {
      assert.equal('recoverable' in body, false, 'the fork has no recoverable field (§7)');
    }
  });

  it('reads the job back as it was normalized', async () => {
    const reply = await t.http.get(`/openidm/scheduler/job/${id}`);
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body._id, id);
    assert.equal(reply.body.invokeService, 'org.forgerock.openidm.taskscanner');
    assert.deepEqual(reply.body.invokeContext, job().invokeContext);
  });

  it('updates with PUT (upsert → 200); disabling removes the triggers (§2.1)', async () => {
    const reply = await t.http.put(`/openidm/scheduler/job/${id}`, { ...job(), enabled: false });
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body.enabled, false);
    assert.deepEqual(reply.body.triggers, []);
    assert.equal(reply.body.nextRunDate, null);
  });

  it('refuses a second create with If-None-Match: * (412)', async () => {
    const reply = await t.http.put(`/openidm/scheduler/job/${id}`, job(), {
      headers: { 'If-None-Match': '*' },
    });
    assert.equal(reply.status, 412, show(reply));
  });

  it('deletes the job, answering with it as it was, then reads 404 (§3.1)', async () => {
    const reply = await t.http.delete(`/openidm/scheduler/job/${id}`);
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body._id, id);
    assert.equal(reply.body.enabled, false);
    const gone = await t.http.get<CrestErrorBody>(`/openidm/scheduler/job/${id}`);
    assert.equal(gone.status, 404, show(gone));
    assert.equal(gone.body.code, 404);
    assert.equal(gone.body.reason, 'Not Found');
  });

  it('creates with a server-assigned id on POST ?_action=create (201)', async () => {
    const reply = await t.http.post('/openidm/scheduler/job', { _action: 'create' }, job());
    assert.equal(reply.status, 201, show(reply));
    assert.equal(typeof reply.body._id, 'string');
    const removed = await t.http.delete(`/openidm/scheduler/job/${String(reply.body._id)}`);
    assert.equal(removed.status, 200, show(removed));
  });

  it('rejects an unknown trigger type with 400 (§2.1)', async () => {
    const reply = await t.http.put<CrestErrorBody>(`/openidm/scheduler/job/${id}-bad`, {
      ...job(),
      type: 'hourly',
    });
    assert.equal(reply.status, 400, show(reply));
    assert.match(reply.body.message, /Specified type value invalid: hourly/);
  });

  it('rejects a job without invokeService with 400 (§2.1)', async () => {
    const { invokeService: _drop, ...rest } = job();
    const reply = await t.http.put<CrestErrorBody>(`/openidm/scheduler/job/${id}-bad`, rest);
    assert.equal(reply.status, 400, show(reply));
    assert.match(reply.body.message, /invokeService property needs to be set/);
  });

  it('answers a malformed cron expression with 500, as the fork does (§2.1, §9)', async () => {
    const reply = await t.http.put<CrestErrorBody>(`/openidm/scheduler/job/${id}-bad`, {
      ...job(),
      schedule: '61 * * * * ?',
    });
    assert.equal(reply.status, 500, show(reply));
    assert.equal(reply.body.code, 500);
  });

  if (t.caps.simpleTriggers) {
    it('keeps repeatInterval and repeatCount of a simple trigger (§7)', async () => {
      const simple = {
        ...job(),
        type: 'simple',
        schedule: undefined,
        repeatInterval: 60000,
        repeatCount: 2,
        startTime: '2099-12-31T23:59:59Z',
      };
      const reply = await t.http.put(`/openidm/scheduler/job/${id}-simple`, simple);
      assert.equal(reply.status, 201, show(reply));
      assert.equal(reply.body.repeatInterval, 60000);
      assert.equal(reply.body.repeatCount, 2);
      assert.equal(reply.body.schedule, null);
      await t.http.delete(`/openidm/scheduler/job/${id}-simple`);
    });
  }
});
