import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  Started,
  busyScript,
  manualClock,
  manyUsers,
  putUsers,
  scanJob,
  start,
  waitFor,
  waitForRun,
} from './support';

async function runCount(client: Client): Promise<number> {
  return (await client.get('/openidm/taskscanner?_queryFilter=true')).body.resultCount as number;
}

describe('emulator: scheduler timing with an injected clock (idm-api.md §2.3)', () => {
  const clock = manualClock('2030-01-01T00:00:30.000Z');
  let t: Started;
  let dir: string;
  beforeEach(async () => {
    clock.set('2030-01-01T00:00:30.000Z');
    dir = mkdtempSync(join(tmpdir(), 'scanjobs-emu-'));
    // A long timer period: only explicit ticks fire triggers.
    t = await start({ dataDir: dir, clock: clock.now, tickMs: 3_600_000 });
  });
  afterEach(async () => {
    await t.emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires a cron trigger at its time and not before', async () => {
    await t.client.put('/openidm/scheduler/job/minutely', scanJob({ schedule: '0 * * * * ?' }));
    assert.equal(
      (await t.client.get('/openidm/scheduler/job/minutely')).body.nextRunDate,
      '2030-01-01T00:01:00.000Z',
    );
    clock.set('2030-01-01T00:00:59.999Z');
    await t.emulator.tick();
    assert.equal(await runCount(t.client), 0);
    clock.set('2030-01-01T00:01:00.000Z');
    await t.emulator.tick();
    await waitFor(async () => (await runCount(t.client)) === 1);
    const job = (await t.client.get('/openidm/scheduler/job/minutely')).body;
    assert.equal(job.previousRunDate, '2030-01-01T00:01:00.000Z');
    assert.equal(job.nextRunDate, '2030-01-01T00:02:00.000Z');
    const runs = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result;
    assert.equal(runs[0].name, 'schedule/minutely');
    await t.emulator.tick();
    assert.equal(await runCount(t.client), 1, 'a second tick at the same time fires nothing');
  });

  it('fires a simple trigger repeatCount + 1 times, repeatInterval apart', async () => {
    await t.client.put(
      '/openidm/scheduler/job/rep',
      scanJob({ type: 'simple', startTime: '2030-01-01T00:01:00Z', repeatInterval: 60_000, repeatCount: 2 }),
    );
    for (const [at, expected] of [
      ['2030-01-01T00:01:00.000Z', 1],
      ['2030-01-01T00:02:00.000Z', 2],
      ['2030-01-01T00:03:00.000Z', 3],
      ['2030-01-01T00:04:00.000Z', 3],
    ] as const) {
      clock.set(at);
      await t.emulator.tick();
      await waitFor(async () => (await runCount(t.client)) === expected);
    }
    const job = (await t.client.get('/openidm/scheduler/job/rep')).body;
    assert.equal(job.nextRunDate, null);
    assert.equal(job.previousRunDate, '2030-01-01T00:03:00.000Z');
  });

  it('never fires a disabled or paused job; a resumed job catches up by its misfire policy', async () => {
    await t.client.put('/openidm/scheduler/job/off', scanJob({ schedule: '0 * * * * ?', enabled: false }));
    await t.client.put('/openidm/scheduler/job/held', scanJob({ schedule: '0 * * * * ?' }));
    await t.client.post('/openidm/scheduler/job/held?_action=pause', undefined, {
      'Accept-API-Version': 'resource=2.0',
    });
    clock.set('2030-01-01T00:05:00.000Z');
    await t.emulator.tick();
    assert.equal(await runCount(t.client), 0);
    await t.client.post('/openidm/scheduler/job/held?_action=resume', undefined, {
      'Accept-API-Version': 'resource=2.0',
    });
    await t.emulator.tick();
    await waitFor(async () => (await runCount(t.client)) === 1);
    assert.equal(
      (await t.client.get('/openidm/scheduler/job/held')).body.nextRunDate,
      '2030-01-01T00:06:00.000Z',
    );
    assert.ok(t.logs.some((l) => /job 'held' misfired .*firing once now/.test(l)));
  });

  it('keeps persisted jobs across a restart and applies the misfire policy to what was missed', async () => {
    await t.client.put('/openidm/scheduler/job/proceed', scanJob({ schedule: '0 0 * * * ?' }));
    await t.client.put(
      '/openidm/scheduler/job/skip',
      scanJob({ schedule: '0 0 * * * ?', misfirePolicy: 'doNothing' }),
    );
    await t.client.put(
      '/openidm/scheduler/job/volatile',
      scanJob({ schedule: '0 0 * * * ?', persisted: false }),
    );
    await t.emulator.close();
    clock.set('2030-01-01T03:30:00.000Z');
    t = await start({ dataDir: dir, clock: clock.now, tickMs: 3_600_000 });
    const ids = (await t.client.get('/openidm/scheduler/job?_queryId=query-all-ids')).body.result.map(
      (j: { _id: string }) => j._id,
    );
    assert.deepEqual(ids, ['proceed', 'skip']);
    await t.emulator.tick();
    await waitFor(async () => (await runCount(t.client)) === 1);
    const runs = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result;
    assert.equal(runs[0].name, 'schedule/proceed');
    assert.equal(
      (await t.client.get('/openidm/scheduler/job/proceed')).body.nextRunDate,
      '2030-01-01T04:00:00.000Z',
    );
    const skip = (await t.client.get('/openidm/scheduler/job/skip')).body;
    assert.equal(skip.previousRunDate, null);
    assert.equal(skip.nextRunDate, '2030-01-01T04:00:00.000Z');
  });

  it('stops at endTime', async () => {
    await t.client.put('/openidm/scheduler/job/ending', {
      ...scanJob({ schedule: '0 * * * * ?' }),
      endTime: '2030-01-01T00:01:30Z',
    });
    clock.set('2030-01-01T00:01:00.000Z');
    await t.emulator.tick();
    await waitFor(async () => (await runCount(t.client)) === 1);
    assert.equal((await t.client.get('/openidm/scheduler/job/ending')).body.nextRunDate, null);
  });

  it('blocks a non-concurrent job while it runs (waitForCompletion) and lets a concurrent one overlap', async () => {
    await putUsers(t.client, manyUsers(60));
    const slow = busyScript(10);
    for (const [id, concurrent] of [
      ['serial', false],
      ['parallel', true],
    ] as const) {
      await t.client.put(
        `/openidm/scheduler/job/${id}`,
        scanJob({
          schedule: '0 * * * * ?',
          source: slow,
          threads: 1,
          waitForCompletion: true,
          concurrentExecution: concurrent,
          recovery: '1s',
        }),
      );
    }
    clock.set('2030-01-01T00:01:00.000Z');
    await t.emulator.tick();
    const executing = (await t.client.post('/openidm/scheduler/job?_action=listCurrentlyExecutingJobs')).body;
    assert.equal(executing.length, 2);
    assert.ok(
      executing.every(
        (j: Record<string, unknown>) =>
          !('_id' in j) && j.invokeService === 'org.forgerock.openidm.taskscanner',
      ),
    );
    clock.set('2030-01-01T00:02:00.000Z');
    await t.emulator.tick();
    const names = (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result.map(
      (r: { name: string }) => r.name,
    );
    assert.deepEqual(names.sort(), ['schedule/parallel', 'schedule/parallel', 'schedule/serial']);
    for (const r of (await t.client.get('/openidm/taskscanner?_queryFilter=true')).body.result)
      await waitForRun(t.client, r._id);
    await t.emulator.tick();
    await waitFor(async () => (await runCount(t.client)) === 4);
  });
});

describe('emulator: simple jobs in real time', () => {
  it('fires a simple job with no startTime at once, and again when it is PUT again', async () => {
    const t = await start({ tickMs: 50 });
    try {
      await t.client.put('/openidm/scheduler/job/now', scanJob({ type: 'simple' }));
      await waitFor(async () => (await runCount(t.client)) === 1);
      await t.client.put('/openidm/scheduler/job/now', scanJob({ type: 'simple' }));
      await waitFor(async () => (await runCount(t.client)) === 2);
      const job = (await t.client.get('/openidm/scheduler/job/now')).body;
      assert.equal(job.nextRunDate, null);
    } finally {
      await t.emulator.close();
    }
  });

  it('runs script jobs and logs jobs whose service does not exist', async () => {
    const t = await start({ tickMs: 50 });
    try {
      await t.client.put('/openidm/scheduler/job/say', {
        type: 'simple',
        invokeService: 'script',
        invokeContext: { script: { type: 'text/javascript', source: 'logger.info("hello {}", 42)' } },
      });
      await t.client.put('/openidm/scheduler/job/ghost', {
        type: 'simple',
        invokeService: 'nothing',
        invokeContext: {},
      });
      await waitFor(() => t.logs.some((l) => l === "script job 'say' info: hello 42"));
      await waitFor(() =>
        t.logs.some((l) => l.includes('Scheduled service "org.forgerock.openidm.nothing" not found')),
      );
    } finally {
      await t.emulator.close();
    }
  });
});
