import { strict as assert } from 'node:assert';
import { RunRecord, Started, execute, manyUsers, putUsers, scanJob, start, waitForRun } from './support';

async function scan(
  t: Started,
  name: string,
  source: string,
  threads = 1,
): Promise<{ run: RunRecord; errors: string[] }> {
  await t.client.put(`/openidm/scheduler/job/${name}`, scanJob({ source, threads }));
  const run = await waitForRun(t.client, await execute(t.client, name));
  const log = (await t.client.get(`/scanjobs-emulator/runs/${run._id}/log`)).body.entries as {
    level: string;
    message: string;
  }[];
  return { run, errors: log.filter((e) => e.level === 'error').map((e) => e.message) };
}

describe('emulator: script isolation (QuickJS sandbox)', () => {
  let t: Started;
  beforeEach(async () => {
    t = await start({ scriptLimits: { timeoutMs: 300, memoryBytes: 16 * 1024 * 1024 } });
    await putUsers(t.client, manyUsers(2));
  });
  afterEach(() => t.emulator.close());

  it('offers no host objects: require, process, module, fetch, Buffer, globalThis escapes', async () => {
    const source = [
      "var names = ['require', 'process', 'module', 'exports', 'fetch', 'Buffer', 'XMLHttpRequest', 'setTimeout', '__host', '__log'];",
      "var none = names.every(function (n) { return typeof globalThis[n] === 'undefined'; });",
      "var viaFunction = this.constructor.constructor('return typeof process + typeof require')();",
      "var viaChain = (function () {}).constructor.constructor('return this')();",
      "var viaError = (function () { try { null.x; } catch (e) { return e.constructor.constructor('return typeof process')(); } })();",
      "none && viaFunction === 'undefinedundefined' && viaChain.process === undefined && viaError === 'undefined'",
    ].join('\n');
    const { run, errors } = await scan(t, 'hostless', source);
    assert.deepEqual(errors, []);
    assert.equal(run.progress.successes, 2);
  });

  it('contains prototype pollution and global leaks: the next object and the host see none of it', async () => {
    const source = [
      "var clean = ({}).polluted === undefined && typeof JSON.parse === 'function' && typeof leakedGlobal === 'undefined' && [].push.name === 'push';",
      "Object.prototype.polluted = 'yes';",
      'Array.prototype.push = null;',
      'JSON.parse = null;',
      'leakedGlobal = 1;',
      'clean',
    ].join('\n');
    const { run, errors } = await scan(t, 'pollute', source);
    assert.deepEqual(errors, []);
    assert.equal(run.progress.successes, 2, 'the second object saw a clean world');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof JSON.parse, 'function');
  });

  it('stops an endless loop after the CPU limit, as a failure with a clear message, and keeps working', async () => {
    const { run, errors } = await scan(t, 'spin', 'while (true) {}');
    assert.equal(run.progress.state, 'COMPLETED');
    assert.deepEqual([run.progress.failures, run.progress.successes], [1, 0]);
    assert.match(errors[0]!, /script stopped after 300 ms of CPU time \(endless loop\?\)/);
    const after = await scan(t, 'fine', 'true');
    assert.equal(after.run.progress.successes, 2);
  });

  it('stops huge allocations at the memory cap', async () => {
    for (const [name, source] of [
      ['array', 'new Array(1e9).fill(0); true'],
      ['objects', 'var a = []; while (true) { a.push({ x: a.length }); }'],
    ]) {
      const { run, errors } = await scan(t, name!, source!);
      assert.equal(run.progress.failures, 1, name);
      assert.match(errors[0]!, /script ran out of memory \(limit 16 MB\)|CPU time/, name);
    }
    const { errors } = await scan(t, 'string', "'x'.repeat(1 << 30); true");
    assert.match(errors[0]!, /script failed: (InternalError|RangeError)|out of memory/);
    const after = await scan(t, 'fine', 'true');
    assert.equal(after.run.progress.successes, 2);
  });

  it('contains deep recursion and keeps the bridge to the emulator store only', async () => {
    let { errors } = await scan(t, 'deep', 'function f() { return f(); } f();');
    assert.match(errors[0]!, /script failed: (InternalError|RangeError)/);
    ({ errors } = await scan(t, 'path', "openidm.read('../../../etc/passwd')"));
    assert.match(errors[0]!, /script failed: Error: Resource '\.\.\/\.\.\/\.\.\/etc\/passwd' not found/);
    ({ errors } = await scan(t, 'action', "openidm.action('external/rest', 'call', {})"));
    assert.match(errors[0]!, /openidm\.action is not available in the emulator/);
    assert.equal((await t.client.get('/scanjobs-emulator/info')).status, 200);
  });
});
