import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CrestError,
  IdmPasswordSignIn,
  NetworkError,
  TenantClient,
  normalizeBaseUrl,
  parseRetryAfter,
  retryDelay,
  DEFAULT_RETRY,
} from '../../src/core/tenant';
import { FaultProxy } from '../support/fault-proxy';
import { ScriptedTenant } from './support/scripted-tenant';

const admin = () => new IdmPasswordSignIn('openidm-admin', 'openidm-admin');
const fastRetry = {
  maxAttempts: 4,
  maxTotalMs: 10_000,
  baseDelayMs: 20,
  maxDelayMs: 100,
  maxRetryAfterMs: 5_000,
};

describe('tenant transport: retries, timeouts and failures over real HTTP', () => {
  let tenant: ScriptedTenant;
  let proxy: FaultProxy;
  let client: TenantClient;
  let runId: string;

  beforeEach(async () => {
    tenant = await ScriptedTenant.start();
    proxy = await FaultProxy.start(tenant.url);
    client = new TenantClient(proxy.url, admin(), { retry: fastRetry, env: {} });
    runId = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 100 });
  });
  afterEach(async () => {
    await client.close();
    await proxy.close();
    await tenant.close();
  });

  const reads = () => proxy.log.filter((r) => r.method === 'GET' && r.path.includes(runId));

  it('retries a GET after 502, 503 and 504 and returns the record', async () => {
    proxy.add(
      { method: 'GET', fault: { kind: 'status', status: 502 }, times: 1 },
      { method: 'GET', fault: { kind: 'status', status: 503 }, times: 1 },
      { method: 'GET', fault: { kind: 'status', status: 504 }, times: 1 },
    );
    const run = await client.runs.read(runId);
    assert.equal(run._id, runId);
    assert.equal(reads().length, 4);
  });

  it('waits at least the Retry-After of a 429 before trying again', async () => {
    proxy.add({ method: 'GET', fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 1 });
    await client.runs.read(runId);
    const [first, second] = reads();
    assert.ok(second.at - first.at >= 950, `second attempt ${second.at - first.at} ms after the first`);
  });

  it('gives up after maxAttempts with the last CREST error', async () => {
    proxy.add({ method: 'GET', fault: { kind: 'status', status: 503 } });
    await assert.rejects(client.runs.read(runId), (err: unknown) => {
      assert.ok(err instanceof CrestError);
      assert.equal(err.status, 503);
      assert.equal(err.method, 'GET');
      assert.match(err.path, /^\/openidm\/taskscanner\//);
      return true;
    });
    assert.equal(reads().length, fastRetry.maxAttempts);
  });

  it('stops retrying when the next wait would pass maxTotalMs', async () => {
    const bounded = new TenantClient(proxy.url, admin(), {
      retry: { ...fastRetry, maxAttempts: 50, maxTotalMs: 300 },
      env: {},
    });
    proxy.add({ method: 'GET', fault: { kind: 'status', status: 503 } });
    await assert.rejects(bounded.runs.read(runId), CrestError);
    // The attempt budget (50) is never reached: the time budget ended the retries (no timed assertion:
    // elapsed time on a loaded machine proves nothing; the count does).
    assert.ok(reads().length > 1 && reads().length < 50, `${reads().length} attempts`);
    await bounded.close();
  });

  it('does not wait for a Retry-After longer than the policy allows', async () => {
    proxy.add({ method: 'GET', fault: { kind: 'status', status: 429, retryAfter: '3600' } });
    await assert.rejects(
      client.runs.read(runId),
      (err: unknown) => err instanceof CrestError && err.status === 429,
    );
    assert.equal(reads().length, 1);
  });

  it('retries a GET whose connection was dropped, and one whose body was cut short', async () => {
    proxy.add(
      { method: 'GET', fault: { kind: 'drop' }, times: 1 },
      { method: 'GET', fault: { kind: 'truncate' }, times: 1 },
    );
    const run = await client.runs.read(runId);
    assert.equal(run._id, runId);
    assert.equal(reads().length, 3);
  });

  it('does not retry a 4xx other than 429', async () => {
    await assert.rejects(client.runs.read('no-such-run'), (err: unknown) => {
      assert.ok(err instanceof CrestError);
      assert.equal(err.status, 404);
      assert.equal(err.serverMessage, "Task with id 'no-such-run' not found.");
      assert.match(err.message, /GET \/openidm\/taskscanner\/no-such-run on 127\.0\.0\.1:\d+: 404 Not Found/);
      return true;
    });
    assert.equal(proxy.log.filter((r) => r.path.includes('no-such-run')).length, 1);
  });

  it('reports a reply that takes too long as a timeout naming the tenant', async () => {
    const impatient = new TenantClient(proxy.url, admin(), {
      headersTimeoutMs: 200,
      retry: fastRetry,
      env: {},
    });
    // undici checks the headers timeout on its coarse timer (ticks of about half a second), so a 200 ms
    // timeout can fire up to about a second late: the reply is held well past that.
    proxy.add({ method: 'GET', fault: { kind: 'delay', ms: 3000 } });
    await assert.rejects(impatient.runs.read(runId, { retry: false }), (err: unknown) => {
      assert.ok(err instanceof NetworkError);
      assert.equal(err.failure, 'timeout');
      assert.match(err.message, /did not answer in time/);
      assert.match(err.message, /127\.0\.0\.1/);
      return true;
    });
    await impatient.close();
  });

  it('sends the API version of each endpoint and our User-Agent', async () => {
    const seen: Record<string, string | undefined>[] = [];
    // A server that only records headers and answers with a body every endpoint accepts.
    const recorder = createHttpServer((req, res) => {
      seen.push({
        path: req.url,
        version: req.headers['accept-api-version'] as string,
        ua: req.headers['user-agent'],
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ _id: 'x', progress: { state: 'ACTIVE' }, result: [], valid: true }));
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    const c = new TenantClient(`http://127.0.0.1:${(recorder.address() as AddressInfo).port}`, admin(), {
      env: {},
    });
    await c.runs.read('x');
    await c.jobs.query();
    await c.jobs.validateCron('0 0 * * * ?');
    await c.scheduleConfigs.names();
    await c.close();
    recorder.close();
    assert.deepEqual(
      seen.map((s) => s.version),
      [
        'protocol=2.1,resource=1.0',
        'protocol=2.1,resource=2.0',
        'protocol=2.1,resource=2.0',
        'protocol=2.1,resource=1.0',
      ],
    );
    assert.match(seen[0].ua ?? '', /^scanjobs\/\d+\.\d+\.\d+ \(node /);
  });
});

describe('tenant transport: what failed and where', () => {
  it('says the connection was refused, for which tenant, and that nothing was sent', async () => {
    const tenant = await ScriptedTenant.start();
    const url = tenant.url;
    await tenant.close();
    const c = new TenantClient(url, admin(), { env: {} });
    await assert.rejects(c.runs.read('r', { retry: false }), (err: unknown) => {
      assert.ok(err instanceof NetworkError);
      assert.equal(err.failure, 'refused');
      assert.equal(err.sent, false);
      assert.match(
        err.message,
        new RegExp(`on ${new URL(url).host}: the connection was refused \\(ECONNREFUSED\\)`),
      );
      return true;
    });
    await c.close();
  });

  it('says a host name did not resolve', async () => {
    const c = new TenantClient('https://tenant.invalid', admin(), { env: {}, connectTimeoutMs: 5_000 });
    await assert.rejects(c.runs.read('r', { retry: false }), (err: unknown) => {
      assert.ok(err instanceof NetworkError, String(err));
      assert.equal(err.failure, 'dns');
      assert.match(err.message, /tenant\.invalid: the host name could not be resolved \(DNS\)/);
      return true;
    });
    await c.close();
  });

  describe('TLS', () => {
    let server: Server;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'scanjobs-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              _id: 'r',
              progress: { state: 'ACTIVE', processed: 1, total: 2, successes: 1, failures: 0 },
            }),
          );
        },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(() => server.close());
    const url = () => `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    it('refuses a certificate it cannot verify, and says it was TLS', async () => {
      const c = new TenantClient(url(), admin(), { env: {} });
      await assert.rejects(c.runs.read('r', { retry: false }), (err: unknown) => {
        assert.ok(err instanceof NetworkError, String(err));
        assert.equal(err.failure, 'tls');
        assert.match(err.message, /TLS handshake failed/);
        return true;
      });
      await c.close();
    });

    it('trusts a custom CA file', async () => {
      const c = new TenantClient(url(), admin(), { env: {}, caFile: join(dir, 'cert.pem') });
      const run = await c.runs.read('r');
      assert.equal(run.progress.processed, 1);
      await c.close();
    });
  });
});

describe('tenant transport: pure parts', () => {
  it('normalizes pasted tenant addresses', () => {
    assert.equal(normalizeBaseUrl('https://t.example.com/platform/').href, 'https://t.example.com/');
    assert.equal(normalizeBaseUrl('http://h:8080/openidm').href, 'http://h:8080/');
    assert.equal(normalizeBaseUrl('https://t.example.com/am').href, 'https://t.example.com/');
    assert.equal(normalizeBaseUrl('https://gw.example.com/idm/').href, 'https://gw.example.com/idm');
    assert.throws(() => normalizeBaseUrl('tenant.example.com'), /not a URL/);
    assert.throws(() => normalizeBaseUrl('ftp://x'), /not an http\(s\) URL/);
  });

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('backs off exponentially with jitter, capped', () => {
    const lo = () => 0;
    const hi = () => 0.999;
    assert.equal(retryDelay(DEFAULT_RETRY, 1, new Error('x'), lo), 125);
    assert.ok(retryDelay(DEFAULT_RETRY, 1, new Error('x'), hi) <= 250);
    assert.equal(retryDelay(DEFAULT_RETRY, 3, new Error('x'), lo), 500);
    assert.ok(retryDelay(DEFAULT_RETRY, 30, new Error('x'), hi) <= DEFAULT_RETRY.maxDelayMs);
  });
});
