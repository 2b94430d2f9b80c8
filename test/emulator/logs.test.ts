// AIC's log API on the local tenant over real HTTP (docs/logs.md "The local tenant"; "Retrieve log
// entries using REST API", docs.pingidentity.com/pingoneaic/tenants/audit-debug-logs-pull).
import assert from 'node:assert/strict';
import { LOCAL_TENANT } from '../../src/core/tenant';
import { Client, Started, execute, scanJob, start, waitForRun } from './support';

const KEY = { 'x-api-key': LOCAL_TENANT.logKey.id, 'x-api-secret': LOCAL_TENANT.logKey.secret };

async function runLogging(t: Started, name: string, source: string): Promise<void> {
  const put = await t.client.put(
    `/openidm/scheduler/job/${name}`,
    scanJob({ filter: 'true', source, threads: 2 }),
  );
  assert.ok(put.status === 201 || put.status === 200, JSON.stringify(put.body));
  const run = await waitForRun(t.client, await execute(t.client, name), undefined, 60_000);
  assert.equal(run.progress.state, 'COMPLETED', JSON.stringify(run));
}

describe('emulator: log API (/monitoring/logs)', () => {
  let t: Started;
  let logs: Client;
  afterEach(() => t.emulator.close());

  describe('with a few users', () => {
    beforeEach(async () => {
      t = await start({ seedUsers: 3 });
      logs = new Client(t.emulator.url, KEY);
    });

    it('takes only a log API key: the admin headers, a wrong secret or no key get 401', async () => {
      assert.equal((await logs.get('/monitoring/logs/sources')).status, 200);
      const admin = await t.client.get('/monitoring/logs/sources');
      assert.equal(admin.status, 401);
      const wrong = new Client(t.emulator.url, { ...KEY, 'x-api-secret': 'not-the-secret' });
      assert.equal((await wrong.get('/monitoring/logs/sources')).status, 401);
      assert.equal(
        (await new Client(t.emulator.url, {}).get('/monitoring/logs/tail?source=idm-core')).status,
        401,
      );
    });

    it('a created key works; the built-in one too', async () => {
      const key = t.emulator.createLogKey();
      const other = new Client(t.emulator.url, { 'x-api-key': key.id, 'x-api-secret': key.secret });
      assert.equal((await other.get('/monitoring/logs/sources')).status, 200);
    });

    it('lists sources in AIC’s reply shape', async () => {
      const r = await logs.get('/monitoring/logs/sources');
      assert.ok(r.body.result.includes('idm-core'));
      assert.ok(r.body.result.includes('idm-everything'));
      assert.equal(r.body.resultCount, r.body.result.length);
      assert.equal(r.body.pagedResultsCookie, null);
    });

    it('a script’s logger lines are idm-core plain text "LEVEL: message", with no job in them', async () => {
      await runLogging(t, 'say', "logger.warn('checked ' + input.userName); true");
      const r = await logs.get('/monitoring/logs?source=idm-core');
      assert.equal(r.status, 200);
      const lines = r.body.result as { payload: string; type: string; source: string; timestamp: string }[];
      assert.equal(lines.length, 3);
      for (const l of lines) {
        assert.match(l.payload, /^WARN: checked \S+$/);
        assert.equal(l.type, 'text/plain');
        assert.equal(l.source, 'idm-core');
        assert.ok(!Number.isNaN(Date.parse(l.timestamp)));
      }
      const everything = await logs.get('/monitoring/logs?source=idm-everything');
      assert.ok(everything.body.result.length > 3, 'idm-everything adds request noise');
    });

    it('tail: about the last 15 s first, then what follows the cookie, the last entry repeated', async () => {
      await runLogging(t, 'first', "logger.info('one ' + input.userName); true");
      const first = await logs.get('/monitoring/logs/tail?source=idm-core');
      assert.equal(first.body.result.length, 3);
      const cookie = first.body.pagedResultsCookie as string;
      assert.ok(cookie);
      await runLogging(t, 'second', "logger.info('two ' + input.userName); true");
      const next = await logs.get(`/monitoring/logs/tail?source=idm-core&_pagedResultsCookie=${cookie}`);
      const payloads = (next.body.result as { payload: string }[]).map((e) => e.payload);
      assert.equal(payloads.length, 4);
      assert.equal(payloads[0], first.body.result[2].payload, 'the previous last entry comes again');
      assert.ok(payloads.slice(1).every((p) => p.startsWith('INFO: two ')));
    });

    it('refuses windows over 24 h, bad times, unknown sources and foreign cookies with 400', async () => {
      const day = await logs.get(
        '/monitoring/logs?source=idm-core&beginTime=2026-01-01T00:00:00Z&endTime=2026-01-02T00:00:01Z',
      );
      assert.equal(day.status, 400);
      assert.match(day.body.message, /24 hours/);
      assert.equal((await logs.get('/monitoring/logs?source=idm-core&beginTime=yesterday')).status, 400);
      assert.equal((await logs.get('/monitoring/logs?source=nope')).status, 400);
      assert.equal((await logs.get('/monitoring/logs?source=idm-core&_pagedResultsCookie=xyz')).status, 400);
      assert.equal((await logs.get('/monitoring/logs')).status, 400);
    });

    it('carries x-ratelimit-* headers on every reply', async () => {
      const r = await logs.get('/monitoring/logs/sources');
      assert.equal(r.headers.get('x-ratelimit-limit'), '60');
      assert.equal(r.headers.get('x-ratelimit-remaining'), '59');
      assert.ok(Number(r.headers.get('x-ratelimit-reset')) * 1000 > Date.now());
    });
  });

  it('over the limit: 429 with Retry-After, counted per environment whatever the key', async () => {
    t = await start({ seedUsers: 1, logRate: { limit: 3, windowMs: 60_000 } });
    const key = t.emulator.createLogKey();
    const a = new Client(t.emulator.url, KEY);
    const b = new Client(t.emulator.url, { 'x-api-key': key.id, 'x-api-secret': key.secret });
    const statuses = [];
    for (const c of [a, b, a, b]) statuses.push((await c.get('/monitoring/logs/sources')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const refused = await a.get('/monitoring/logs/sources');
    assert.equal(refused.status, 429);
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
    assert.deepEqual(t.emulator.logApiStats(), { requests: 5, refused: 2 });
  });

  it('pages 1,000 entries a reply with a cookie, and the pages add up to every line once', async function () {
    this.timeout(120_000);
    t = await start({ seedUsers: 1100 });
    logs = new Client(t.emulator.url, KEY);
    await runLogging(t, 'many', "logger.info('u ' + input.userName); true");
    const first = await logs.get('/monitoring/logs?source=idm-core');
    assert.equal(first.body.result.length, 1000);
    assert.ok(first.body.pagedResultsCookie);
    const second = await logs.get(
      `/monitoring/logs?source=idm-core&_pagedResultsCookie=${first.body.pagedResultsCookie}`,
    );
    assert.equal(second.body.result.length, 100);
    assert.equal(second.body.pagedResultsCookie, null);
    const all = new Set(
      [...first.body.result, ...second.body.result].map((e: { payload: string }) => e.payload),
    );
    assert.equal(all.size, 1100);
  });
});
