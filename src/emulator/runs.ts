/**
 * Task-scan run records (idm-api.md §4.1) and their logs. The platform keeps runs in memory and loses
 * them on restart (§4.5); the emulator keeps them in the store so a restart after a crash still shows
 * finished runs. A run that was INITIALIZED or ACTIVE when the process died is marked ERROR, which is
 * what the platform reports for a run whose executor was interrupted (§4.2).
 */
import { randomUUID } from 'node:crypto';
import { Store } from './store';
import { SqlStatement } from './sqlite';

export type RunState = 'INITIALIZED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | 'ERROR';

export interface RunRecord {
  _id: string;
  name: string;
  progress: { state: RunState; processed: number; total: number; successes: number; failures: number };
  started: string | null;
  ended: string | null;
}

export interface RunLogEntry {
  time: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** The object a line is about, when it is about one. */
  objectID?: string;
  /** 'script' for the script's own logger output, 'scanner' for the scanner's notes. */
  source: 'script' | 'scanner';
  message: string;
}

/** §4.5: `openidm.taskscanner.maxcompletedruns`. */
export const MAX_COMPLETED_RUNS = 100;
/** Log lines kept per run; the rest are counted and dropped so a noisy script cannot fill the disk. */
export const MAX_LOG_ENTRIES = 2000;

export class RunTable {
  /** §4.1: run ids are `<uuid>-<n>`, one UUID per process, as the platform's root context ids. */
  private readonly prefix = randomUUID();
  private counter = 0;
  private readonly logCounts = new Map<string, number>();
  private readonly sInsert: SqlStatement;
  private readonly sSave: SqlStatement;
  private readonly sGet: SqlStatement;
  private readonly sLog: SqlStatement;

  constructor(private readonly store: Store) {
    const db = store.db;
    this.sInsert = db.prepare('INSERT INTO runs (id, state, record) VALUES (?, ?, ?)');
    this.sSave = db.prepare('UPDATE runs SET state = ?, record = ? WHERE id = ?');
    this.sGet = db.prepare('SELECT record FROM runs WHERE id = ?');
    this.sLog = db.prepare('INSERT INTO run_log (run_id, seq, entry) VALUES (?, ?, ?)');
  }

  /** Marks runs left unfinished by an earlier process as ERROR and returns them. */
  recoverInterrupted(): RunRecord[] {
    const rows = this.store.db
      .prepare("SELECT record FROM runs WHERE state IN ('INITIALIZED', 'ACTIVE')")
      .all();
    const runs: RunRecord[] = [];
    this.store.db.transaction(() => {
      for (const row of rows) {
        const run = JSON.parse(row.record as string) as RunRecord;
        run.progress.state = 'ERROR';
        this.save(run);
        runs.push(run);
      }
    });
    return runs;
  }

  create(name: string): RunRecord {
    const run: RunRecord = {
      _id: `${this.prefix}-${++this.counter}`,
      name,
      progress: { state: 'INITIALIZED', processed: 0, total: 0, successes: 0, failures: 0 },
      started: null,
      ended: null,
    };
    this.store.db.transaction(() => {
      this.sInsert.run(run._id, run.progress.state, JSON.stringify(run));
      this.enforceRetention();
    });
    return run;
  }

  /**
   * §4.5: only when a run is added, and only past the limit, completed runs beyond the newest
   * 100 completed are removed; CANCELLED, ERROR and ACTIVE runs are never evicted.
   */
  private enforceRetention(): void {
    const db = this.store.db;
    const total = Number(db.prepare('SELECT count(*) AS n FROM runs').get()?.n ?? 0);
    if (total <= MAX_COMPLETED_RUNS) return;
    const doomed = db
      .prepare("SELECT id FROM runs WHERE state = 'COMPLETED' ORDER BY seq DESC LIMIT -1 OFFSET ?")
      .all(MAX_COMPLETED_RUNS)
      .map((r) => r.id as string);
    const del = db.prepare('DELETE FROM runs WHERE id = ?');
    const delLog = db.prepare('DELETE FROM run_log WHERE run_id = ?');
    for (const id of doomed) {
      del.run(id);
      delLog.run(id);
      this.logCounts.delete(id);
    }
  }

  save(run: RunRecord): void {
    this.sSave.run(run.progress.state, JSON.stringify(run), run._id);
  }

  get(id: string): RunRecord | undefined {
    const row = this.sGet.get(id);
    return row ? (JSON.parse(row.record as string) as RunRecord) : undefined;
  }

  /** Oldest first, as the platform lists them (§4.3). */
  list(): RunRecord[] {
    return this.store.db
      .prepare('SELECT record FROM runs ORDER BY seq')
      .all()
      .map((r) => JSON.parse(r.record as string) as RunRecord);
  }

  appendLog(runId: string, entry: RunLogEntry): void {
    const count = this.logCounts.get(runId) ?? this.storedLogCount(runId);
    this.logCounts.set(runId, count + 1);
    if (count < MAX_LOG_ENTRIES) this.sLog.run(runId, count, JSON.stringify(entry));
  }

  private storedLogCount(runId: string): number {
    const row = this.store.db.prepare('SELECT max(seq) AS m FROM run_log WHERE run_id = ?').get(runId);
    return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + 1;
  }

  /** The log of a run: kept entries, and how many more were written than kept. */
  log(runId: string): { entries: RunLogEntry[]; dropped: number } {
    const entries = this.store.db
      .prepare('SELECT entry FROM run_log WHERE run_id = ? ORDER BY seq')
      .all(runId)
      .map((r) => JSON.parse(r.entry as string) as RunLogEntry);
    const written = this.logCounts.get(runId) ?? entries.length;
    return { entries, dropped: Math.max(0, written - entries.length) };
  }
}
