import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { DryRunReport, PrivateTenantSetup, ScanQueryError, dryRun } from '../../src/core/preview';
import { startPrivateTenant } from '../../src/cli/private-tenant';
import { FaultProxy } from '../support/fault-proxy';
import { sunsetJob, sunsetUser } from './support/sunset-users';

const PAST = '2026-05-01T00:00:00.000Z';
const FUTURE = '2099-01-01T00:00:00.000Z';
const admin = () => new IdmPasswordSignIn('openidm-admin', 'openidm-admin');

/** Reads a manager from another object, patches, then ends differently per user (idm-api.md §5.6). */
const SCRIPT = `
var manager = openidm.read("managed/alpha_user/m1");
var team = openidm.read("managed/bravo_user/b1");
logger.info("sunsetting {} for {}", input.userName, manager ? manager.userName : "nobody");
openidm.patch(objectID, null, [
  { operation: "replace", field: "/accountStatus", value: "inactive" },
  { operation: "add", field: "/team", value: team ? team.userName : "none" }
]);
if (input.userName === "u3") { throw new Error("boom on u3"); }
input.userName === "u2" ? false : true;
`;

describe('dry run: the job on a private copy, the source only read, over real HTTP', function () {
  this.timeout(120_000);
  let source: EmulatorHandle;
  let proxy: FaultProxy;
  let client: TenantClient;
  let direct: TenantClient;
  const started: { location: string; setup: PrivateTenantSetup }[] = [];
  const start = async (setup: PrivateTenantSetup) => {
    const tenant = await startPrivateTenant(setup, () => undefined);
    started.push({ location: tenant.location, setup });
    return tenant;
  };
  const snapshot = async () =>
    (
      await direct.http.request<{ result: unknown[] }>({
        method: 'GET',
        path: '/openidm/managed/alpha_user',
        query: { _queryFilter: 'true' },
      })
    ).body.result;

  before(async () => {
    source = await startEmulator({ port: 0, inMemory: true, log: () => undefined });
    direct = new TenantClient(source.url, admin(), { env: {} });
    const users = [
      sunsetUser('u1', { date: PAST }),
      sunsetUser('u2', { date: PAST }),
      sunsetUser('u3', { date: PAST }),
      sunsetUser('u4', { date: PAST }),
      sunsetUser('u5', { date: PAST, 'task-started': new Date(Date.now() + 3_600_000).toISOString() }),
      sunsetUser('m1', { date: FUTURE }),
    ];
    for (const { _id, ...body } of users)
      await direct.http.request({ method: 'PUT', path: `/openidm/managed/alpha_user/${_id}`, body });
    await direct.http.request({
      method: 'PUT',
      path: '/openidm/managed/bravo_user/b1',
      body: { userName: 'bravo-team', mail: 'b1@example.com' },
    });
    proxy = await FaultProxy.start(source.url);
    client = new TenantClient(proxy.url, admin(), { env: {} });
  });
  after(async () => {
    await client.close();
    await direct.close();
    await proxy.close();
    await source.close();
  });
  beforeEach(() => {
    proxy.log.splice(0);
    started.splice(0);
  });

  it('runs the job with its own script and threads, and reports each object, the totals and what it touched', async () => {
    const before = await snapshot();
    const report = await dryRun(client, sunsetJob({ script: SCRIPT, threads: 1 }), start, { sample: 100 });
    assert.equal(report.sampled, 5);
    assert.deepEqual(
      report.results.map((r) => [r.id, r.status, r.result, r.error]),
      [
        ['u1', 'succeeded', true, null],
        ['u2', 'failed', false, null],
        ['u3', 'error', null, 'Error: boom on u3'],
        // One thread: the exception on u3 ends the worker's slice (§5.3).
        ['u4', 'not-run', null, null],
        // Started an hour from now: still owned within recovery.timeout (§5.4).
        ['u5', 'skipped', null, null],
      ],
    );
    assert.deepEqual(report.totals, { processed: 3, successes: 1, failures: 2 });
    assert.equal(report.runState, 'COMPLETED');
    const u1 = report.results[0]!;
    assert.equal(u1.before.accountStatus, 'active');
    assert.equal(u1.after!.accountStatus, 'inactive');
    assert.equal(u1.after!.team, 'bravo-team', 'the other object was read from the source on demand');
    assert.deepEqual(
      u1.changes.map((c) => [c.op, c.path]),
      [
        ['replace', '/accountStatus'],
        ['add', '/sunset/task-started'],
        ['add', '/sunset/task-completed'],
        ['add', '/team'],
      ],
    );
    assert.deepEqual(u1.logs, [{ level: 'info', message: 'sunsetting u1 for m1' }]);
    // u2 returned false: claimed (started set, completed := null) but not completed (§5.4, §5.6).
    const u2 = report.results[1]!.after!.sunset as Record<string, unknown>;
    assert.equal(typeof u2['task-started'], 'string');
    assert.equal(u2['task-completed'], null);
    assert.deepEqual(report.results[3]!.changes, []);
    assert.deepEqual(report.touched, [
      { resource: 'managed/alpha_user/m1', operations: ['read'], fromSource: true },
      { resource: 'managed/bravo_user/b1', operations: ['read'], fromSource: true },
    ]);
    // The first copy lacked m1 and b1: a second, fresh copy had them.
    assert.equal(started.length, 2);
    assert.deepEqual(
      started[1]!.setup.managedObjects.map((o) => o.name),
      ['alpha_user', 'bravo_user'],
    );
    assert.ok(
      started.every((s) => !existsSync(s.location)),
      'private tenants are deleted afterwards',
    );
    // Read-only toward the source: only GETs passed the proxy, and the source is unchanged.
    assert.equal(report.writesToTenant, 0);
    assert.ok(proxy.log.length > 0);
    assert.deepEqual([...new Set(proxy.log.map((r) => r.method))], ['GET']);
    assert.equal(report.sourceReads, proxy.log.length);
    assert.deepEqual(await snapshot(), before);
  });

  it('copies at most --sample matches', async () => {
    const report = await dryRun(client, sunsetJob(), start, { sample: 2 });
    assert.equal(report.sampled, 2);
    assert.deepEqual(
      report.results.map((r) => r.id),
      ['u1', 'u2'],
    );
    assert.deepEqual(report.totals, { processed: 2, successes: 2, failures: 0 });
    assert.deepEqual([...new Set(proxy.log.map((r) => r.method))], ['GET']);
  });

  it('keeps the private tenant when asked: a local tenant that opens with the copied objects', async () => {
    let report: DryRunReport | undefined;
    try {
      report = await dryRun(client, sunsetJob(), start, { sample: 1, keep: true });
      assert.ok(report.kept);
      assert.ok(existsSync(join(report.kept, 'managed-objects.json')));
      const reopened = await startEmulator({ port: 0, dataDir: report.kept, log: () => undefined });
      const c = new TenantClient(reopened.url, admin(), { env: {} });
      try {
        const u1 = await c.http.request<Record<string, unknown>>({
          method: 'GET',
          path: '/openidm/managed/alpha_user/u1',
        });
        assert.equal(u1.body.accountStatus, 'inactive');
      } finally {
        await c.close();
        await reopened.close();
      }
    } finally {
      if (report?.kept) (await import('node:fs')).rmSync(report.kept, { recursive: true, force: true });
    }
  });

  it('refuses a job it cannot run before reading anything', async () => {
    await assert.rejects(dryRun(client, sunsetJob({ filter: '/sunset/date lt' }), start), ScanQueryError);
    assert.equal(proxy.log.length, 0);
    assert.equal(started.length, 0);
  });
});
