import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { FaultProxy } from '../support/fault-proxy';
import { sunsetJob, sunsetUser } from '../tenant/support/sunset-users';
import { cli, ensureBuilt } from './support';

const NOW = '2026-06-01T12:00:00.000Z';

describe('scanjobs preview over real HTTP', function () {
  this.timeout(60_000);
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
    const users = [
      sunsetUser('u1', { date: '2026-05-01T00:00:00.000Z' }),
      sunsetUser('u2', { date: '2026-05-02T00:00:00.000Z', 'task-started': '2026-06-01T11:58:00.000Z' }),
      sunsetUser('u3', { date: '2026-07-01T00:00:00.000Z' }),
    ];
    for (const { _id, ...body } of users)
      await admin.http.request({ method: 'PUT', path: `/openidm/managed/alpha_user/${_id}`, body });
    await admin.close();
    proxy = await FaultProxy.start(emu.url);
    work = mkdtempSync(join(tmpdir(), 'scanjobs-preview-'));
    env = {
      SCANJOBS_CONFIG_DIR: join(work, 'config'),
      IDM_USERNAME: 'openidm-admin',
      IDM_PASSWORD: 'openidm-admin',
    };
    writeFileSync(join(work, 'sunset.scanjob.json'), JSON.stringify(sunsetJob(), null, 2));
  });
  after(async () => {
    await proxy.close();
    await emu.close();
  });

  it('prints the JSON the issue names, and sends only GETs', async () => {
    proxy.log.splice(0);
    const r = await cli(
      ['preview', 'sunset.scanjob.json', '--tenant', proxy.url, '--now', NOW, '--format', 'json'],
      env,
      work,
    );
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    assert.deepEqual(out, {
      object: 'managed/alpha_user',
      filter: '/sunset/date lt "${Time.now}"',
      expandedFilter: `/sunset/date lt "${NOW}"`,
      now: NOW,
      matched: 2,
      exact: true,
      wouldProcess: 1,
      claimed: 1,
      completed: 0,
      samples: [
        { _id: 'u1', state: 'wouldProcess', fields: { '/sunset/date': '2026-05-01T00:00:00.000Z' } },
        {
          _id: 'u2',
          state: 'claimed',
          fields: {
            '/sunset/date': '2026-05-02T00:00:00.000Z',
            '/sunset/task-started': '2026-06-01T11:58:00.000Z',
          },
        },
      ],
    });
    assert.ok(proxy.log.length > 0);
    assert.deepEqual([...new Set(proxy.log.map((l) => l.method))], ['GET']);
  });

  it('prints the counts, how they were made and a sample table as text', async () => {
    const r = await cli(
      ['preview', 'sunset.scanjob.json', '--tenant', emu.url, '--now', NOW, '--sample', '1'],
      env,
      work,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^Preview of managed\/alpha_user on http:\/\/127\.0\.0\.1:\d+ at 2026-06-01T12:00:00\.000Z\n/,
    );
    assert.match(r.out, /\nExpanded: {2}\/sunset\/date lt "2026-06-01T12:00:00\.000Z"\n/);
    assert.match(r.out, /\nMatched: {3}2 \(exact: every match was read, in 1 page of up to 2,000\)\n/);
    assert.match(r.out, /would be processed now +1\n/);
    assert.match(r.out, /claimed by a run in progress +1\n/);
    assert.match(r.out, /already completed \(skipped\) +0\n/);
    assert.match(
      r.out,
      /\nSample \(1 of 2\):\n_id +state +\/sunset\/date\nu1 +wouldProcess +2026-05-01T00:00:00\.000Z\n$/,
    );
  });

  it('refuses bad options and jobs it cannot preview, naming the problem', async () => {
    let r = await cli(
      ['preview', 'sunset.scanjob.json', '--tenant', emu.url, '--now', 'tomorrow'],
      env,
      work,
    );
    assert.equal(r.code, 3);
    assert.match(r.err, /--now must be an ISO date-time with a zone.*'tomorrow'/);
    r = await cli(['preview', 'sunset.scanjob.json', '--tenant', emu.url, '--sample', '-1'], env, work);
    assert.equal(r.code, 3);
    r = await cli(['preview', 'sunset.scanjob.json', '--tenant', emu.url, '--format', 'yaml'], env, work);
    assert.equal(r.code, 3);
    assert.match(r.err, /--format must be text or json, got 'yaml'/);
    r = await cli(['preview', 'missing.scanjob.json', '--tenant', emu.url], env, work);
    assert.equal(r.code, 3);
    assert.match(r.err, /cannot read .*missing\.scanjob\.json: ENOENT/);
    writeFileSync(
      join(work, 'byid.scanjob.json'),
      JSON.stringify({
        ...sunsetJob(),
        invokeContext: { scan: { object: 'managed/alpha_user', _queryId: 'scan-tasks' } },
      }),
    );
    r = await cli(['preview', 'byid.scanjob.json', '--tenant', emu.url], env, work);
    assert.equal(r.code, 2);
    assert.match(r.err, /byid\.scanjob\.json: the job scans with a _queryId/);
    writeFileSync(join(work, 'other.scanjob.json'), JSON.stringify(sunsetJob({ object: 'managed/nothing' })));
    r = await cli(['preview', 'other.scanjob.json', '--tenant', emu.url], env, work);
    assert.equal(r.code, 2);
    assert.match(r.err, /managed\/nothing/);
  });
});
