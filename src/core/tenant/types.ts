import { BadReplyError } from './errors';

/** A scheduler job as the tenant returns it (idm-api.md §2.1–2.2); unknown fields are kept. */
export interface JobRecord {
  _id: string;
  enabled?: boolean;
  persisted?: boolean;
  type?: 'cron' | 'simple';
  schedule?: string | null;
  invokeService?: string;
  invokeContext?: Record<string, unknown>;
  triggers?: unknown[];
  nextRunDate?: string | null;
  previousRunDate?: string | null;
  [field: string]: unknown;
}

/** Run states of idm-api.md §4.1–4.2. */
export type RunState = 'INITIALIZED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | 'ERROR';
export const FINAL_STATES: ReadonlySet<RunState> = new Set(['COMPLETED', 'CANCELLED', 'ERROR']);
const STATES: ReadonlySet<string> = new Set(['INITIALIZED', 'ACTIVE', 'COMPLETED', 'CANCELLED', 'ERROR']);

export interface RunProgress {
  state: RunState;
  processed: number;
  total: number;
  successes: number;
  failures: number;
}

/** A task-scanner run record (idm-api.md §4.1). */
export interface RunRecord {
  _id: string;
  /** `schedule/<job>` in AIC and IDM 8; absent in the OpenIDM fork. */
  name: string | null;
  progress: RunProgress;
  started: string | null;
  ended: string | null;
}

/** A CREST query reply (idm-api.md §1.2). */
export interface QueryPage<T> {
  result: T[];
  resultCount: number;
  pagedResultsCookie: string | null;
  totalPagedResults?: number;
  remainingPagedResults?: number;
}

/** Reads a run record defensively: the fork sends `""` for unset times, old docs epoch millis. */
export function toRunRecord(raw: unknown, where: string): RunRecord {
  const r = (raw ?? {}) as Record<string, unknown>;
  const p = (r.progress ?? {}) as Record<string, unknown>;
  if (typeof r._id !== 'string' || typeof p.state !== 'string' || !STATES.has(p.state)) {
    throw new BadReplyError(`${where}: the reply is not a task-scanner run (no _id or progress.state)`);
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    _id: r._id,
    name: typeof r.name === 'string' && r.name !== '' ? r.name : null,
    progress: {
      state: p.state as RunState,
      processed: num(p.processed),
      total: num(p.total),
      successes: num(p.successes),
      failures: num(p.failures),
    },
    started: toTime(r.started),
    ended: toTime(r.ended),
  };
}

function toTime(v: unknown): string | null {
  if (typeof v === 'number' && v > 0) return new Date(v).toISOString();
  return typeof v === 'string' && v !== '' ? v : null;
}

export function toQueryPage<T>(raw: unknown, where: string, item: (x: unknown) => T): QueryPage<T> {
  const r = (raw ?? {}) as Record<string, unknown>;
  if (!Array.isArray(r.result)) throw new BadReplyError(`${where}: the reply is not a CREST query result`);
  return {
    result: r.result.map(item),
    resultCount: typeof r.resultCount === 'number' ? r.resultCount : r.result.length,
    pagedResultsCookie: typeof r.pagedResultsCookie === 'string' ? r.pagedResultsCookie : null,
    totalPagedResults: typeof r.totalPagedResults === 'number' ? r.totalPagedResults : undefined,
    remainingPagedResults: typeof r.remainingPagedResults === 'number' ? r.remainingPagedResults : undefined,
  };
}

export function toJobRecord(raw: unknown, where: string): JobRecord {
  const r = raw as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || typeof r._id !== 'string') {
    throw new BadReplyError(`${where}: the reply is not a scheduler job (no _id)`);
  }
  return r as JobRecord;
}
