/**
 * The model of a tenant's log lines (docs/logs.md). PingOne AIC serves its logs at
 * `/monitoring/logs`, `/monitoring/logs/tail` and `/monitoring/logs/sources`, authenticated by a log
 * API key and secret in the `x-api-key` / `x-api-secret` headers ("Retrieve log entries using REST
 * API", docs.pingidentity.com/pingoneaic/tenants/audit-debug-logs-pull; spec/peers.md "Logs").
 * Self-hosted PingIDM and OpenIDM have no such API.
 */

/** A log API key: `id` goes in `x-api-key`, `secret` in `x-api-secret`. Never stored in a file. */
export interface LogKey {
  id: string;
  secret: string;
}

/** Where IDM's script `logger` lines go in AIC: plain text `"LEVEL: message"`, no transaction id. */
export const SCRIPT_SOURCE = 'idm-core';
/** Everything IDM writes, mostly noise for a scan job; offered, never the default. */
export const EVERYTHING_SOURCE = 'idm-everything';

/** The documented limits of the log API, which the client and the local tenant both keep. */
export const LOG_LIMITS = {
  /** Requests a minute per environment; a 429 with `Retry-After` beyond it. */
  requestsPerMinute: 60,
  /** Entries in one reply; more come with a `pagedResultsCookie`. */
  pageSize: 1000,
  /** The widest `beginTime`..`endTime` window (400 beyond). */
  maxWindowMs: 24 * 60 * 60_000,
  /** How long entries are kept. */
  retentionMs: 30 * 24 * 60 * 60_000,
  /** A tail without a cookie returns about this much of the past. */
  firstTailMs: 15_000,
} as const;

/** One entry of a log reply: `payload` is text for plain-text sources, an object for JSON ones. */
export interface LogEntry {
  payload: string | Record<string, unknown>;
  /** ISO 8601. */
  timestamp: string;
  /** `text/plain` or `application/json`. */
  type: string;
  source: string;
}

/** One reply of `/monitoring/logs` or `/monitoring/logs/tail` (a CREST-style query page). */
export interface LogPage {
  result: LogEntry[];
  resultCount: number;
  /** Pass back as `_pagedResultsCookie` for the next page / the next tail; null when done. */
  pagedResultsCookie: string | null;
}

/** What the tenant said about its rate budget in the `x-ratelimit-*` headers of a reply. */
export interface RateLimitHeaders {
  limit?: number;
  remaining?: number;
  /** When the current window ends (epoch ms). */
  resetAt?: number;
}

export type ScriptLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A line a script wrote with `logger.<level>(...)`, read back from the tenant's log. */
export interface ScriptLine {
  /** ISO 8601, from the entry's timestamp. */
  time: string;
  /** Upper case as the platform writes it; `INFO` when the entry carried none. */
  level: ScriptLevel | string;
  /** The message, without the level prefix and without a push marker. */
  message: string;
  /** The job named by a push marker (docs/logs.md "Markers"); undefined on unmarked lines. */
  job?: string;
  source: string;
}

/**
 * Whether this client can read a tenant's logs, and if not, what to tell the user. `ready` is only
 * ever said after the tenant accepted the key.
 */
export type LogAvailability =
  | { state: 'ready'; sources: string[] }
  | { state: 'no-key'; message: string }
  | { state: 'unsupported'; message: string }
  | { state: 'refused'; message: string };

/** The run a follower ties lines to: its job and its time window. */
export interface RunWindow {
  runId: string;
  job: string;
  /** When the run started (ISO), or when this client started it if the tenant has not said yet. */
  started: string;
  /** When it ended; undefined while active. */
  ended?: string;
}

/** What a log follower reports; the CLI and the extension render these. */
export type LogEvent =
  | { type: 'lines'; lines: ScriptLine[] }
  /** The shared budget is spent or the tenant answered 429: the next read waits this long. */
  | { type: 'throttled'; retryInMs: number }
  | { type: 'error'; message: string }
  | { type: 'unavailable'; availability: Exclude<LogAvailability, { state: 'ready' }> };

export type LogListener = (event: LogEvent) => void;
