/**
 * One emulator per `--data` folder (issue 12, item 3; docs/security.md "Data folder"). Two on one
 * folder would mark each other's live runs ERROR and both fire the same cron jobs.
 *
 * The lock is an exclusive SQLite transaction held open on `<dir>/tenant.lock` for the emulator's
 * lifetime: SQLite's file locks are released by the operating system when the process ends, however
 * it ends, so a crashed or killed emulator never leaves a lock that blocks the next start. Who holds
 * the lock is written beside it in `tenant.lock.json` (PID, host, start time), only to name it in the
 * refusal; the lock itself is the transaction.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SqlDatabase, SqliteDriver, openDatabase } from './sqlite';

export interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

export class DataFolderInUse extends Error {}

/** What a second emulator refused on the folder can do instead. */
export const EMULATOR_ADVICE =
  'Stop that emulator first, or give this one another --data folder (or --in-memory).';

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

export class DataLock {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly ownerPath: string,
  ) {}

  /**
   * Takes the folder's lock at once, or throws DataFolderInUse naming the folder, the holder and
   * `advice` (what the refused command can do instead).
   */
  static acquire(dir: string, driver?: SqliteDriver, advice = EMULATOR_ADVICE): DataLock {
    const db = openDatabase(join(dir, 'tenant.lock'), driver);
    const ownerPath = join(dir, 'tenant.lock.json');
    try {
      // No waiting: a second emulator is refused at once, not after a timeout.
      db.exec('PRAGMA busy_timeout = 0');
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      if (!/locked|busy/i.test(String(err))) throw err;
      const owner = readOwner(ownerPath);
      const who = owner
        ? `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`} (started ${owner.started})`
        : 'another process';
      throw new DataFolderInUse(
        `the data folder ${dir} is in use by another emulator: ${who} holds ${join(dir, 'tenant.lock')}. ` +
          advice,
      );
    }
    const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    writeFileSync(ownerPath, `${JSON.stringify(owner)}\n`);
    return new DataLock(db, ownerPath);
  }

  /** Gives the folder back (also done by the OS if the process dies). */
  release(): void {
    if (readOwner(this.ownerPath)?.pid === process.pid) rmSync(this.ownerPath, { force: true });
    try {
      this.db.exec('ROLLBACK');
    } finally {
      this.db.close();
    }
  }
}
