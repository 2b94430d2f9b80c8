import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/emulator/sqlite';
import { Client, RunRecord, busyScript, execute, scanJob, waitFor, waitForRun } from './support';

const ROOT = join(__dirname, '..', '..');

interface Host {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts src/emulator/host.ts in its own process and waits for its `{"url","port"}` line. */
function startHost(args: string[]): Promise<Host> {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(ROOT, 'src/emulator/host.ts'), ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start: ${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        const ready = JSON.parse(line!) as { url: string; port: number };
        resolve({ child, url: ready.url, stderr: () => err, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}: ${err}`));
    });
  });
}

describe('emulator: standalone host process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scanjobs-host-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its URL as one JSON line and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const host = await startHost(['--port', '0', '--in-memory']);
      assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await new Client(host.url).get('/scanjobs-emulator/info')).status, 200);
      host.child.kill(signal);
      assert.deepEqual(await host.exited, { code: 0, signal: null });
    }
  });

  it('stops when its parent closes stdin, if asked to (SCANJOBS_EMULATOR_STDIN_LIFELINE=1)', async () => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(ROOT, 'src/emulator/host.ts'), '--port', '0', '--in-memory'],
      {
        cwd: ROOT,
        env: { ...process.env, SCANJOBS_EMULATOR_STDIN_LIFELINE: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.end();
    assert.equal(await exited, 0);
  });

  it('refuses bad options with exit code 3 and the usage', async () => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(ROOT, 'src/emulator/host.ts'), '--port', 'x', '--in-memory'],
      { cwd: ROOT },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 3);
    assert.match(err, /--port must be an integer from 0 to 65535, got 'x'/);
  });

  it('survives SIGKILL mid-scan: database intact, jobs and finished runs kept, the cut run ERROR with true counts', async () => {
    let host = await startHost(['--port', '0', '--data', dir, '--seed-users', '3000']);
    let client = new Client(host.url);
    await client.put('/openidm/scheduler/job/quick', scanJob({ maxRecords: 5, waitForCompletion: true }));
    const finished = (await client.post('/openidm/taskscanner?_action=execute&name=quick')).body
      ._id as string;
    await client.put('/openidm/scheduler/job/long', scanJob({ source: busyScript(2), threads: 2 }));
    const cut = await execute(client, 'long');
    const before = await waitForRun(client, cut, (r) => r.progress.processed > 100);
    assert.equal(before.progress.state, 'ACTIVE');
    host.child.kill('SIGKILL');
    assert.equal((await host.exited).signal, 'SIGKILL');

    const db = openDatabase(join(dir, 'tenant.sqlite'));
    assert.equal(db.prepare('PRAGMA integrity_check').get()?.integrity_check, 'ok');
    db.close();

    host = await startHost(['--port', '0', '--data', dir, '--seed-users', '3000']);
    client = new Client(host.url);
    try {
      assert.match(host.stderr(), /managed\/alpha_user already has users; not seeding/);
      assert.match(
        host.stderr(),
        new RegExp(`1 run\\(s\\) interrupted by the last shutdown marked ERROR: ${cut}`),
      );
      assert.equal((await client.get('/openidm/scheduler/job/long')).status, 200);
      assert.equal((await client.get(`/openidm/taskscanner/${finished}`)).body.progress.state, 'COMPLETED');
      const after = (await client.get(`/openidm/taskscanner/${cut}`)).body as RunRecord;
      assert.equal(after.progress.state, 'ERROR');
      assert.equal(after.ended, null);
      assert.ok(after.progress.successes >= before.progress.successes);
      // Counters and object writes commit together: what the run counted is exactly what the store holds.
      const completedByRun = await client.get(
        `/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent(`/sunset/task-completed ge "${after.started}"`)}&_fields=_id`,
      );
      assert.equal(completedByRun.body.resultCount, after.progress.successes);
      assert.equal(
        (await client.get('/openidm/managed/alpha_user?_queryId=query-all-ids')).body.resultCount,
        3000,
      );
      // Objects claimed in the lost batch were rolled back with it; the rest is still due and gets done.
      await client.put('/openidm/scheduler/job/long', scanJob({ threads: 2 }));
      const rest = await waitForRun(client, await execute(client, 'long'));
      assert.equal(rest.progress.state, 'COMPLETED');
      assert.equal(rest.progress.failures, 0);
      const again = await waitForRun(client, await execute(client, 'long'));
      assert.equal(again.progress.total, 0);
    } finally {
      host.child.kill('SIGTERM');
      await host.exited;
    }
  });

  it('runs a recoverable job again after a crash interrupted its run', async function () {
    // Its own waits allow up to 60 s for the re-run, so mocha must not cut it off first.
    this.timeout(90_000);
    let host = await startHost(['--port', '0', '--data', dir, '--seed-users', '1500']);
    let client = new Client(host.url);
    await client.put('/openidm/scheduler/job/rec', {
      ...scanJob({ source: busyScript(2), threads: 1 }),
      recoverable: true,
    });
    const cut = await execute(client, 'rec');
    const before = await waitForRun(client, cut, (r) => r.progress.processed > 20);
    host.child.kill('SIGKILL');
    await host.exited;
    host = await startHost(['--port', '0', '--data', dir]);
    client = new Client(host.url);
    try {
      await waitFor(() =>
        /job 'rec' is recoverable and was interrupted; running it again/.test(host.stderr()),
      );
      const runs = (await client.get('/openidm/taskscanner?_queryFilter=true')).body.result as RunRecord[];
      assert.deepEqual(
        runs.map((r) => [r._id === cut, r.name]),
        [
          [true, 'schedule/rec'],
          [false, 'schedule/rec'],
        ],
      );
      assert.equal(runs[0]!.progress.state, 'ERROR');
      const again = await waitForRun(client, runs[1]!._id, undefined, 60_000);
      assert.equal(again.progress.state, 'COMPLETED');
      assert.ok(
        again.progress.total < before.progress.total,
        'what the cut run completed is not due any more',
      );
      assert.equal(again.progress.failures, 0);
    } finally {
      host.child.kill('SIGTERM');
      await host.exited;
    }
  });
});
