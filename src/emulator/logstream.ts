/**
 * The local tenant's log, in AIC's shape (docs/logs.md "The local tenant"): script `logger` lines go
 * to `idm-core` as plain text `"LEVEL: message"` (no job, no transaction id, as AIC writes them), and
 * `idm-everything` holds them plus a line per REST request (the noise AIC's has). Kept in memory,
 * newest 100,000 entries and 30 days at most; a restart starts an empty log.
 */
import { LOG_LIMITS } from '../core/logs/types';

export interface StoredEntry {
  seq: number;
  at: number;
  source: string;
  type: 'text/plain' | 'application/json';
  payload: string | Record<string, unknown>;
}

export const LOG_SOURCES = [
  'am-access',
  'am-activity',
  'am-authentication',
  'am-config',
  'am-core',
  'am-everything',
  'idm-access',
  'idm-activity',
  'idm-authentication',
  'idm-config',
  'idm-core',
  'idm-everything',
  'idm-recon',
  'idm-sync',
];

const MAX_ENTRIES = 100_000;

export class LogStream {
  private entries: StoredEntry[] = [];
  private seq = 0;

  constructor(private readonly clock: () => Date) {}

  /** A script's `logger.<level>(message)`. */
  script(level: string, message: string): void {
    const text = `${level.toUpperCase()}: ${message}`;
    const at = this.clock().getTime();
    this.add({ at, source: 'idm-core', type: 'text/plain', payload: text });
    this.add({ at, source: 'idm-everything', type: 'text/plain', payload: text });
  }

  /** One REST request, as an access event (noise for a scan job's reader). */
  access(method: string, path: string, status: number): void {
    const at = this.clock().getTime();
    const payload = {
      eventName: 'access',
      http: { request: { method, path } },
      response: { statusCode: status },
    };
    this.add({ at, source: 'idm-access', type: 'application/json', payload });
    this.add({ at, source: 'idm-everything', type: 'application/json', payload });
  }

  private add(e: Omit<StoredEntry, 'seq'>): void {
    this.entries.push({ ...e, seq: ++this.seq });
    const oldest = e.at - LOG_LIMITS.retentionMs;
    let drop = Math.max(0, this.entries.length - MAX_ENTRIES);
    while (drop < this.entries.length && this.entries[drop]!.at < oldest) drop++;
    if (drop > 0) this.entries.splice(0, drop);
  }

  /** Entries of `source` with seq >= `fromSeq` and time in [from, to], at most `limit`. */
  read(source: string, q: { fromSeq?: number; from?: number; to?: number; limit: number }): StoredEntry[] {
    const out: StoredEntry[] = [];
    for (const e of this.entries) {
      if (e.source !== source) continue;
      if (q.fromSeq !== undefined && e.seq < q.fromSeq) continue;
      if (q.from !== undefined && e.at < q.from) continue;
      if (q.to !== undefined && e.at > q.to) continue;
      out.push(e);
      if (out.length >= q.limit) break;
    }
    return out;
  }

  /** The newest seq written so far (0 when empty). */
  get lastSeq(): number {
    return this.seq;
  }
}
