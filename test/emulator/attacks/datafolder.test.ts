/**
 * Attacks on the data folder (issue 12, items 3 and 17; docs/security.md "Data folder"): two
 * emulators on one `--data` folder, a lock left by a killed emulator, and a damaged `tenant.sqlite`.
 */
import { strict as assert } from 'node:assert';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openDatabase } from '../../../src/emulator/sqlite';
import { startEmulator } from '../../../src/emulator/server';
import { Client, busyScript, execute, scanJob, waitForRun } from '../support';
import { EmulatorProcess, emulatorProcess, ensureBuilt, scanjobs, stop } from './cli-host';

const quiet = { log: () => undefined, port: 0 };

describe('attacks: the data folder', function () {
  this.timeout(120_000);
  let dir: string;
  let first: EmulatorProcess | undefined;

  before(function () {
    this.timeout(180_000);
    ensureBuilt();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scanjobs-datafolder-'));
  });
  afterEach(async () => {
    await stop(first);
    first = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second scanjobs emulator on the same --data folder fails at once, naming the folder and the PID', async () => {
    first = await emulatorProcess(['--port', '0', '--data', dir, '--seed-users', '300']);
    const client = new Client(first.url);
    await client.put('/openidm/scheduler/job/long', scanJob({ source: busyScript(5), threads: 1 }));
    const runId = await execute(client, 'long');
    await waitForRun(client, runId, (r) => r.progress.processed > 5, 90_000);

    const second = scanjobs(['emulator', '--port', '0', '--data', dir]);
    const end = await second.exited;
    assert.equal(end.code, 2, second.err());
    assert.equal(second.out(), '', 'no banner: it never listened');
    assert.equal(
      second.err(),
      `scanjobs emulator: the data folder ${dir} is in use by another emulator: process ${first.child.pid} ` +
        `(started ${JSON.parse(readFileSync(join(dir, 'tenant.lock.json'), 'utf8')).started}) holds ${join(dir, 'tenant.lock')}. ` +
        'Stop that emulator first, or give this one another --data folder (or --in-memory).\n',
    );
    // The first one's run was not touched by the attempt (before the lock, the second start marked it ERROR).
    const run = await waitForRun(client, runId, undefined, 90_000);
    assert.deepEqual([run.progress.state, run.progress.failures], ['COMPLETED', 0]);
  });

  it('in one process too: the second start is refused until the first closes', async () => {
    const a = await startEmulator({ ...quiet, dataDir: dir });
    await assert.rejects(startEmulator({ ...quiet, dataDir: dir }), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`^the data folder ${dir} is in use by another emulator: process ${process.pid} `),
      );
      return true;
    });
    // The refused start kept nothing open: the first still serves and can close.
    assert.equal((await new Client(a.url).get('/scanjobs-emulator/info')).status, 200);
    await a.close();
    assert.equal(existsSync(join(dir, 'tenant.lock.json')), false);
    const b = await startEmulator({ ...quiet, dataDir: dir });
    await b.close();
  });

  it('a lock left by a killed emulator does not block the next start', async () => {
    first = await emulatorProcess(['--port', '0', '--data', dir]);
    const killedPid = first.child.pid;
    first.child.kill('SIGKILL');
    await first.exited;
    // The owner file still names the dead process; the lock itself died with it.
    assert.equal(JSON.parse(readFileSync(join(dir, 'tenant.lock.json'), 'utf8')).pid, killedPid);
    first = await emulatorProcess(['--port', '0', '--data', dir]);
    assert.equal(JSON.parse(readFileSync(join(dir, 'tenant.lock.json'), 'utf8')).pid, first.child.pid);
  });

  /** A tenant with data, closed cleanly (its WAL checkpointed into tenant.sqlite). */
  async function tenantWithData(): Promise<string> {
    const e = await startEmulator({ ...quiet, dataDir: dir, seedUsers: 3000 });
    await e.close();
    return join(dir, 'tenant.sqlite');
  }

  function overwrite(path: string, at: number, bytes: Buffer): void {
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, at);
    } finally {
      closeSync(fd);
    }
  }

  it('a tenant.sqlite damaged in the middle is refused at start, with how to start fresh', async () => {
    const file = await tenantWithData();
    const size = statSync(file).size;
    overwrite(file, Math.floor(size / 2 / 4096) * 4096, Buffer.alloc(8192, 0xa5));
    const started = scanjobs(['emulator', '--port', '0', '--data', dir]);
    const end = await started.exited;
    assert.equal(end.code, 2, started.err());
    assert.match(
      started.err(),
      new RegExp(
        `^scanjobs emulator: the tenant database ${file} is damaged \\(SQLite: .+\\); the emulator will not start on it\\. ` +
          `To start fresh, move the folder aside or delete ${file} with its -wal and -shm files; or start with another --data folder\\.\\n$`,
      ),
    );
    // The refusal left no lock behind, and starting fresh as the message says works.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    first = await emulatorProcess(['--port', '0', '--data', dir]);
  });

  it('a tenant.sqlite that is not a database at all is refused the same way', async () => {
    const file = await tenantWithData();
    overwrite(file, 0, Buffer.from('this is not an SQLite file, it was overwritten by something else'));
    await assert.rejects(startEmulator({ ...quiet, dataDir: dir }), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`^the tenant database ${file} is damaged \\(SQLite: .*not a database`),
      );
      return true;
    });
    await assert.rejects(
      startEmulator({ ...quiet, dataDir: dir }),
      /is damaged/,
      'refused again, not locked',
    );
  });
  /** Service accounts stored in the folder's tenant, read with SQLite directly (the emulator is stopped). */
  function accountsIn(file: string): number {
    const db = openDatabase(file);
    try {
      return Number(db.prepare('SELECT count(*) AS n FROM service_accounts').get()?.n);
    } finally {
      db.close();
    }
  }

  it('scanjobs emulator service-account is refused while an emulator holds the folder, and works once it stopped', async () => {
    first = await emulatorProcess(['--port', '0', '--data', dir]);
    const owner = JSON.parse(readFileSync(join(dir, 'tenant.lock.json'), 'utf8'));
    const refused = scanjobs(['emulator', 'service-account', '--data', dir]);
    assert.equal((await refused.exited).code, 2, refused.err());
    assert.equal(refused.out(), '', 'no key printed');
    assert.equal(
      refused.err(),
      `scanjobs emulator: the data folder ${dir} is in use by another emulator: process ${first.child.pid} ` +
        `(started ${owner.started}) holds ${join(dir, 'tenant.lock')}. ` +
        'Stop that emulator first (Ctrl+C), register the account, then start the emulator again.\n',
    );
    // The refusal took nothing from the running emulator: it still holds the folder and serves.
    assert.equal(JSON.parse(readFileSync(join(dir, 'tenant.lock.json'), 'utf8')).pid, first.child.pid);
    assert.equal((await new Client(first.url).get('/scanjobs-emulator/info')).status, 200);
    await stop(first);
    first = undefined;
    assert.equal(accountsIn(join(dir, 'tenant.sqlite')), 0, 'nothing was registered');

    const registered = scanjobs(['emulator', 'service-account', '--data', dir]);
    assert.equal((await registered.exited).code, 0, registered.err());
    assert.match(registered.out(), /^Service account [0-9a-f-]{36} registered in /);
    assert.equal(accountsIn(join(dir, 'tenant.sqlite')), 1);
    // It let the folder go again: an emulator starts on it.
    assert.equal(existsSync(join(dir, 'tenant.lock.json')), false);
    first = await emulatorProcess(['--port', '0', '--data', dir]);
  });

  it('scanjobs emulator service-account refuses a damaged tenant.sqlite and leaves it as it was', async () => {
    const file = await tenantWithData();
    const size = statSync(file).size;
    overwrite(file, Math.floor(size / 2 / 4096) * 4096, Buffer.alloc(8192, 0xa5));
    const digest = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = digest();
    const r = scanjobs(['emulator', 'service-account', '--data', dir]);
    assert.equal((await r.exited).code, 2, r.err());
    assert.equal(r.out(), '', 'no key printed');
    assert.match(
      r.err(),
      new RegExp(
        `^scanjobs emulator: the tenant database ${file} is damaged \\(SQLite: .+\\); no service account was registered\\. ` +
          `To start fresh, move the folder aside or delete ${file} with its -wal and -shm files; or start with another --data folder\\.\\n$`,
      ),
    );
    assert.equal(digest(), before, 'the damaged file was not written to');
    assert.equal(existsSync(join(dir, 'tenant.lock.json')), false, 'no lock left behind');
  });
});
