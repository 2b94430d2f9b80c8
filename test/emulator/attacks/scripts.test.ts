/**
 * Hostile job scripts and filters (issue 12, item 6 and "Also"; docs/security.md "Scripts", "Stalls"):
 * memory bombs are bounded per engine, huge filters are refused before they are parsed, and the
 * server keeps answering while runs and queries are busy. Timings are in bench/stalls.ts, not here.
 */
import { strict as assert } from 'node:assert';
import { ScriptEngine } from '../../../src/emulator/sandbox';
import { Started, busyScript, execute, scanJob, start, waitForRun } from '../support';

const ARRAY_BUFFER_BOMB = 'var a = []; for (;;) a.push(new ArrayBuffer(1 << 20));';
const OBJECT_BOMB = 'var a = []; for (;;) a.push({ x: a.length });';
const MB = 1024 * 1024;

describe('attacks: hostile scripts and filters', function () {
  this.timeout(120_000);

  it("an ArrayBuffer bomb stays inside its engine's capped memory (64 MB heap + 32 MB)", async () => {
    const engine = await ScriptEngine.isolated({ call: () => null, log: () => {} });
    const outcome = engine.run(ARRAY_BUFFER_BOMB, '{"_id":"a"}', 'o/');
    assert.deepEqual(outcome, { ok: false, fatal: true, error: 'script ran out of memory (limit 64 MB)' });
    assert.ok(engine.wasmBytes <= 96 * MB, `engine memory ${engine.wasmBytes / MB} MB`);
    assert.equal(engine.spent, true, 'a spent engine is dropped whole, not reused as it is');
    // Used again, it starts a fresh runtime in the same capped memory.
    assert.deepEqual(engine.run('1 + 1 === 2', '{"_id":"b"}', 'o/'), {
      ok: true,
      isTrue: true,
      valueType: 'boolean',
    });
    assert.ok(engine.wasmBytes <= 96 * MB);
    engine.dispose();
  });

  it('a smaller heap limit caps the engine lower', async () => {
    const engine = await ScriptEngine.isolated({ call: () => null, log: () => {} }, { memoryBytes: 8 * MB });
    const outcome = engine.run(OBJECT_BOMB, '{"_id":"a"}', 'o/');
    assert.deepEqual(outcome, { ok: false, fatal: true, error: 'script ran out of memory (limit 8 MB)' });
    assert.ok(engine.wasmBytes <= 40 * MB, `engine memory ${engine.wasmBytes / MB} MB`);
  });

  describe('over HTTP', () => {
    let t: Started;
    beforeEach(async () => {
      t = await start({ seedUsers: 300, scriptLimits: { memoryBytes: 16 * MB } });
    });
    afterEach(() => t.emulator.close());

    it('a memory-bomb job fails each of its objects clearly, and the next run of a good job succeeds', async () => {
      await t.client.put(
        '/openidm/scheduler/job/bomb',
        scanJob({ filter: 'true', source: ARRAY_BUFFER_BOMB, threads: 4, maxRecords: 4 }),
      );
      const bomb = await waitForRun(t.client, await execute(t.client, 'bomb'), undefined, 100_000);
      assert.deepEqual(
        [bomb.progress.state, bomb.progress.failures, bomb.progress.successes],
        ['COMPLETED', 4, 0],
      );
      const log = (await t.client.get(`/scanjobs-emulator/runs/${bomb._id}/log`)).body;
      assert.deepEqual(
        [...new Set(log.entries.map((e: { message: string }) => e.message.replace(/;.*/, '')))],
        ['script failed: script ran out of memory (limit 16 MB)'],
      );
      await t.client.put(
        '/openidm/scheduler/job/good',
        scanJob({ filter: 'true', threads: 4, maxRecords: 40 }),
      );
      const good = await waitForRun(t.client, await execute(t.client, 'good'));
      assert.deepEqual([good.progress.state, good.progress.successes], ['COMPLETED', 40]);
    });

    it('a 13 MB scan._queryFilter is refused at execute, before it is parsed', async () => {
      const filter = `/userName eq "${'x'.repeat(13 * MB)}"`;
      assert.equal((await t.client.put('/openidm/scheduler/job/huge', scanJob({ filter }))).status, 201);
      const r = await t.client.post('/openidm/taskscanner?_action=execute&name=huge');
      assert.equal(r.status, 400);
      assert.equal(
        r.body.message,
        `Job 'huge': scan._queryFilter is ${filter.length} characters long; the emulator accepts filters of up to 65536`,
      );
      assert.deepEqual((await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result, []);
    });

    it('a script querying with a 100 KB filter fails that object with the same message', async () => {
      const source = `openidm.query('managed/alpha_user', { _queryFilter: '/userName eq "' + 'y'.repeat(100000) + '"' }); true`;
      await t.client.put(
        '/openidm/scheduler/job/q',
        scanJob({ filter: 'true', source, threads: 1, maxRecords: 1, waitForCompletion: true }),
      );
      const run = await waitForRun(t.client, await execute(t.client, 'q'));
      assert.equal(run.progress.failures, 1);
      const log = (await t.client.get(`/scanjobs-emulator/runs/${run._id}/log`)).body;
      assert.match(
        log.entries[0].message,
        /^script failed: Error: _queryFilter is 100015 characters long; the emulator accepts filters of up to 65536/,
      );
    });

    it('requests are answered while 20 runs are busy, and all 20 complete', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        await t.client.put(
          `/openidm/scheduler/job/r${i}`,
          scanJob({ filter: 'true', source: busyScript(1), threads: 2 }),
        );
        ids.push(await execute(t.client, `r${i}`));
      }
      // Asked while the runs work: the answer comes back before they are all done.
      const runs = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result as {
        progress: { state: string; processed: number; total: number };
      }[];
      assert.equal(runs.length, 20);
      assert.ok(
        runs.some((r) => r.progress.state === 'ACTIVE'),
        'answered while runs were still active',
      );
      for (const id of ids) await waitForRun(t.client, id, undefined, 100_000);
      const done = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result as {
        progress: { state: string; failures: number };
      }[];
      // The runs overlap on the same users and share them through the claim protocol (§5.4).
      assert.deepEqual(
        done.map((r) => [r.progress.state, r.progress.failures]),
        Array.from({ length: 20 }, () => ['COMPLETED', 0]),
      );
    });
  });
});
