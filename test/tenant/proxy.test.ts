import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { IdmPasswordSignIn, NetworkError, TenantClient, isAbort } from '../../src/core/tenant';
import { FaultProxy } from '../support/fault-proxy';
import { ScriptedTenant } from './support/scripted-tenant';

/** A forward proxy that tunnels CONNECT requests, as corporate proxies do, and counts them. */
async function startForwardProxy(): Promise<{ server: Server; url: string; tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels };
}

describe('tenant transport: proxies and aborts', () => {
  let tenant: ScriptedTenant;
  beforeEach(async () => {
    tenant = await ScriptedTenant.start();
  });
  afterEach(async () => tenant.close());

  const admin = () => new IdmPasswordSignIn('openidm-admin', 'openidm-admin');

  it('goes through HTTP_PROXY, and around it for hosts in NO_PROXY', async () => {
    const proxy = await startForwardProxy();
    const via = new TenantClient(tenant.url, admin(), { env: { HTTP_PROXY: proxy.url } });
    assert.deepEqual(await via.runs.list(), []);
    assert.deepEqual(proxy.tunnels, [new URL(tenant.url).host]);
    const around = new TenantClient(tenant.url, admin(), {
      env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
    });
    assert.deepEqual(await around.runs.list(), []);
    assert.equal(proxy.tunnels.length, 1, 'NO_PROXY bypassed the proxy');
    await via.close();
    await around.close();
    proxy.server.close();
  });

  it('stops a request when its signal aborts, without calling it a network failure', async () => {
    const faults = await FaultProxy.start(tenant.url);
    faults.add({ fault: { kind: 'delay', ms: 5_000 } });
    const client = new TenantClient(faults.url, admin(), { env: {} });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(client.runs.list({ signal: ac.signal }), (err: unknown) => {
      assert.ok(isAbort(err), String(err));
      assert.ok(!(err instanceof NetworkError));
      return true;
    });
    await client.close();
    await faults.close();
  });

  it('does not start a request whose signal has already aborted', async () => {
    const faults = await FaultProxy.start(tenant.url);
    const client = new TenantClient(faults.url, admin(), { env: {} });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(client.jobs.read('x', ac.signal), (err: unknown) => isAbort(err));
    assert.equal(faults.log.length, 0, 'nothing reached the tenant');
    await client.close();
    await faults.close();
  });
});
