// The CLI as an npm package (scripts/pack-cli.mjs): packed, installed with `npm i -g` into a temporary
// prefix, and run from the installed copy alone: --version, validate on the examples, and the local
// tenant with push + execute --watch.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
const ADMIN = { IDM_USERNAME: 'openidm-admin', IDM_PASSWORD: 'openidm-admin' };

describe('the CLI npm package', function () {
  // npm resolves the two runtime dependencies and may build better-sqlite3 from source: minutes
  this.timeout(15 * 60_000);
  let prefix = '';
  let tarball = '';
  let scanjobs = '';
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(scanjobs, args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SCANJOBS_CONFIG_DIR: path.join(prefix, 'config'), ...env },
      timeout: 120_000,
    });

  before(function () {
    if (!existsSync(path.join(root, 'dist/cli.js'))) {
      assert.equal(spawnSync('npm', ['run', '--silent', 'build'], { cwd: root }).status, 0, 'build');
    }
    const packed = spawnSync(process.execPath, ['scripts/pack-cli.mjs', '--no-build'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(packed.status, 0, packed.stderr);
    tarball = packed.stdout.trim().split('\n').pop()!;
    prefix = mkdtempSync(path.join(tmpdir(), 'scanjobs-prefix-'));
    const installed = spawnSync(
      'npm',
      ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
      { cwd: prefix, encoding: 'utf8' },
    );
    assert.equal(installed.status, 0, installed.stderr);
    scanjobs = path.join(prefix, 'bin/scanjobs');
  });
  after(() => {
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('carries the bundle, its script thread, README and licence only, and states its engines', function () {
    const list = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
    assert.deepEqual(list, [
      'package/LICENSE',
      'package/README.md',
      'package/cli.js',
      'package/emulator-script-thread.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse(
      readFileSync(path.join(prefix, 'lib/node_modules/scanjobs/package.json'), 'utf8'),
    ) as { engines: { node: string }; bin: Record<string, string> };
    assert.equal(manifest.engines.node, '>=20');
    assert.deepEqual(manifest.bin, { scanjobs: 'cli.js' });
  });

  it('prints its version', function () {
    const r = cli(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  });

  it('validates the examples', function () {
    const clean = cli(['validate', 'examples/sunset.scanjob.json']);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    const published = cli(['validate', 'examples/published/sunsetTask.scanjob.json']);
    assert.equal(published.status, 1);
    assert.match(published.stdout, /sunsetTask\.scanjob\.json:12:\d+: error json-invalid-escape/);
  });

  describe('with the local tenant from the installed copy', function () {
    let tenant: ChildProcess | undefined;
    let url = '';
    before(async function () {
      tenant = spawn(scanjobs, ['emulator', '--in-memory', '--port', '0', '--seed-users', '50'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        tenant!.stdout!.on('data', (c) => {
          out += c;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        tenant!.stderr!.on('data', (c) => (err += c));
        tenant!.on('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${err}`)));
      });
    });
    after(() => {
      tenant?.kill('SIGINT');
    });

    it('pushes the example job and follows its run to COMPLETED', function () {
      const env = { ...ADMIN, SCANJOBS_TENANT: url };
      const push = cli(['push', 'examples/sunset.scanjob.json'], env);
      assert.equal(push.status, 0, push.stdout + push.stderr);
      const run = cli(['execute', 'sunset', '--watch'], env);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout + run.stderr, /COMPLETED/);
    });
  });
});
