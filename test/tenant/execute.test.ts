import assert from 'node:assert/strict';
import { AmbiguousExecuteError, CrestError, IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { FaultProxy } from '../support/fault-proxy';
import { ScriptedTenant } from './support/scripted-tenant';

const fastRetry = {
  maxAttempts: 4,
  maxTotalMs: 10_000,
  baseDelayMs: 20,
  maxDelayMs: 100,
  maxRetryAfterMs: 5_000,
};
const EXECUTE = /_action=execute/;

describe('tenant execute and cancel: never sent blindly twice', () => {
  let tenant: ScriptedTenant;
  let proxy: FaultProxy;
  let client: TenantClient;

  beforeEach(async () => {
    tenant = await ScriptedTenant.start();
    proxy = await FaultProxy.start(tenant.url);
    client = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      retry: fastRetry,
      env: {},
    });
  });
  afterEach(async () => {
    await client.close();
    await proxy.close();
    await tenant.close();
  });

  it('executes a job and returns the run id', async () => {
    const result = await client.runs.execute('sunset');
    assert.equal(result.recovered, false);
    assert.match(result.runId, /^[0-9a-f-]{36}-\d+$/);
    assert.equal(tenant.count.executes, 1);
  });

  it('finds the run when the reply to execute is lost, without executing again', async () => {
    tenant.addRun({ initializingMs: 0, activeMs: 1, total: 1, job: 'sunset' }); // an older run of the same job
    proxy.add({ method: 'POST', path: EXECUTE, fault: { kind: 'drop-after-forward' }, times: 1 });
    const result = await client.runs.execute('sunset');
    assert.equal(result.recovered, true);
    assert.match(result.note ?? '', /the run it started was found/);
    assert.equal(tenant.count.executes, 1);
    const newest = [...tenant.runs.keys()].pop();
    assert.equal(result.runId, newest);
  });

  it('says it cannot tell when a 503 hides whether the run started', async () => {
    proxy.add({ method: 'POST', path: EXECUTE, fault: { kind: 'status', status: 503 } });
    await assert.rejects(client.runs.execute('sunset'), (err: unknown) => {
      assert.ok(err instanceof AmbiguousExecuteError);
      assert.match(err.message, /no new run of 'sunset' was found/);
      assert.match(err.message, /scanjobs runs --job sunset/);
      return true;
    });
    assert.equal(proxy.forwarded('POST', EXECUTE).length, 0);
    assert.equal(proxy.log.filter((r) => EXECUTE.test(r.path)).length, 1, 'the 503 was not retried');
  });

  it('sends execute again after a 429, which the tenant never acted on', async () => {
    proxy.add({
      method: 'POST',
      path: EXECUTE,
      fault: { kind: 'status', status: 429, retryAfter: '0' },
      times: 2,
    });
    const result = await client.runs.execute('sunset');
    assert.equal(result.recovered, false);
    assert.equal(tenant.count.executes, 1);
    assert.equal(proxy.forwarded('POST', EXECUTE).length, 1);
  });

  it('waits out a refused connection and executes exactly once', async () => {
    const patient = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      retry: { ...fastRetry, maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 400 },
      env: {},
    });
    await patient.runs.list(); // the listing before execute is made while the tenant is up
    const outage = proxy.outage(600, 'refuse');
    await new Promise((r) => setTimeout(r, 50));
    const result = await patient.runs.execute('sunset');
    await outage;
    assert.equal(tenant.count.executes, 1);
    assert.equal(result.recovered, false);
    await patient.close();
  });

  it('reports a server error on execute as it is, once', async () => {
    proxy.add({
      method: 'POST',
      path: EXECUTE,
      fault: {
        kind: 'status',
        status: 500,
        body: JSON.stringify({ code: 500, reason: 'Internal Server Error', message: 'Null scriptValue' }),
      },
    });
    await assert.rejects(client.runs.execute('nope'), (err: unknown) => {
      assert.ok(err instanceof CrestError);
      assert.equal(err.serverMessage, 'Null scriptValue');
      return true;
    });
    assert.equal(proxy.log.filter((r) => EXECUTE.test(r.path)).length, 1);
  });

  it('asks once more as schedule/<name> when OpenIDM finds no config by the name (§4.4), and reports that answer', async () => {
    const named = (name: string) => ({
      method: 'POST',
      path: EXECUTE,
      fault: {
        kind: 'status' as const,
        status: 400,
        // OpenIDM sends the message HTML-escaped (shared/openidm/README.md item 8).
        body: JSON.stringify({
          code: 400,
          reason: 'Bad Request',
          message: `Error obtaining named config: &#39;${name}&#39;`,
        }),
      },
      times: 1,
    });
    proxy.add(named('nope'), named('schedule/nope'));
    await assert.rejects(client.runs.execute('nope'), (err: unknown) => {
      assert.ok(err instanceof CrestError);
      assert.equal(err.serverMessage, 'Error obtaining named config: &#39;schedule/nope&#39;');
      return true;
    });
    const sent = proxy.log
      .filter((r) => EXECUTE.test(r.path))
      .map((r) => new URL(r.path, 'http://x').searchParams.get('name'));
    assert.deepEqual(sent, ['nope', 'schedule/nope']);
  });

  it('cancels a running run, and reports FAILURE for a completed one', async () => {
    const running = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 10 });
    const done = tenant.addRun({ initializingMs: 0, activeMs: 1, total: 1 });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await client.runs.cancel(running), { status: 'SUCCESS', recovered: false });
    assert.deepEqual(await client.runs.cancel(done), { status: 'FAILURE', recovered: false });
  });

  it('settles a cancel whose reply was lost by reading the run', async () => {
    const running = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 10 });
    proxy.add({ method: 'POST', path: /_action=cancel/, fault: { kind: 'drop-after-forward' }, times: 1 });
    assert.deepEqual(await client.runs.cancel(running), { status: 'SUCCESS', recovered: true });
    assert.equal(proxy.forwarded('POST', /_action=cancel/).length, 1);
  });

  it('sends the cancel again only while the run is still going', async () => {
    const running = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 10 });
    proxy.add({ method: 'POST', path: /_action=cancel/, fault: { kind: 'status', status: 502 }, times: 1 });
    assert.deepEqual(await client.runs.cancel(running), { status: 'SUCCESS', recovered: true });
    assert.equal(proxy.forwarded('POST', /_action=cancel/).length, 1);
  });
});
