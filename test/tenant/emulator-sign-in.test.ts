import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import {
  AccessTokenSignIn,
  AuthError,
  IdmPasswordSignIn,
  ServiceAccountSignIn,
  TenantClient,
} from '../../src/core/tenant';
import { FaultProxy } from '../support/fault-proxy';

const TOKEN = /^\/am\/oauth2\/access_token/;

describe('tenant sign-in against the emulator over real HTTP', function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  let proxy: FaultProxy;
  /** The emulator and the client share a clock that tests move forward. */
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;

  beforeEach(async () => {
    offsetMs = 0;
    emu = await startEmulator({
      port: 0,
      inMemory: true,
      clock: () => new Date(now()),
      log: () => undefined,
    });
    proxy = await FaultProxy.start(emu.url);
  });
  afterEach(async () => {
    await proxy.close();
    await emu.close();
  });

  it('service account: one sign-in for many concurrent requests, one refresh when the 15-minute token runs out', async () => {
    const sa = await emu.createServiceAccount();
    const client = new TenantClient(
      proxy.url,
      new ServiceAccountSignIn(sa.id, JSON.stringify(sa.jwk), { now }),
      { env: {} },
    );
    await Promise.all(Array.from({ length: 20 }, () => client.jobs.query()));
    assert.equal(proxy.forwarded('POST', TOKEN).length, 1);
    offsetMs += 14.5 * 60_000; // inside the last minute of the token's life: refreshed before it expires
    await Promise.all(Array.from({ length: 20 }, () => client.jobs.query()));
    assert.equal(proxy.forwarded('POST', TOKEN).length, 2);
    offsetMs += 16 * 60_000;
    await Promise.all(Array.from({ length: 20 }, () => client.runs.list()));
    assert.equal(proxy.forwarded('POST', TOKEN).length, 3);
    assert.equal(
      proxy.log.filter((r) => r.status === 401).length,
      0,
      'no request was sent with an expired token',
    );
    await client.close();
  });

  it('service account: refreshes after the token endpoint was briefly unavailable', async () => {
    const sa = await emu.createServiceAccount();
    proxy.add({ method: 'POST', path: TOKEN, fault: { kind: 'status', status: 503 }, times: 1 });
    const client = new TenantClient(
      proxy.url,
      new ServiceAccountSignIn(sa.id, JSON.stringify(sa.jwk), { now }),
      { env: {} },
    );
    assert.ok(Array.isArray(await client.runs.list()));
    assert.equal(proxy.forwarded('POST', TOKEN).length, 1);
    await client.close();
  });

  it('service account: drops a scope the account may not have and asks again, as Frodo does', async () => {
    const sa = await emu.createServiceAccount();
    const signIn = new ServiceAccountSignIn(sa.id, JSON.stringify(sa.jwk), {
      now,
      scope: 'fr:idm:* fr:nosuch:*',
    });
    const client = new TenantClient(proxy.url, signIn, { env: {} });
    assert.ok(Array.isArray(await client.runs.list()));
    assert.equal(proxy.forwarded('POST', TOKEN).length, 2);
    await client.close();
  });

  it('pasted access token: works until the tenant lets it expire, then says to paste a new one', async () => {
    const sa = await emu.createServiceAccount();
    const minting = new TenantClient(
      proxy.url,
      new ServiceAccountSignIn(sa.id, JSON.stringify(sa.jwk), { now }),
      { env: {} },
    );
    const bearer = (await minting.http.signIn.headers(minting.http)).authorization;
    const token = bearer.replace(/^Bearer /, '');
    const client = new TenantClient(proxy.url, new AccessTokenSignIn(token), { env: {} });
    assert.ok(Array.isArray(await client.runs.list()));
    offsetMs += 16 * 60_000;
    await assert.rejects(client.runs.list(), (err: unknown) => {
      assert.ok(err instanceof AuthError);
      assert.match(
        err.message,
        /refused the access token \(401 Unauthorized\): it has expired or was revoked\. Paste a new one/,
      );
      assert.ok(!err.message.includes(token));
      return true;
    });
    await client.close();
    await minting.close();
  });

  it('IDM headers: the built-in administrator signs in; a wrong password is refused by name', async () => {
    const ok = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
    });
    assert.ok(Array.isArray(await ok.runs.list()));
    const wrong = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'not-the-password'), {
      env: {},
    });
    await assert.rejects(wrong.runs.list(), /refused user 'openidm-admin' and its password/);
    await ok.close();
    await wrong.close();
  });
});
