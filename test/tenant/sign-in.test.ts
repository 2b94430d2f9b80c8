import assert from 'node:assert/strict';
import {
  AccessTokenSignIn,
  AuthError,
  IdmPasswordSignIn,
  ServiceAccountSignIn,
  TenantClient,
  jwtExpiry,
} from '../../src/core/tenant';
import { ScriptedTenant } from './support/scripted-tenant';

/** A JWT-shaped token with the given expiry (signature irrelevant: the client only reads `exp`). */
function jwtExpiringAt(ms: number): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ sub: 'someone', exp: Math.floor(ms / 1000) })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tenant sign-in over real HTTP', () => {
  let tenant: ScriptedTenant;
  afterEach(async () => tenant.close());

  describe('AIC service account (JWT-bearer grant)', () => {
    it('signs in once and reuses the token while it is valid', async () => {
      tenant = await ScriptedTenant.start();
      const sa = tenant.createServiceAccount();
      const signIn = new ServiceAccountSignIn(sa.id, sa.jwk);
      const c = new TenantClient(tenant.url, signIn, { env: {} });
      for (let i = 0; i < 5; i++) await c.runs.list();
      assert.equal(tenant.count.tokens, 1);
      assert.equal(tenant.count.unauthorized, 0);
      await c.close();
    });

    it('sends the JWT-bearer grant of idm-api.md §6.2 with the claims AIC expects', async () => {
      tenant = await ScriptedTenant.start();
      const sa = tenant.createServiceAccount();
      const c = new TenantClient(tenant.url, new ServiceAccountSignIn(sa.id, sa.jwk), { env: {} });
      const before = Math.floor(Date.now() / 1000);
      await c.runs.list();
      const after = Math.floor(Date.now() / 1000);
      const sent = tenant.lastTokenRequest;
      assert.ok(sent);
      assert.equal(sent.form.client_id, 'service-account');
      assert.equal(sent.form.grant_type, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      assert.equal(sent.form.scope, 'fr:idm:*');
      assert.equal(sent.header.alg, 'RS256');
      assert.equal(sent.claims.iss, sa.id);
      assert.equal(sent.claims.sub, sa.id);
      assert.equal(sent.claims.aud, `${tenant.url}/am/oauth2/access_token`);
      // Three minutes from when it was signed, which lies between `before` and `after` however slow
      // the machine is (a fixed tolerance would guess how long the sign-in takes).
      const exp = sent.claims.exp as number;
      assert.ok(exp >= before + 180 && exp <= after + 180, `exp ${exp}, signed within [${before}, ${after}]`);
      assert.match(String(sent.claims.jti), /^[0-9a-f-]{36}$/);
      await c.close();
    });

    it('refreshes an expiring token once however many requests wait for it', async () => {
      tenant = await ScriptedTenant.start({ tokenLifetimeS: 1, tokenDelayMs: 150 });
      const sa = tenant.createServiceAccount();
      const signIn = new ServiceAccountSignIn(sa.id, sa.jwk);
      const c = new TenantClient(tenant.url, signIn, { env: {} });
      await Promise.all(Array.from({ length: 20 }, () => c.runs.list()));
      assert.equal(tenant.count.tokens, 1, 'one sign-in for 20 concurrent first requests');
      await sleep(1_100);
      await Promise.all(Array.from({ length: 20 }, () => c.runs.list()));
      assert.equal(tenant.count.tokens, 2, 'one refresh for 20 concurrent requests after expiry');
      assert.equal(tenant.count.unauthorized, 0, 'the refresh happened before the tenant refused the token');
      await c.close();
    });

    it('signs in again once after a 401, when the tenant forgets the token early', async () => {
      tenant = await ScriptedTenant.start();
      const sa = tenant.createServiceAccount();
      const signIn = new ServiceAccountSignIn(sa.id, sa.jwk);
      const c = new TenantClient(tenant.url, signIn, { env: {} });
      await c.runs.list();
      tenant.revokeTokens();
      await Promise.all(Array.from({ length: 5 }, () => c.runs.list()));
      assert.equal(tenant.count.tokens, 2);
      await c.close();
    });

    it('explains a refused sign-in without quoting the key or the assertion', async () => {
      tenant = await ScriptedTenant.start();
      const other = tenant.createServiceAccount();
      tenant.accounts.clear();
      const c = new TenantClient(tenant.url, new ServiceAccountSignIn(other.id, other.jwk), { env: {} });
      await assert.rejects(c.runs.list(), (err: unknown) => {
        assert.ok(err instanceof AuthError);
        assert.match(
          err.message,
          new RegExp(`refused to sign in service account ${other.id}: invalid_grant: JWT is not valid`),
        );
        const d = (JSON.parse(other.jwk) as { d: string }).d;
        assert.ok(!err.message.includes(d) && !err.message.includes('eyJ'));
        return true;
      });
      await c.close();
    });

    it('says when the key is not a private key, without printing it', async () => {
      tenant = await ScriptedTenant.start();
      const c = new TenantClient(
        tenant.url,
        new ServiceAccountSignIn('sa-1', '{"kty":"RSA","n":"abc","e":"AQAB"}'),
        { env: {} },
      );
      await assert.rejects(c.runs.list(), /JWK but not an RSA private key/);
      const c2 = new TenantClient(tenant.url, new ServiceAccountSignIn('sa-1', 'not-a-key-at-all-secret'), {
        env: {},
      });
      await assert.rejects(
        c2.runs.list(),
        (err: unknown) => err instanceof AuthError && !err.message.includes('not-a-key-at-all-secret'),
      );
      await c.close();
      await c2.close();
    });
  });

  describe('pasted access token', () => {
    it('says plainly that an expired token expired, before sending anything', async () => {
      tenant = await ScriptedTenant.start();
      const token = jwtExpiringAt(Date.now() - 5 * 60_000);
      const c = new TenantClient(tenant.url, new AccessTokenSignIn(token), { env: {} });
      await assert.rejects(c.runs.list(), (err: unknown) => {
        assert.ok(err instanceof AuthError);
        assert.match(
          err.message,
          /access token for 127\.0\.0\.1:\d+ expired at .* \(5 min ago\)\. Paste a new one/,
        );
        assert.ok(!err.message.includes(token));
        return true;
      });
      assert.equal(tenant.count.unauthorized + tenant.count.lists, 0);
      await c.close();
    });

    it('explains a token the tenant refuses', async () => {
      tenant = await ScriptedTenant.start();
      const token = jwtExpiringAt(Date.now() + 60_000);
      const c = new TenantClient(tenant.url, new AccessTokenSignIn(token), { env: {} });
      await assert.rejects(
        c.runs.list(),
        /refused the access token \(401 Unauthorized\): it has expired or was revoked/,
      );
      await c.close();
    });

    it('reads the expiry of a JWT and leaves opaque tokens alone', () => {
      assert.equal(jwtExpiry(jwtExpiringAt(1_700_000_000_000)), 1_700_000_000_000);
      assert.equal(jwtExpiry('opaque-token-value'), undefined);
    });
  });

  describe('IDM username and password headers', () => {
    it('signs in with X-OpenIDM-Username and X-OpenIDM-Password', async () => {
      tenant = await ScriptedTenant.start();
      const c = new TenantClient(tenant.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
        env: {},
      });
      assert.deepEqual(await c.runs.list(), []);
      await c.close();
    });

    it('names the user but never the password when refused', async () => {
      tenant = await ScriptedTenant.start();
      const c = new TenantClient(tenant.url, new IdmPasswordSignIn('openidm-admin', 'wrong-password-123'), {
        env: {},
      });
      await assert.rejects(c.runs.list(), (err: unknown) => {
        assert.ok(err instanceof AuthError);
        assert.match(err.message, /refused user 'openidm-admin' and its password/);
        assert.ok(!err.message.includes('wrong-password-123'));
        return true;
      });
      await c.close();
    });

    it("names where the password is set: IDM_PASSWORD by default, the caller's place otherwise", async () => {
      tenant = await ScriptedTenant.start();
      const cli = new TenantClient(tenant.url, new IdmPasswordSignIn('openidm-admin', 'wrong-password-456'), {
        env: {},
      });
      await assert.rejects(cli.runs.list(), /Check the user name and IDM_PASSWORD\.$/);
      await cli.close();
      const editor = new TenantClient(
        tenant.url,
        new IdmPasswordSignIn('openidm-admin', 'wrong-password-456', "the password stored for 'dev'"),
        { env: {} },
      );
      await assert.rejects(editor.runs.list(), /Check the user name and the password stored for 'dev'\.$/);
      await editor.close();
    });
  });
});
