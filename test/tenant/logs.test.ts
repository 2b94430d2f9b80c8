// The log client and run followers over real HTTP against the local tenant (docs/logs.md).
import assert from 'node:assert/strict';
import { IdmPasswordSignIn, LOCAL_TENANT, TenantClient, TenantTransport } from '../../src/core/tenant';
import { EARLY_MS, LogClient, LogEvent, LogTail, RateBudget, RunLogs, ScriptLine } from '../../src/core/logs';
import { execute, scanJob, start, waitForRun, type Started } from '../emulator/support';

const signIn = () => new IdmPasswordSignIn('openidm-admin', 'openidm-admin');

async function putJob(t: Started, name: string, source: string, threads = 2): Promise<void> {
  const put = await t.client.put(
    `/openidm/scheduler/job/${name}`,
    scanJob({ filter: 'true', source, threads }),
  );
  assert.ok(put.status === 201 || put.status === 200, JSON.stringify(put.body));
}

describe('log client over real HTTP (local tenant)', () => {
  let t: Started;
  let transport: TenantTransport;
  const debug: string[] = [];
  afterEach(async () => {
    await transport?.close();
    await t.emulator.close();
  });

  const open = async (options: Parameters<typeof start>[0] = {}) => {
    t = await start({ seedUsers: 5, ...options });
    transport = new TenantTransport(t.emulator.url, signIn(), { env: {}, log: (l) => debug.push(l) });
  };

  it('is ready with a key, and lists the sources', async () => {
    await open();
    const client = new LogClient(transport, LOCAL_TENANT.logKey, { budget: new RateBudget() });
    const a = await client.availability();
    assert.equal(a.state, 'ready');
    assert.ok(a.state === 'ready' && a.sources.includes('idm-core'));
  });

  it('with no key says so and how to add one, without sending a request', async () => {
    await open();
    const client = new LogClient(transport, undefined, { budget: new RateBudget() });
    const a = await client.availability();
    assert.equal(a.state, 'no-key');
    assert.match(
      a.state === 'no-key' ? a.message : '',
      /No log API key is set for 127\.0\.0\.1:\d+.*Log API Keys.*SCANJOBS_LOG_API_KEY/,
    );
    assert.equal(t.emulator.logApiStats().requests, 0);
  });

  it('a refused key is explained, and neither the key nor the secret reaches a message or a debug line', async () => {
    await open();
    const key = { id: 'a-key-id-nobody-knows', secret: 'a-secret-nobody-knows-123' };
    const client = new LogClient(transport, key, { budget: new RateBudget() });
    const a = await client.availability();
    assert.equal(a.state, 'refused');
    const text = `${JSON.stringify(a)}\n${debug.join('\n')}`;
    assert.match(text, /refused the log API key \(401/);
    assert.ok(!text.includes(key.id) && !text.includes(key.secret), text);
  });

  it('honours Retry-After: when another client spent the window, a 429 waits and the read then succeeds', async function () {
    this.timeout(30_000);
    await open({ logRate: { limit: 2, windowMs: 2000 } });
    const headers = { 'x-api-key': LOCAL_TENANT.logKey.id, 'x-api-secret': LOCAL_TENANT.logKey.secret };
    for (let i = 0; i < 2; i++) await fetch(`${t.emulator.url}/monitoring/logs/sources`, { headers });
    const waits: number[] = [];
    const client = new LogClient(transport, LOCAL_TENANT.logKey, {
      budget: new RateBudget(),
      onThrottle: (ms) => waits.push(ms),
    });
    assert.ok((await client.sources()).length > 0);
    assert.equal(t.emulator.logApiStats().refused, 1);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! >= 1000, `waited ${waits[0]} ms`);
  });

  it('obeys x-ratelimit-remaining: alone on the tenant it waits for the reset instead of meeting a 429', async function () {
    this.timeout(30_000);
    await open({ logRate: { limit: 3, windowMs: 2000 } });
    const waits: number[] = [];
    const client = new LogClient(transport, LOCAL_TENANT.logKey, {
      budget: new RateBudget({ reserve: 1 }),
      onThrottle: (ms) => waits.push(ms),
    });
    for (let i = 0; i < 4; i++) await client.sources();
    assert.equal(t.emulator.logApiStats().refused, 0);
    assert.ok(waits.length >= 1, 'it waited');
  });

  it('follows a run’s lines: each once, in order, and none of a run before it', async function () {
    this.timeout(60_000);
    await open();
    await putJob(t, 'before', "logger.info('old ' + input.userName); true");
    await waitForRun(t.client, await execute(t.client, 'before'));
    // The earlier run's lines must be older than the follow's start by more than the window's early
    // allowance (EARLY_MS), or they belong to it by time: wait that long before the next run.
    await new Promise((r) => setTimeout(r, EARLY_MS + 20));
    await putJob(
      t,
      'sunset',
      "var t0 = Date.now(); while (Date.now() - t0 < 150) {} logger.warn('saw ' + input.userName); true",
      1,
    );
    const client = new LogClient(transport, LOCAL_TENANT.logKey, {
      budget: new RateBudget({ perMinute: 100 }),
    });
    const tail = new LogTail(client, { intervalMs: 1000 });
    const events: LogEvent[] = [];
    const runId = await execute(t.client, 'sunset');
    const follower = new RunLogs(
      tail,
      { runId, job: 'sunset', started: new Date().toISOString() },
      (e) => events.push(e),
      {
        lingerMs: 2500,
      },
    ).start();
    const run = await waitForRun(t.client, runId, undefined, 30_000);
    follower.ended(run.ended ?? undefined);
    await follower.done;
    const lines = events.flatMap((e) => (e.type === 'lines' ? e.lines : [])) as ScriptLine[];
    assert.equal(lines.length, 5, JSON.stringify(lines));
    assert.ok(lines.every((l) => l.level === 'WARN' && l.message.startsWith('saw ')));
    assert.equal(new Set(lines.map((l) => l.message)).size, 5);
  });
});

describe('log client on a tenant without the log API', () => {
  it('a 404 says the tenant has no log API (self-hosted IDM), and what to do', async () => {
    const t = await start({ seedUsers: 0 });
    // The local tenant under a path prefix that has no /monitoring: the requests 404 as on OpenIDM.
    const transport = new TenantTransport(`${t.emulator.url}/openidm-only`, signIn(), { env: {} });
    try {
      const a = await new LogClient(transport, LOCAL_TENANT.logKey, {
        budget: new RateBudget(),
      }).availability();
      assert.equal(a.state, 'unsupported');
      assert.match(a.state === 'unsupported' ? a.message : '', /has no log API .*404.*PingOne AIC/);
    } finally {
      await transport.close();
      await t.emulator.close();
    }
  });
});

describe('TenantClient and logs', () => {
  it('the tenant’s sign-in is never sent to the log API (a bearer token gets 401 on AIC)', async () => {
    const t = await start({ seedUsers: 0 });
    const client = new TenantClient(t.emulator.url, signIn(), { env: {} });
    try {
      const r = await fetch(`${t.emulator.url}/monitoring/logs/sources`, {
        headers: {
          authorization: 'Bearer something',
          'x-openidm-username': 'openidm-admin',
          'x-openidm-password': 'openidm-admin',
        },
      });
      assert.equal(r.status, 401);
    } finally {
      await client.close();
      await t.emulator.close();
    }
  });
});
