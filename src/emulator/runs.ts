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
/**
 * A run's log is bounded three ways, so a noisy or hostile script can neither fill the disk nor make
 * the log unreadable (issue 12, item 7; docs/security.md "Run logs"): at most this many lines kept…
 */
export const MAX_LOG_ENTRIES = 2000;
/** …each message cut to this many characters (the cut is marked in the message)… */
export const MAX_LOG_MESSAGE_CHARS = 4096;
/** …and at most this many characters of messages kept per run; later lines are counted and dropped. */
export const MAX_LOG_CHARS = 1024 * 1024;

/** A log message cut to MAX_LOG_MESSAGE_CHARS, the cut marked; the same cap for every log a script reaches. */
export function clipMessage(message: string): string {
  if (message.length <= MAX_LOG_MESSAGE_CHARS) return message;
  const cut = message.length - MAX_LOG_MESSAGE_CHARS;
  return `${message.slice(0, MAX_LOG_MESSAGE_CHARS)}… [${cut} more characters dropped]`;
}

/** What a run's log holds and what it left out. */
export interface RunLog {
  entries: RunLogEntry[];
  /** Lines written but not kept (past a cap). */
  dropped: number;
  /** Kept lines whose message was cut to MAX_LOG_MESSAGE_CHARS. */
  truncated: number;
  limits: { lines: number; chars: number; messageChars: number };
}

interface LogCounts {
  written: number;
  kept: number;
  /** The next line's sequence number (lines rolled back with their round leave gaps). */
  seq: number;
  chars: number;
  truncated: number;
}

export class RunTable {
  /** §4.1: run ids are `<uuid>-<n>`, one UUID per process, as the platform's root context ids. */
  private readonly prefix = randomUUID();
  private counter = 0;
  private readonly logCounts = new Map<string, LogCounts>();
  private readonly sInsert: SqlStatement;
  private readonly sSave: SqlStatement;
  private readonly sGet: SqlStatement;
  private readonly sLog: SqlStatement;

  constructor(private readonly store: Store) {
    const db = store.db;
    this.sInsert = db.prepare('INSERT INTO runs (id, state, record) VALUES (?, ?, ?)');
    this.sSave = db.prepare(
      'UPDATE runs SET state = ?, record = ?, log_written = ?, log_chars = ?, log_truncated = ? WHERE id = ?',
    );
    this.sGet = db.prepare('SELECT record FROM runs WHERE id = ?');
    this.sLog = db.prepare('INSERT INTO run_log (run_id, seq, entry) VALUES (?, ?, ?)');
  }

  /**
   * Marks runs left unfinished by an earlier process as ERROR (§4.2: an interrupted executor) and
   * says so in each run's log, so nobody reads such a run as finished; returns them.
   */
  recoverInterrupted(now: Date): RunRecord[] {
    const rows = this.store.db
      .prepare("SELECT record FROM runs WHERE state IN ('INITIALIZED', 'ACTIVE')")
      .all();
    const runs: RunRecord[] = [];
    this.store.db.transaction(() => {
      for (const row of rows) {
        const run = JSON.parse(row.record as string) as RunRecord;
        const { processed, total } = run.progress;
        run.progress.state = 'ERROR';
        this.appendLog(
          run._id,
          {
            time: now.toISOString(),
            level: 'error',
            source: 'scanner',
            message:
              `run interrupted: the emulator process ended (a crash or a kill, or a stop while the run was left ACTIVE) after ${processed} of ${total} objects; ` +
              // The platform's behaviour (idm-api.md §4.2); the message describes it without the internal citation.
              'marked ERROR at the next start, as the platform does for an interrupted run. ' +
              'Work after its last commit (the objects of its last round, their counts and log lines) was rolled back and not logged.',
          },
          true,
        );
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

  /** Saves the record and its log counters together (call inside the transaction of its log lines). */
  save(run: RunRecord): void {
    const c = this.counts(run._id);
    this.sSave.run(run.progress.state, JSON.stringify(run), c.written, c.chars, c.truncated, run._id);
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

  /**
   * Appends a line within the caps; past them the line is only counted. The counters are saved with
   * the run (`save`), so callers save the run before their transaction commits.
   */
  appendLog(runId: string, entry: RunLogEntry, always = false): void {
    const c = this.counts(runId);
    c.written++;
    if (!always && (c.kept >= MAX_LOG_ENTRIES || c.chars >= MAX_LOG_CHARS)) return;
    const message = clipMessage(entry.message);
    if (message !== entry.message) c.truncated++;
    this.sLog.run(runId, c.seq++, JSON.stringify(message === entry.message ? entry : { ...entry, message }));
    c.kept++;
    c.chars += message.length;
  }

  /**
   * A line already cut to MAX_LOG_MESSAGE_CHARS elsewhere (a script thread clips before sending):
   * kept within the caps like appendLog, counted as truncated when `cut`.
   */
  appendClipped(runId: string, entry: RunLogEntry, cut: boolean): void {
    const c = this.counts(runId);
    c.written++;
    if (c.kept >= MAX_LOG_ENTRIES || c.chars >= MAX_LOG_CHARS) return;
    if (cut) c.truncated++;
    this.sLog.run(runId, c.seq++, JSON.stringify(entry));
    c.kept++;
    c.chars += entry.message.length;
  }

  /** Lines written but never sent here (past a script thread's caps): counted in `dropped`. */
  countDropped(runId: string, lines: number): void {
    if (lines > 0) this.counts(runId).written += lines;
  }

  /** The counters of a run's log: from memory, or as last saved (after a restart). */
  private counts(runId: string): LogCounts {
    let c = this.logCounts.get(runId);
    if (!c) {
      const row = this.store.db
        .prepare(
          `SELECT log_written AS w, log_chars AS c, log_truncated AS t,
             (SELECT count(*) FROM run_log WHERE run_id = ?) AS k, (SELECT max(seq) FROM run_log WHERE run_id = ?) AS m
           FROM runs WHERE id = ?`,
        )
        .get(runId, runId, runId);
      const kept = Number(row?.k ?? 0);
      // A run logged before the counters existed (schema 1) counts its kept lines as written.
      c = {
        written: Math.max(Number(row?.w ?? 0), kept),
        kept,
        seq: row?.m === null || row?.m === undefined ? 0 : Number(row.m) + 1,
        chars: Number(row?.c ?? 0),
        truncated: Number(row?.t ?? 0),
      };
      this.logCounts.set(runId, c);
    }
    return c;
  }

  /** The log of a run: kept entries, and how many more were written than kept. */
  log(runId: string): RunLog {
    const entries = this.store.db
      .prepare('SELECT entry FROM run_log WHERE run_id = ? ORDER BY seq')
      .all(runId)
      .map((r) => JSON.parse(r.entry as string) as RunLogEntry);
    const c = this.counts(runId);
    return {
      entries,
      dropped: Math.max(0, c.written - entries.length),
      truncated: c.truncated,
      limits: { lines: MAX_LOG_ENTRIES, chars: MAX_LOG_CHARS, messageChars: MAX_LOG_MESSAGE_CHARS },
    };
  }
}
