/**
 * The emulator's durable state in one SQLite file (WAL, versioned schema). Managed objects, scheduler
 * jobs, promotable config, task-scan runs with their logs, and service accounts. Every multi-row change
 * goes through `transaction`, so a SIGKILL leaves either the old or the new state, never a mix.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqlDatabase, SqliteDriver, openDatabase } from './sqlite';

export const SCHEMA_VERSION = 1;

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
};

export interface StoreOptions {
  dataDir?: string;
  inMemory?: boolean;
  driver?: SqliteDriver;
}

export class Store {
  readonly db: SqlDatabase;
  readonly path: string;

  constructor(options: StoreOptions) {
    if (!options.inMemory && !options.dataDir) {
      throw new Error('the store needs a data directory (--data <dir>) or --in-memory');
    }
    if (options.inMemory) {
      this.path = ':memory:';
    } else {
      mkdirSync(options.dataDir!, { recursive: true });
      this.path = join(options.dataDir!, 'tenant.sqlite');
    }
    this.db = openDatabase(this.path, options.driver);
    if (!options.inMemory) {
      // WAL + NORMAL: a committed transaction survives a process kill; only an OS crash could lose the last one.
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
    }
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.migrate();
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
    this.db.close();
  }
}
