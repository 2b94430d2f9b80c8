import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('npm start (scripts/start.mjs), the README main command', function () {
  this.timeout(180_000);

  it('builds, starts the local tenant, pushes and executes the sunset example, follows it and prints the summary', async () => {
    const result = await new Promise<{ code: number; out: string; err: string }>((done) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'scripts', 'start.mjs'), '--exit', '--port', '0', '--users', '500'],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('close', (code) => done({ code: code ?? -1, out, err }));
    });
    assert.equal(result.code, 0, result.out + result.err);
    assert.match(
      result.out,
      /==> Starting the local tenant with 500 seeded users\nLocal tenant on http:\/\/127\.0\.0\.1:(\d+)\n/,
    );
    assert.match(result.out, /(Created|Updated) \/openidm\/scheduler\/job\/sunset on /);
    assert.match(result.out, /Started run \S+ of sunset on /);
    assert.match(
      result.out,
      /Run \S+ of sunset COMPLETED in [\d.]+ (?:ms|s): (\d+)\/\1 processed, \1 succeeded, 0 failed\./,
    );
    assert.match(
      result.out,
      /The local tenant keeps running on http:\/\/127\.0\.0\.1:\d+ \(user openidm-admin, password openidm-admin\)/,
    );
    assert.match(result.out, /SCANJOBS_TENANT=http:\/\/127\.0\.0\.1:\d+ IDM_USERNAME=openidm-admin/);
  });
});
