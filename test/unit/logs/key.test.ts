// Where the CLI's log API key comes from (docs/logs.md "Log API key"): the environment only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_TENANT, ProfileFile, logKeyFromEnv, resolveConnection } from '../../../src/core/tenant';

describe('log API key from the environment', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logkey-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads SCANJOBS_LOG_API_KEY/SECRET, or Frodo’s FRODO_LOG_KEY/SECRET', () => {
    assert.deepEqual(logKeyFromEnv({ SCANJOBS_LOG_API_KEY: 'k1', SCANJOBS_LOG_API_SECRET: 's1' }), {
      id: 'k1',
      secret: 's1',
    });
    assert.deepEqual(logKeyFromEnv({ FRODO_LOG_KEY: 'k2', FRODO_LOG_SECRET: 's2' }), {
      id: 'k2',
      secret: 's2',
    });
    assert.equal(logKeyFromEnv({}), undefined);
  });

  it('half a key is an error naming the missing variable, and never the value given', () => {
    assert.throws(
      () => logKeyFromEnv({ SCANJOBS_LOG_API_KEY: 'the-key-id-value' }),
      (err: Error) =>
        /SCANJOBS_LOG_API_SECRET is not/.test(err.message) && !err.message.includes('the-key-id-value'),
    );
    assert.throws(
      () => logKeyFromEnv({ FRODO_LOG_SECRET: 'x' }),
      /FRODO_LOG_SECRET is set but FRODO_LOG_KEY is not/,
    );
  });

  it('the built-in local tenant has its own key; a URL tenant has none unless the environment gives one', () => {
    const profiles = new ProfileFile(join(dir, 'tenants.json'));
    assert.deepEqual(resolveConnection(undefined, {}, profiles).logKey, LOCAL_TENANT.logKey);
    const env = { IDM_USERNAME: 'u', IDM_PASSWORD: 'p' };
    assert.equal(resolveConnection('https://t.example', env, profiles).logKey, undefined);
    assert.deepEqual(
      resolveConnection(
        'https://t.example',
        { ...env, SCANJOBS_LOG_API_KEY: 'k', SCANJOBS_LOG_API_SECRET: 's' },
        profiles,
      ).logKey,
      { id: 'k', secret: 's' },
    );
  });
});
