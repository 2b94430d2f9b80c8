import { strict as assert } from 'node:assert';
import { quickJS } from '../../src/emulator/sandbox';
import { Tenant } from '../../src/emulator/tenant';
import { scanJob, user } from './support';

/** The run state machine's early-cancel edge (idm-api.md §4.2), which HTTP cannot hit in time. */
describe('emulator: run state machine', () => {
  let tenant: Tenant;
  beforeEach(async () => {
    tenant = new Tenant({
      inMemory: true,
      clock: () => new Date(),
      log: () => {},
      strict: false,
      quickjs: await quickJS(),
    });
    for (let i = 0; i < 5; i++) tenant.objects.create('managed/alpha_user', `u${i}`, user({ id: `u${i}` }));
  });
  afterEach(() => tenant.close());

  it('a run cancelled while INITIALIZED becomes ACTIVE again, its workers stop at once, and it ends COMPLETED', async () => {
    const { invokeContext } = scanJob() as { invokeContext: unknown };
    const { runId, done } = await tenant.scanner.execute('early', invokeContext);
    assert.equal(tenant.scanner.read(runId)!.progress.state, 'INITIALIZED');
    assert.equal(tenant.scanner.cancel(runId), 'SUCCESS');
    assert.equal(tenant.scanner.read(runId)!.progress.state, 'CANCELLED');
    await done;
    const run = tenant.runs.get(runId)!;
    assert.equal(run.progress.state, 'COMPLETED');
    assert.equal(run.progress.total, 5);
    assert.equal(run.progress.processed, 0);
    assert.match(run.ended!, /Z$/);
  });

  it('a run cancelled while ACTIVE keeps CANCELLED and no ended; cancelling again still succeeds', async () => {
    const { invokeContext } = scanJob({
      source: 'var end = Date.now() + 5; while (Date.now() < end) {} true',
      threads: 1,
    }) as { invokeContext: unknown };
    for (let i = 5; i < 40; i++) tenant.objects.create('managed/alpha_user', `u${i}`, user({ id: `u${i}` }));
    const { runId, done } = await tenant.scanner.execute('late', invokeContext);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(tenant.scanner.read(runId)!.progress.state, 'ACTIVE');
    assert.equal(tenant.scanner.cancel(runId), 'SUCCESS');
    await done;
    const run = tenant.runs.get(runId)!;
    assert.equal(run.progress.state, 'CANCELLED');
    assert.equal(run.ended, null);
    assert.ok(run.progress.processed < 40);
    assert.equal(tenant.scanner.cancel(runId), 'SUCCESS');
    assert.equal(tenant.scanner.cancel('unknown-1'), undefined);
  });
});
