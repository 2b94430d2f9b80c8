// The CLI's push → execute → watch against every server, as a user would run it (docs/cli.md).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPLETED, contractUser, newBatch, scanJob, slowScript } from './support/builders';
import { ISO_MILLIS, at, createUsers, readUser } from './support/runs';
import { OPENIDM_ADMIN, forEachTarget } from './support/targets';

const CLI = join(__dirname, '../../dist/cli.js');

interface CliResult {
  code: number;
  /** One JSON object per line of `--json` output. */
  events: Record<string, unknown>[];
  stderr: string;
}

/** Runs the built CLI without blocking: the local tenant answers from this same process. */
function cli(args: string[], cwd: string): Promise<CliResult> {
  const env = { ...process.env, IDM_USERNAME: OPENIDM_ADMIN.user, IDM_PASSWORD: OPENIDM_ADMIN.password };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args, '--json'],
      { cwd, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        const events = stdout
          .split('\n')
          .filter((l) => l.trim().startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ code, events, stderr });
      },
    );
  });
}

forEachTarget('CLI push → execute → watch', (t) => {
  const batch = newBatch('cli');
  const users = Array.from({ length: 5 }, (_, i) => contractUser(batch, i));
  const dir = mkdtempSync(join(tmpdir(), 'scanjobs-contract-'));
  let runId = '';

  before(function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('pushes a job file', async () => {
    await createUsers(t, users);
    // No macro: the CLI's own checks (not under test here) flag the `${"}` trick batchFilter uses.
    const job = scanJob({ filter: `/description eq "${batch}"`, script: slowScript(50), numberOfThreads: 1 });
    writeFileSync(join(dir, `${batch}.scanjob.json`), JSON.stringify(job, null, 2));
    // The fork executes only config schedules (idm-api.md §4.4), hence --static there.
    const extra = t.caps.executeBy === 'config' ? ['--static'] : [];
    const pushed = await cli(['push', `${batch}.scanjob.json`, '--tenant', t.url, ...extra], dir);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.events[0]?.job, batch, JSON.stringify(pushed.events));
  });

  it('executes it and prints the run id', async () => {
    const name = t.caps.executeBy === 'config' ? `schedule/${batch}` : batch;
    const executed = await cli(['execute', name, '--tenant', t.url], dir);
    assert.equal(executed.code, 0, executed.stderr);
    runId = String(executed.events.find((e) => e.event === 'started')?.runId ?? '');
    assert.notEqual(runId, '', JSON.stringify(executed.events));
  });

  it('watches the run to COMPLETED with every object processed (exit 0)', async () => {
    const watched = await cli(['watch', runId, '--tenant', t.url], dir);
    assert.equal(watched.code, 0, watched.stderr);
    const final = watched.events.find((e) => e.event === 'final') as {
      state: string;
      run: { progress: Record<string, number> };
    };
    assert.equal(final?.state, 'COMPLETED', JSON.stringify(watched.events));
    assert.deepEqual(final.run.progress, {
      state: 'COMPLETED',
      processed: 5,
      total: 5,
      successes: 5,
      failures: 0,
    });
    for (const user of users) assert.match(String(at(await readUser(t, user._id), COMPLETED)), ISO_MILLIS);
  });

  after(async () => {
    const path =
      t.caps.executeBy === 'config' ? `/openidm/config/schedule/${batch}` : `/openidm/scheduler/job/${batch}`;
    await t.http.delete(path);
  });
});
