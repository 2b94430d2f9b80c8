/**
 * Flooding a run's log (issue 12, item 7; docs/security.md "Run logs"): huge lines and many lines.
 * The log keeps at most 2,000 lines and 1 MiB of messages, each cut to 4,096 characters, and says
 * what it left out; the log route keeps answering.
 */
import { strict as assert } from 'node:assert';
import { Json, Started, execute, scanJob, start, waitForRun } from '../support';

describe('attacks: flooding a run log', function () {
  this.timeout(90_000);
  let t: Started;
  beforeEach(async () => {
    t = await start({ seedUsers: 120 });
  });
  afterEach(() => t.emulator.close());

  async function runLogging(source: string, maxRecords = 120): Promise<{ log: Json; bytes: number }> {
    await t.client.put(
      '/openidm/scheduler/job/noisy',
      scanJob({ filter: 'true', source, threads: 4, maxRecords }),
    );
    const run = await waitForRun(t.client, await execute(t.client, 'noisy'), undefined, 80_000);
    assert.equal(run.progress.successes, maxRecords);
    const r = await t.client.get(`/scanjobs-emulator/runs/${run._id}/log`);
    assert.equal(r.status, 200);
    return { log: r.body, bytes: Buffer.byteLength(JSON.stringify(r.body)) };
  }

  it('a 1 MB line is cut to 4,096 characters, marked and counted', async () => {
    const { log, bytes } = await runLogging("logger.info('x'.repeat(1048576)); true", 8);
    assert.equal(log.entries.length, 8);
    // 1,048,576 - 4,096 = 1,044,480 characters cut.
    assert.equal(log.entries[0].message, `${'x'.repeat(4096)}… [1044480 more characters dropped]`);
    assert.equal(log.truncated, 8);
    assert.equal(log.dropped, 0);
    assert.deepEqual(log.limits, { lines: 2000, chars: 1048576, messageChars: 4096 });
    assert.ok(bytes < 40_000, `the log reply is ${bytes} bytes`);
  });

  it('past 1 MiB of messages further lines are dropped and counted; the reply stays small', async () => {
    // 120 objects x 3 lines of 4,000 characters = 1.44 M characters. Lines are kept while the total is
    // under 1,048,576: 262 lines make 1,048,000, the 263rd passes the cap, the other 97 are dropped.
    const { log, bytes } = await runLogging(
      "for (var i = 0; i < 3; i++) logger.warn('y'.repeat(4000)); true",
    );
    assert.equal(log.entries.length, 263);
    assert.equal(log.dropped, 97);
    assert.equal(log.truncated, 0);
    assert.ok(bytes < 1.2 * 1024 * 1024, `the log reply is ${bytes} bytes`);
  });

  it('lines past 2,000 are counted as dropped', async () => {
    // 20 short lines per object: 2,400 written, 2,000 kept.
    const { log } = await runLogging("for (var i = 0; i < 20; i++) logger.debug('line {}', i); true");
    assert.equal(log.entries.length, 2000);
    assert.equal(log.dropped, 400);
    assert.equal(log.truncated, 0);
    assert.deepEqual(
      log.entries
        .slice(0, 2)
        .map((e: { source: string; level: string; message: string }) => [e.source, e.level, e.message]),
      [
        ['script', 'debug', 'line 0'],
        ['script', 'debug', 'line 1'],
      ],
    );
  });
});
