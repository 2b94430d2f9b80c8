import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { importJWK, JWK, SignJWT, generateKeyPair } from 'jose';
import { Client, Started, manualClock, start } from './support';

interface Assertion {
  id: string;
  jwk: JWK;
  aud?: string;
  expiresIn?: number;
  jti?: string;
  now?: Date;
}

/** A service-account client assertion as Frodo and fr-config-manager build it (idm-api.md §6.2). */
async function assertion(url: string, spec: Assertion): Promise<string> {
  const key = await importJWK(spec.jwk, 'RS256');
  const now = Math.floor((spec.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(spec.id)
    .setSubject(spec.id)
    .setAudience(spec.aud ?? `${url}/am/oauth2/access_token`)
    .setIssuedAt(now)
    .setExpirationTime(now + (spec.expiresIn ?? 180))
    .setJti(spec.jti ?? randomUUID())
    .sign(key);
}

async function token(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/am/oauth2/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const grant = (jwt: string, scope = 'fr:idm:*') => ({
  client_id: 'service-account',
  grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  assertion: jwt,
  scope,
});

describe('emulator: service-account sign-in (idm-api.md §6.2)', () => {
  const clock = manualClock('2030-06-01T12:00:00.000Z');
  let t: Started;
  beforeEach(async () => {
    clock.set('2030-06-01T12:00:00.000Z');
    t = await start({ clock: clock.now });
  });
  afterEach(() => t.emulator.close());

  it('exchanges a signed assertion for a short-lived bearer token that opens /openidm', async () => {
    const account = await t.emulator.createServiceAccount();
    assert.match(account.id, /^[0-9a-f-]{36}$/);
    assert.equal(account.jwk.kty, 'RSA');
    assert.ok(account.jwk.d, 'the private key is returned once');
    const r = await token(
      t.emulator.url,
      grant(await assertion(t.emulator.url, { ...account, now: clock.now() }), 'fr:idm:* fr:am:*'),
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.scope, 'fr:idm:* fr:am:*');
    assert.equal(r.body.expires_in, 899);
    const bearer = new Client(t.emulator.url, { Authorization: `Bearer ${r.body.access_token as string}` });
    assert.equal((await bearer.get('/openidm/config/managed')).status, 200);
    clock.advance(900_000);
    const expired = await bearer.get('/openidm/config/managed');
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { code: 401, reason: 'Unauthorized', message: 'Access Denied' });
  });

  it('refuses bad grants with OAuth errors', async () => {
    const account = await t.emulator.createServiceAccount();
    const url = t.emulator.url;
    const good = () => assertion(url, { ...account, now: clock.now() });
    const stranger = { id: randomUUID(), jwk: account.jwk };
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const { exportJWK } = await import('jose');
    const forged = { id: account.id, jwk: await exportJWK(privateKey) };
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ ...grant(await good()), grant_type: 'password' }, 'unsupported_grant_type', /jwt-bearer/],
      [{ ...grant(await good()), client_id: 'other' }, 'invalid_client', /service-account/],
      [
        grant(await good(), 'fr:idm:* fr:nope'),
        'invalid_scope',
        /^Unsupported scope for service account: fr:nope$/,
      ],
      [grant(await good(), ''), 'invalid_scope', /scope is missing/],
      [grant('not-a-jwt'), 'invalid_grant', /not a JWT/],
      [grant(await assertion(url, { ...stranger, now: clock.now() })), 'invalid_grant', /no service account/],
      [grant(await assertion(url, { ...forged, now: clock.now() })), 'invalid_grant', /signature/],
      [
        grant(await assertion(url, { ...account, now: new Date(clock.now().getTime() - 600_000) })),
        'invalid_grant',
        /"exp" claim/,
      ],
      [
        grant(await assertion(url, { ...account, now: clock.now(), aud: 'https://elsewhere/token' })),
        'invalid_grant',
        /aud must be the token endpoint/,
      ],
      [
        grant(await assertion(url, { ...account, now: clock.now(), expiresIn: 3600 })),
        'invalid_grant',
        /too far in the future/,
      ],
    ];
    for (const [form, error, description] of cases) {
      const r = await token(url, form);
      assert.equal(r.status, 400, `${error} ${String(r.body.error_description)}`);
      assert.equal(r.body.error, error);
      assert.match(String(r.body.error_description), description);
      assert.ok(
        !String(r.body.error_description).includes(form.assertion ?? '\u0000'),
        'the assertion is not echoed',
      );
    }
    const once = await good();
    assert.equal((await token(url, grant(once))).status, 200);
    const replay = await token(url, grant(once));
    assert.equal(replay.body.error, 'invalid_grant');
    assert.match(String(replay.body.error_description), /already used/);
    const get = await fetch(`${url}/am/oauth2/access_token`);
    assert.equal(get.status, 405);
  });

  it('refuses an unknown bearer token and a token without fr:idm:*', async () => {
    assert.equal(
      (await new Client(t.emulator.url, { Authorization: 'Bearer nope' }).get('/openidm/config/managed'))
        .status,
      401,
    );
    const account = await t.emulator.createServiceAccount();
    const r = await token(
      t.emulator.url,
      grant(await assertion(t.emulator.url, { ...account, now: clock.now() }), 'fr:am:*'),
    );
    const amOnly = new Client(t.emulator.url, { Authorization: `Bearer ${r.body.access_token as string}` });
    assert.equal((await amOnly.get('/openidm/config/managed')).status, 403);
  });
});
