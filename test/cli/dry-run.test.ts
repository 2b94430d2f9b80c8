import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { FaultProxy } from '../support/fault-proxy';
import { sunsetJob, sunsetUser } from '../tenant/support/sunset-users';
import { cli, ensureBuilt } from './support';

describe('scanjobs dry-run over real HTTP', function () {
  this.timeout(120_000);
  let emu: EmulatorHandle;
  let proxy: FaultProxy;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ensureBuilt();
    emu = await startEmulator({ port: 0, inMemory: true, log: () => undefined });
    const admin = new TenantClient(emu.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
    });
    for (const { _id, ...body } of [
      sunsetUser('u1', { date: '2026-05-01T00:00:00.000Z' }),
      sunsetUser('u2', { date: '2026-05-02T00:00:00.000Z' }),
    ])
      await admin.http.request({ method: 'PUT', path: `/openidm/managed/alpha_user/${_id}`, body });
    await admin.close();
    proxy = await FaultProxy.start(emu.url);
    work = mkdtempSync(join(tmpdir(), 'scanjobs-dry-run-cli-'));
    env = {
      SCANJOBS_CONFIG_DIR: join(work, 'config'),
      IDM_USERNAME: 'openidm-admin',
      IDM_PASSWORD: 'openidm-admin',
      TMPDIR: work,
    };
    writeFileSync(join(work, 'sunset.scanjob.json'), JSON.stringify(sunsetJob(), null, 2));
    writeFileSync(
      join(work, 'half.scanjob.json'),
      JSON.stringify(
        sunsetJob({ script: 'logger.warn("looking at {}", input.userName); input.userName === "u1";' }),
      ),
    );
  });
  after(async () => {
    await proxy.close();
    await emu.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints the JSON the issue names; only GETs reach the tenant', async () => {
    proxy.log.splice(0);
    const r = await cli(
      ['dry-run', 'sunset.scanjob.json', '--tenant', proxy.url, '--format', 'json'],
      env,
      work,
    );
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as Record<string, unknown> & {
      results: Record<string, unknown>[];
    };
    assert.deepEqual(Object.keys(out).slice(0, 5), [
      'tenant',
      'sampled',
      'results',
      'totals',
      'writesToTenant',
    ]);
    assert.equal(out.tenant, new URL(proxy.url).host);
    assert.equal(out.sampled, 2);
    assert.deepEqual(out.totals, { processed: 2, successes: 2, failures: 0 });
    assert.equal(out.writesToTenant, 0);
    for (const key of ['id', 'result', 'error', 'before', 'after', 'changes'])
      assert.ok(key in out.results[0]!, `results[].${key}`);
    assert.equal(out.results[0]!.result, true);
    assert.equal((out.results[0]!.before as Record<string, unknown>).accountStatus, 'active');
    assert.equal((out.results[0]!.after as Record<string, unknown>).accountStatus, 'inactive');
    assert.deepEqual([...new Set(proxy.log.map((l) => l.method))], ['GET']);
    // The private tenant's folder (made in TMPDIR) is gone.
    assert.deepEqual(
      readdirSync(work).filter((n) => n.startsWith('scanjobs-dry-run-')),
      [],
    );
  });

  it('prints a summary table, unified diffs and log lines, and exits 1 when objects fail', async () => {
    const r = await cli(['dry-run', 'half.scanjob.json', '--tenant', emu.url], env, work);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.out,
      /^Dry run of managed\/alpha_user from 127\.0\.0\.1:\d+: 2 object\(s\) copied to a private tenant; nothing written to 127\.0\.0\.1:\d+\.\n/,
    );
    assert.match(r.out, /\nRun on the copy COMPLETED: 2 processed, 1 succeeded, 1 failed\.\n/);
    assert.match(r.out, /\nu1 +true +\/sunset\/task-started, \/sunset\/task-completed\n/);
    assert.match(r.out, /\nu2 +returned false +\/sunset\/task-started, \/sunset\/task-completed\n/);
    assert.match(
      r.out,
      /\n== u2: returned false\nlog warn: looking at u2\n--- u2 \(before\)\n\+\+\+ u2 \(after\)\n@@ /,
    );
    assert.match(r.out, /\n\+ {4}"task-completed": null\n/);
    assert.match(r.out, /\n\d+ GET request\(s\) sent to 127\.0\.0\.1:\d+, no writes\.\n$/);
  });

  it('keeps the private tenant with --keep and says how to open it', async () => {
    const r = await cli(
      ['dry-run', 'sunset.scanjob.json', '--tenant', emu.url, '--keep', '--sample', '1'],
      env,
      work,
    );
    assert.equal(r.code, 0, r.err);
    const m = /The private tenant is kept in (\S+): scanjobs emulator --data \1\n/.exec(r.out);
    assert.ok(m, r.out);
    assert.ok(existsSync(join(m[1]!, 'managed-objects.json')));
  });

  it('refuses a sample over 10,000 and a bad format', async () => {
    let r = await cli(
      ['dry-run', 'sunset.scanjob.json', '--tenant', emu.url, '--sample', '10001'],
      env,
      work,
    );
    assert.equal(r.code, 3);
    assert.match(r.err, /--sample must be a whole number from 0 to 10,000, got '10001'/);
    r = await cli(['dry-run', 'sunset.scanjob.json', '--tenant', emu.url, '--format', 'xml'], env, work);
    assert.equal(r.code, 3);
  });
});
