/**
 * The emulator's durable state in one SQLite file (WAL, versioned schema). Managed objects, scheduler
 * jobs, promotable config, task-scan runs with their logs, and service accounts. Every multi-row change
 * goes through `transaction`, so a SIGKILL leaves either the old or the new state, never a mix.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataLock } from './datalock';
import { SqlDatabase, SqliteDriver, openDatabase } from './sqlite';

export const SCHEMA_VERSION = 2;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE objects (collection TEXT NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL,
      data TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
    CREATE TABLE jobs (id TEXT PRIMARY KEY, config TEXT NOT NULL, origin TEXT NOT NULL,
      paused INTEGER NOT NULL DEFAULT 0, next_fire INTEGER, previous_fire INTEGER,
      times_triggered INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE config (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL, record TEXT NOT NULL);
    CREATE TABLE run_log (run_id TEXT NOT NULL, seq INTEGER NOT NULL, entry TEXT NOT NULL,
      PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
    CREATE TABLE service_accounts (id TEXT PRIMARY KEY, public_jwk TEXT NOT NULL, created TEXT NOT NULL);
  `,
  // A run's log counters (lines written, characters kept, lines cut short) are saved with the run,
  // in the same transaction as its log lines, so `dropped` stays true across a crash (issue 12).
  2: `
    ALTER TABLE runs ADD COLUMN log_written INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN log_chars INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN log_truncated INTEGER NOT NULL DEFAULT 0;
  `,
};

export interface StoreOptions {
  dataDir?: string;
  inMemory?: boolean;
  driver?: SqliteDriver;
  /**
   * This store is the tenant of a running emulator: lock the data folder against a second emulator
   * (datalock.ts) and check the file's integrity before serving anything from it.
   */
  serve?: boolean;
  /**
   * Lock the data folder and check the file, as `serve` does, for a command that changes the tenant
   * offline (`scanjobs emulator service-account`); the text says what to do while an emulator holds it.
   */
  exclusive?: { inUse: string; damaged: string };
}

/** The tenant file cannot be used as it is; the message says how to start fresh. */
export class DamagedStore extends Error {}

export class Store {
  readonly db: SqlDatabase;
  readonly path: string;
  private readonly lock: DataLock | undefined;
  /** What a damaged file means for the command that opened it. */
  private readonly onDamage: string;

  constructor(options: StoreOptions) {
    if (!options.inMemory && !options.dataDir) {
      throw new Error('the store needs a data directory (--data <dir>) or --in-memory');
    }
    this.onDamage = options.exclusive?.damaged ?? 'the emulator will not start on it';
    if (options.inMemory) {
      this.path = ':memory:';
    } else {
      mkdirSync(options.dataDir!, { recursive: true });
      this.path = join(options.dataDir!, 'tenant.sqlite');
      if (options.serve || options.exclusive)
        this.lock = DataLock.acquire(options.dataDir!, options.driver, options.exclusive?.inUse);
    }
    let db: SqlDatabase | undefined;
    try {
      db = openDatabase(this.path, options.driver);
      this.db = db;
      if (!options.inMemory) {
        // WAL + NORMAL: a committed transaction survives a process kill; only an OS crash could lose the last one.
        this.db.exec('PRAGMA journal_mode = WAL');
        this.db.exec('PRAGMA synchronous = NORMAL');
      }
      this.db.exec('PRAGMA busy_timeout = 5000');
      if ((options.serve || options.exclusive) && !options.inMemory) this.checkIntegrity();
      this.migrate();
    } catch (err) {
      try {
        db?.close();
      } finally {
        this.lock?.release();
      }
      throw /not a database|malformed|corrupt/i.test(String(err)) ? this.damaged(String(err)) : err;
    }
  }

  /**
   * A file damaged in the middle would otherwise open fine and fail queries later with 500s
   * (issue 12, item 17): `quick_check` reads every page once (about 0.3 s per 100,000 users, BENCHMARKS.md).
   */
  private checkIntegrity(): void {
    const problems = this.db
      .prepare('PRAGMA quick_check(5)')
      .all()
      .map((r) => String(Object.values(r)[0]));
    if (problems.length !== 1 || problems[0] !== 'ok') throw this.damaged(problems.join('; '));
  }

  private damaged(detail: string): DamagedStore {
    const what = detail
      .replace(/^Error: /, '')
      .replace(/\*\*\* in database main \*\*\*\s*/, '')
      .replace(/\s*\n\s*/g, '; ');
    return new DamagedStore(
      `the tenant database ${this.path} is damaged (SQLite: ${what}); ${this.onDamage}. ` +
        `To start fresh, move the folder aside or delete ${this.path} with its -wal and -shm files; or start with another --data folder.`,
    );
  }

  /** The schema version stored in the file; newer files than this code are refused, not guessed at. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get();
    let version = row ? Number(row.value) : 0;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `the data directory's database ${this.path} has schema version ${version}, newer than this emulator's ${SCHEMA_VERSION}; upgrade scanjobs or use another --data directory`,
      );
    }
    while (version < SCHEMA_VERSION) {
      const next = version + 1;
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[next]!);
        this.db
          .prepare(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          )
          .run(String(next));
      });
      version = next;
    }
  }

  schemaVersion(): number {
    return Number(this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()?.value ?? 0);
  }

  close(): void {
    try {
      this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}
