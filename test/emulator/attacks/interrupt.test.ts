/**
 * Stopping the emulator in the middle of a scan (issue 12, items 2 and 12; docs/security.md "Stops
 * and crashes"): SIGTERM, Ctrl+C (SIGINT) and SIGKILL of the real `scanjobs emulator`, with the real
 * `scanjobs execute --watch` following the run. An interrupted run never reads as completed.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/emulator/sqlite';
import { Client, RunRecord, busyScript, execute, scanJob, waitFor, waitForRun } from '../support';
import { EmulatorProcess, emulatorProcess, ensureBuilt, scanjobs, stop } from './cli-host';

const ENV = { IDM_USERNAME: 'openidm-admin', IDM_PASSWORD: 'openidm-admin' };

function storedRun(dir: string, id: string): RunRecord {
  const db = openDatabase(join(dir, 'tenant.sqlite'));
  try {
    return JSON.parse(
      db.prepare('SELECT record FROM runs WHERE id = ?').get(id)!.record as string,
    ) as RunRecord;
  } finally {
    db.close();
  }
}

describe('attacks: stopping the emulator mid-scan', function () {
  this.timeout(120_000);
  let dir: string;
  let host: EmulatorProcess | undefined;

  before(function () {
    this.timeout(180_000);
    ensureBuilt();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scanjobs-interrupt-'));
  });
  afterEach(async () => {
    await stop(host);
    host = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A started emulator with a long scan running past `processed` objects. */
  async function longScan(): Promise<{ client: Client; runId: string; before: RunRecord }> {
    host = await emulatorProcess(['--port', '0', '--data', dir, '--seed-users', '2000']);
    const client = new Client(host.url);
    await client.put('/openidm/scheduler/job/long', scanJob({ source: busyScript(3), threads: 2 }));
    const runId = await execute(client, 'long');
    const before = await waitForRun(client, runId, (r) => r.progress.processed > 30, 90_000);
    return { client, runId, before };
  }

  it('SIGTERM during a scan records ERROR without an end time, and execute --watch exits 2 with ERROR', async () => {
    host = await emulatorProcess(['--port', '0', '--data', dir, '--seed-users', '2000']);
    const url = host.url;
    const client = new Client(url);
    await client.put('/openidm/scheduler/job/long', scanJob({ source: busyScript(3), threads: 2 }));
    const watch = scanjobs(['execute', 'long', '--watch', '--json', '--tenant', url], ENV);
    await waitFor(() => /"event":"started"/.test(watch.out()), 30_000);
    const runId = (JSON.parse(watch.out().split('\n')[0]!) as { runId: string }).runId;
    await waitForRun(client, runId, (r) => r.progress.processed > 30, 90_000);
    host.child.kill('SIGTERM');
    assert.deepEqual(await host.exited, { code: 0, signal: null });
    const stored = storedRun(dir, runId);
    assert.equal(stored.progress.state, 'ERROR');
    assert.equal(stored.ended, null);
    assert.ok(stored.progress.processed < stored.progress.total, JSON.stringify(stored.progress));
    // The same tenant comes back on the same port; the watcher, still retrying, sees the run's end.
    host = await emulatorProcess(['--port', new URL(url).port, '--data', dir]);
    const end = await watch.exited;
    const events = watch
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; state?: string });
    assert.equal(end.code, 2, watch.err());
    assert.deepEqual(events[events.length - 1], {
      ...events[events.length - 1],
      event: 'final',
      state: 'ERROR',
    });
    assert.ok(!events.some((e) => e.state === 'COMPLETED'), 'no event may say COMPLETED');
    const log = (await client.get(`/scanjobs-emulator/runs/${runId}/log`)).body;
    assert.equal(log.state, 'ERROR');
    assert.match(
      log.entries[log.entries.length - 1].message,
      /^run interrupted: the emulator was stopped \(SIGTERM, Ctrl\+C or close\) while this run was ACTIVE/,
    );
  });

  it('Ctrl+C (SIGINT) during a scan records ERROR too; the restart does not re-mark it', async () => {
    const { runId, before } = await longScan();
    host!.child.kill('SIGINT');
    assert.deepEqual(await host!.exited, { code: 0, signal: null });
    const stored = storedRun(dir, runId);
    assert.deepEqual([stored.progress.state, stored.ended], ['ERROR', null]);
    assert.ok(stored.progress.processed >= before.progress.processed);
    host = await emulatorProcess(['--port', '0', '--data', dir]);
    assert.doesNotMatch(host.err(), /interrupted by the last shutdown/);
    const client = new Client(host.url);
    assert.equal((await client.get(`/openidm/taskscanner/${runId}`)).body.progress.state, 'ERROR');
    const cancel = await client.post(`/openidm/taskscanner/${runId}?_action=cancel`);
    // §4.3: an ERROR run is not COMPLETED, so cancel answers SUCCESS (a COMPLETED one would say FAILURE).
    assert.equal(cancel.body.status, 'SUCCESS');
  });

  it('after SIGKILL the log says the run was interrupted and counts the lines past its cap', async () => {
    host = await emulatorProcess(['--port', '0', '--data', dir, '--seed-users', '3000']);
    let client = new Client(host.url);
    // Four script lines per object: past 2,000 kept lines the rest are only counted (docs/emulator.md).
    const source = busyScript(
      4,
      "logger.info('a {}', 1); logger.info('b'); logger.warn('c'); logger.error('d'); true",
    );
    await client.put('/openidm/scheduler/job/noisy', scanJob({ source, threads: 2 }));
    const runId = await execute(client, 'noisy');
    await waitForRun(client, runId, (r) => r.progress.processed > 520, 90_000);
    host.child.kill('SIGKILL');
    await host.exited;
    host = await emulatorProcess(['--port', '0', '--data', dir]);
    client = new Client(host.url);
    assert.match(
      host.err(),
      new RegExp(`1 run\\(s\\) interrupted by the last shutdown marked ERROR: ${runId}`),
    );
    const run = (await client.get(`/openidm/taskscanner/${runId}`)).body as RunRecord;
    assert.equal(run.progress.state, 'ERROR');
    const log = (await client.get(`/scanjobs-emulator/runs/${runId}/log`)).body;
    const last = log.entries[log.entries.length - 1];
    assert.match(last.message, /^run interrupted: the emulator process ended .* after \d+ of \d+ objects/);
    assert.equal(log.entries.length, 2001, 'the 2,000 kept lines and the interruption note');
    // What was committed: four lines per processed object, plus the note; the rest is counted as dropped.
    assert.equal(log.entries.length + log.dropped, 4 * run.progress.processed + 1);
    assert.ok(log.dropped > 0);
  });
});
