import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCAL_TENANT,
  ProfileFile,
  ServiceAccountSignIn,
  TenantError,
  resolveConnection,
  toProfile,
} from '../../src/core/tenant';

function profiles(): ProfileFile {
  return new ProfileFile(join(mkdtempSync(join(tmpdir(), 'scanjobs-profiles-')), 'tenants.json'));
}

const jwk = () =>
  JSON.stringify(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }));

describe('choosing the tenant and its credentials', () => {
  it('defaults to the built-in local tenant when nothing is configured', () => {
    const c = resolveConnection(undefined, {}, profiles());
    assert.equal(c.baseUrl, LOCAL_TENANT.baseUrl);
    assert.equal(c.baseUrl, 'http://127.0.0.1:8080');
    assert.equal(c.signIn.kind, 'idm-password');
    assert.equal(c.source, 'the built-in local tenant');
  });

  it("reads fr-config-manager's TENANT_BASE_URL, SERVICE_ACCOUNT_ID and SERVICE_ACCOUNT_KEY", () => {
    const c = resolveConnection(
      undefined,
      {
        TENANT_BASE_URL: 'https://openam-t.example.com',
        SERVICE_ACCOUNT_ID: 'sa-1',
        SERVICE_ACCOUNT_KEY: jwk(),
      },
      profiles(),
    );
    assert.equal(c.baseUrl, 'https://openam-t.example.com');
    assert.ok(c.signIn instanceof ServiceAccountSignIn);
    assert.equal((c.signIn as ServiceAccountSignIn).accountId, 'sa-1');
    assert.equal(c.source, 'TENANT_BASE_URL');
  });

  it('reads SERVICE_ACCOUNT_KEY_PATH, and says which file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanjobs-key-'));
    writeFileSync(join(dir, 'sa.jwk'), jwk());
    const env = {
      TENANT_BASE_URL: 'https://t.example.com',
      SERVICE_ACCOUNT_ID: 'sa-2',
      SERVICE_ACCOUNT_KEY_PATH: join(dir, 'sa.jwk'),
    };
    assert.equal(resolveConnection(undefined, env, profiles()).signIn.kind, 'service-account');
    assert.throws(
      () =>
        resolveConnection(
          undefined,
          { ...env, SERVICE_ACCOUNT_KEY_PATH: join(dir, 'missing.jwk') },
          profiles(),
        ),
      /cannot read the service-account key file .*missing\.jwk: ENOENT/,
    );
  });

  it("reads Frodo's FRODO_HOST, FRODO_SA_ID and FRODO_SA_JWK (an /am URL is the same tenant)", () => {
    const c = resolveConnection(
      undefined,
      { FRODO_HOST: 'https://openam-t.example.com/am', FRODO_SA_ID: 'sa-3', FRODO_SA_JWK: jwk() },
      profiles(),
    );
    assert.equal(c.baseUrl, 'https://openam-t.example.com');
    assert.equal((c.signIn as ServiceAccountSignIn).accountId, 'sa-3');
  });

  it('takes --tenant over SCANJOBS_TENANT over the environment URL', () => {
    const env = {
      SCANJOBS_TENANT: 'http://b:8080',
      TENANT_BASE_URL: 'http://c:8080',
      IDM_USERNAME: 'u',
      IDM_PASSWORD: 'p-123456',
    };
    assert.equal(resolveConnection('http://a:8080', env, profiles()).baseUrl, 'http://a:8080');
    assert.equal(resolveConnection(undefined, env, profiles()).baseUrl, 'http://b:8080');
  });

  it('uses a profile by name, with its secret from the environment', () => {
    const file = profiles();
    file.put(
      toProfile(
        { name: 'dev', baseUrl: 'http://idm:8080', signIn: 'idm-password', username: 'admin' },
        'test',
      ),
    );
    const c = resolveConnection('dev', { IDM_PASSWORD: 'secret-pw-1' }, file);
    assert.equal(c.label, 'dev');
    assert.throws(
      () => resolveConnection('dev', {}, file),
      /tenant profile 'dev' signs in with IDM_USERNAME\/IDM_PASSWORD; set IDM_PASSWORD/,
    );
    assert.throws(
      () => resolveConnection('stage', {}, file),
      /No tenant profile named 'stage' \(profiles: dev\)/,
    );
  });

  it('asks for --tenant when several profiles are saved', () => {
    const file = profiles();
    for (const name of ['a', 'b'])
      file.put(toProfile({ name, baseUrl: `http://${name}:8080`, signIn: 'access-token' }, 'test'));
    assert.throws(
      () => resolveConnection(undefined, {}, file),
      /Several tenant profiles are saved \(a, b\); choose one with --tenant/,
    );
  });

  it('refuses a profile that tries to hold a secret', () => {
    assert.throws(
      () =>
        toProfile(
          { name: 'x', baseUrl: 'https://t', signIn: 'idm-password', password: 'p' },
          'tenants.json: tenants[0]',
        ),
      (err: unknown) =>
        err instanceof TenantError &&
        /tenants\[0\]: unknown field 'password' \(secrets are never stored in profiles\)/.test(err.message),
    );
  });
});
