/**
 * One small adapter over the two synchronous SQLite drivers we meet (DESIGN.md, Runtime notes):
 * `node:sqlite` when the runtime has it (Node >= 22.13, e.g. VS Code's own Node) and better-sqlite3
 * otherwise. Only positional parameters are used, so the SQL and the calls are the same for both.
 */
import { createRequire } from 'node:module';

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, SqlValue>;

export interface SqlStatement {
  run(...params: SqlValue[]): { changes: number };
  get(...params: SqlValue[]): SqlRow | undefined;
  all(...params: SqlValue[]): SqlRow[];
  /** Rows one at a time, so a large result is never all in memory as rows. */
  iterate(...params: SqlValue[]): IterableIterator<SqlRow>;
}

export interface SqlDatabase {
  readonly driver: SqliteDriver;
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  /** Runs fn in a transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export type SqliteDriver = 'node:sqlite' | 'better-sqlite3';

interface RawStatement {
  run(...params: unknown[]): { changes: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}
interface RawDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): RawStatement;
  close(): unknown;
}

// esbuild bundles this file into CommonJS; createRequire keeps both drivers out of the bundle.
const load = createRequire(__filename);

/** Whether this runtime has a usable `node:sqlite` (it is missing on Node 20, flagged on early 22). */
export function nodeSqliteAvailable(): boolean {
  try {
    load('node:sqlite');
    return true;
  } catch {
    return false;
  }
}

function openRaw(path: string, driver: SqliteDriver): RawDatabase {
  if (driver === 'node:sqlite') {
    if (!nodeSqliteAvailable()) {
      throw new Error(
        `node:sqlite is not available in Node ${process.version} (it needs Node 22.13 or newer); use better-sqlite3`,
      );
    }
    const { DatabaseSync } = load('node:sqlite') as { DatabaseSync: new (p: string) => RawDatabase };
    return new DatabaseSync(path);
  }
  const Database = load('better-sqlite3') as new (p: string) => RawDatabase;
  return new Database(path);
}

/**
 * Opens (creating if needed) the database at `path` (':memory:' for a private in-memory one).
 * `prefer` forces a driver; otherwise node:sqlite is used when available.
 */
export function openDatabase(path: string, prefer?: SqliteDriver): SqlDatabase {
  const driver: SqliteDriver = prefer ?? (nodeSqliteAvailable() ? 'node:sqlite' : 'better-sqlite3');
  const raw = openRaw(path, driver);
  let depth = 0;
  const wrap = (s: RawStatement): SqlStatement => ({
    run: (...p) => ({ changes: Number(s.run(...p).changes) }),
    get: (...p) => s.get(...p) as SqlRow | undefined,
    all: (...p) => s.all(...p) as SqlRow[],
    iterate: (...p) => s.iterate(...p) as IterableIterator<SqlRow>,
  });
  return {
    driver,
    exec: (sql) => void raw.exec(sql),
    prepare: (sql) => wrap(raw.prepare(sql)),
    transaction<T>(fn: () => T): T {
      const name = `sp${depth}`;
      raw.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`);
      depth++;
      try {
        const result = fn();
        depth--;
        raw.exec(depth === 0 ? 'COMMIT' : `RELEASE ${name}`);
        return result;
      } catch (err) {
        depth--;
        raw.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`);
        throw err;
      }
    },
    close: () => void raw.close(),
  };
}
