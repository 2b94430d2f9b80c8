import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, JWK, SignJWT } from 'jose';
import { parseEmulatorArgs } from '../../src/emulator/options';
import { start } from './support';

const ROOT = join(__dirname, '..', '..');
/** The bundle users run (its command modules load lazily, which only the bundle resolves). */
const CLI = [join(ROOT, 'dist/cli.js'), 'emulator'];

describe('emulator: scanjobs emulator command', () => {
  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  });

  it('parses its options and names the bad one', () => {
    assert.deepEqual(
      parseEmulatorArgs([
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--data',
        'd',
        '--seed-users',
        '10',
        '--strict',
      ]),
      {
        host: '0.0.0.0',
        port: 0,
        dataDir: 'd',
        seedUsers: 10,
        strict: true,
      },
    );
    assert.throws(
      () => parseEmulatorArgs(['--in-memory', '--port', '70000']),
      /--port must be an integer from 0 to 65535, got '70000'/,
    );
    assert.throws(() => parseEmulatorArgs(['--in-memory', '--seed-users']), /--seed-users needs a value/);
    assert.throws(() => parseEmulatorArgs(['--in-memory', '--data', 'x']), /exclude each other/);
    assert.throws(() => parseEmulatorArgs([]), /--data <dir> or --in-memory/);
    assert.throws(() => parseEmulatorArgs(['--in-memory', '--verbose']), /unknown option '--verbose'/);
  });

  it('takes --flavor aic|openidm and names the choices on anything else', () => {
    assert.deepEqual(parseEmulatorArgs(['--in-memory', '--flavor', 'openidm']), {
      inMemory: true,
      flavor: 'openidm',
    });
    assert.deepEqual(parseEmulatorArgs(['--in-memory', '--flavor', 'aic']), {
      inMemory: true,
      flavor: 'aic',
    });
    assert.throws(
      () => parseEmulatorArgs(['--in-memory', '--flavor', 'idm7']),
      /--flavor must be one of aic, openidm, got 'idm7'/,
    );
    assert.throws(() => parseEmulatorArgs(['--in-memory', '--flavor']), /--flavor needs a value/);
  });

  it('prints the URL and how to sign in, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [...CLI, '--in-memory', '--port', '0'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    const deadline = Date.now() + 20_000;
    while (!out.includes('Press Ctrl+C')) {
      if (Date.now() > deadline) throw new Error(`no banner: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    assert.match(out, /X-OpenIDM-Username: openidm-admin and X-OpenIDM-Password: openidm-admin/);
    assert.match(out, /service-account/);
    const res = await fetch(`${url}/openidm/config/managed`);
    assert.equal(res.status, 401);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(out, /Local tenant stopped\.\n$/);
  });

  it('exits 3 with the reason for bad options, and 0 with the usage for --help', () => {
    let r = spawnSync(process.execPath, [...CLI, '--port', 'abc', '--in-memory'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /scanjobs emulator: --port must be an integer/);
    r = spawnSync(process.execPath, [...CLI, '--help'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--seed-users <n>/);
    r = spawnSync(process.execPath, [...CLI, 'service-account'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 3);
  });

  it('registers a service account whose printed JWK signs in to that tenant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanjobs-sa-'));
    try {
      const r = spawnSync(process.execPath, [...CLI, 'service-account', '--data', dir], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const id = /Service account ([0-9a-f-]{36}) registered/.exec(r.stdout)![1]!;
      const jwk = JSON.parse(r.stdout.trim().split('\n').pop()!) as JWK;
      assert.equal(jwk.kty, 'RSA');
      const t = await start({ dataDir: dir });
      try {
        const now = Math.floor(Date.now() / 1000);
        const assertion = await new SignJWT({})
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer(id)
          .setSubject(id)
          .setAudience(`${t.emulator.url}/am/oauth2/access_token`)
          .setExpirationTime(now + 180)
          .setJti(randomUUID())
          .sign(await importJWK(jwk, 'RS256'));
        const res = await fetch(`${t.emulator.url}/am/oauth2/access_token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: 'service-account',
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            assertion,
            scope: 'fr:idm:*',
          }),
        });
        assert.equal(res.status, 200);
      } finally {
        await t.emulator.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
