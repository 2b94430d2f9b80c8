import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError, parseEmulatorArgs } from '../../src/emulator/options';
import { start } from './support';

const ROLE = { name: 'alpha_role', schema: { properties: { name: { type: 'string', title: 'Name' } } } };

describe('emulator: extra managed objects (--managed-objects) for a dry run’s copy', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'scanjobs-managed-objects-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the given object with its schema, and reopens with it from the data folder', async () => {
    let t = await start({ dataDir: dir, managedObjects: [ROLE] });
    try {
      let r = await t.client.put('/openidm/managed/alpha_role/r1', { name: 'auditors' });
      assert.equal(r.status, 201);
      r = await t.client.get('/openidm/config/managed');
      const names = (r.body.objects as { name: string }[]).map((o) => o.name);
      assert.deepEqual(names, ['alpha_user', 'bravo_user', 'user', 'alpha_role']);
      assert.deepEqual((r.body.objects as { schema: unknown }[])[3]!.schema, ROLE.schema);
    } finally {
      await t.emulator.close();
    }
    t = await start({ dataDir: dir });
    try {
      const r = await t.client.get('/openidm/managed/alpha_role/r1');
      assert.equal(r.status, 200);
      assert.equal(r.body.name, 'auditors');
      assert.equal((await t.client.get('/openidm/managed/alpha_group/x')).status, 404);
    } finally {
      await t.emulator.close();
    }
  });

  it('reads --managed-objects from a file and names a bad one', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify([ROLE]));
    assert.deepEqual(parseEmulatorArgs(['--in-memory', '--managed-objects', good]).managedObjects, [ROLE]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'alpha_role' }));
    assert.throws(
      () => parseEmulatorArgs(['--in-memory', '--managed-objects', bad]),
      (err: unknown) => err instanceof OptionError && /bad\.json must hold a JSON array/.test(err.message),
    );
    assert.throws(
      () => parseEmulatorArgs(['--in-memory', '--managed-objects', join(dir, 'none.json')]),
      (err: unknown) =>
        err instanceof OptionError && /cannot read the managed objects in .*none\.json/.test(err.message),
    );
  });

  it('traces a scan script’s openidm calls in the run log with --trace-script-calls', async () => {
    const t = await start({ traceScriptCalls: true });
    try {
      await t.client.put('/openidm/managed/alpha_user/u1', { userName: 'u1' });
      await t.client.put('/openidm/scheduler/job/trace', {
        type: 'cron',
        schedule: '0 0 0 1 1 ? 2099',
        invokeService: 'taskscanner',
        invokeContext: {
          waitForCompletion: true,
          scan: {
            object: 'managed/alpha_user',
            _queryFilter: 'true',
            taskState: { started: '/s/started', completed: '/s/completed' },
          },
          task: {
            script: { type: 'text/javascript', source: 'openidm.read("managed/alpha_user/nobody"); true;' },
          },
        },
      });
      const run = await t.client.post('/openidm/taskscanner?_action=execute&name=trace');
      const log = await t.client.get(`/scanjobs-emulator/runs/${run.body._id as string}/log`);
      const traces = (log.body.entries as { level: string; message: string; objectID: string }[]).filter(
        (e) => e.level === 'trace',
      );
      assert.deepEqual(
        traces.map((e) => [e.objectID, e.message]),
        [['managed/alpha_user/u1', 'openidm.read managed/alpha_user/nobody: not found']],
      );
    } finally {
      await t.emulator.close();
    }
  });
});
