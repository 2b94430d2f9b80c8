/**
 * The AIC log API over the tenant's own keep-alive transport (src/core/tenant): `/monitoring/logs/sources`,
 * `/monitoring/logs` and `/monitoring/logs/tail` ("Retrieve log entries using REST API",
 * docs.pingidentity.com/pingoneaic/tenants/audit-debug-logs-pull). The log API key goes in
 * `x-api-key` / `x-api-secret`, never the tenant's sign-in: a service-account bearer token gets 401.
 */
import type { Platform } from '../job/types';
import { CrestError, TenantError, isAbort } from '../tenant/errors';
import { registerSecret } from '../tenant/redact';
import type { TenantTransport } from '../tenant/transport';
import { RateBudget, budgetFor, readRateHeaders } from './rate';
import { LOG_LIMITS, LogAvailability, LogEntry, LogKey, LogPage } from './types';

/** How to get a log key, said wherever one is missing (docs/logs.md "Log API key"). */
export const HOW_TO_ADD_A_KEY =
  'Create one in the AIC admin console (Tenant Settings > Global Settings > Log API Keys), then run ' +
  "'Scan Jobs: Set Log API Key' in VS Code, or set SCANJOBS_LOG_API_KEY and SCANJOBS_LOG_API_SECRET for the CLI.";

const NO_LOG_API =
  "Self-hosted PingIDM and OpenIDM write script lines to the server's own log files, which Scan Jobs does not read.";

/** The log API cannot be used on this tenant now; `availability` says why. */
export class LogsUnavailableError extends TenantError {
  constructor(readonly availability: Exclude<LogAvailability, { state: 'ready' }>) {
    super(availability.message);
    this.name = 'LogsUnavailableError';
  }
}

export interface LogQuery {
  source: string;
  /** ISO 8601; the API's default is the last 24 h. */
  beginTime?: string;
  endTime?: string;
  cookie?: string | null;
}

export interface LogClientOptions {
  budget?: RateBudget;
  /** Told each time a request waits for the budget or after a 429. */
  onThrottle?: (waitMs: number) => void;
  /** 429s in a row before giving up; default 5. */
  max429?: number;
  /**
   * The tenant's platform, when known (its profile, or its run listing for OpenIDM): self-hosted
   * PingIDM and OpenIDM have no log API, so nothing is sent and the client says so.
   */
  platform?: Platform;
}

export class LogClient {
  readonly budget: RateBudget;

  constructor(
    /** The tenant's transport: a new one (a changed profile) needs a new client. */
    readonly transport: TenantTransport,
    private readonly key: LogKey | undefined,
    private readonly options: LogClientOptions = {},
  ) {
    this.budget = options.budget ?? budgetFor(transport.base.href);
    // The id is not a password, but together with the secret it is the key: neither is ever printed.
    registerSecret(key?.id);
    registerSecret(key?.secret);
  }

  /** Says whether logs can be read, asking the tenant once (one request) when a key is set. */
  async availability(signal?: AbortSignal): Promise<LogAvailability> {
    try {
      return { state: 'ready', sources: await this.sources(signal) };
    } catch (err) {
      if (err instanceof LogsUnavailableError) return err.availability;
      throw err;
    }
  }

  async sources(signal?: AbortSignal): Promise<string[]> {
    const body = await this.get('/monitoring/logs/sources', {}, signal);
    const result = (body as { result?: unknown } | undefined)?.result;
    if (!Array.isArray(result))
      throw new TenantError(`${this.where('sources')}: the reply has no result list`);
    return result.filter((s): s is string => typeof s === 'string');
  }

  /** Entries after `cookie` (or about the last 15 s without one). The last entry may repeat. */
  async tail(source: string, cookie: string | null | undefined, signal?: AbortSignal): Promise<LogPage> {
    const body = await this.get(
      '/monitoring/logs/tail',
      { source, _pagedResultsCookie: cookie ?? undefined },
      signal,
    );
    return toLogPage(body, this.where('tail'));
  }

  /** One page of stored entries; the window must be at most 24 h (the tenant answers 400 beyond). */
  async query(q: LogQuery, signal?: AbortSignal): Promise<LogPage> {
    if (
      q.beginTime &&
      q.endTime &&
      Date.parse(q.endTime) - Date.parse(q.beginTime) > LOG_LIMITS.maxWindowMs
    ) {
      throw new TenantError(
        `The log window ${q.beginTime} .. ${q.endTime} is longer than 24 hours, the most the log API serves`,
      );
    }
    const body = await this.get(
      '/monitoring/logs',
      {
        source: q.source,
        beginTime: q.beginTime,
        endTime: q.endTime,
        _pagedResultsCookie: q.cookie ?? undefined,
      },
      signal,
    );
    return toLogPage(body, this.where('logs'));
  }

  /** Every entry of a window, page after page (each page one request of the budget). */
  async *entries(q: Omit<LogQuery, 'cookie'>, signal?: AbortSignal): AsyncGenerator<LogEntry[]> {
    let cookie: string | null = null;
    do {
      const page = await this.query({ ...q, cookie }, signal);
      if (page.result.length) yield page.result;
      cookie = page.pagedResultsCookie;
    } while (cookie);
  }

  /**
   * Why this tenant has no log API, when its platform is known to be one without (self-hosted
   * PingIDM, OpenIDM): nothing is ever sent then. Undefined for AIC or an unknown platform.
   */
  get noLogApi(): string | undefined {
    const p = this.options.platform;
    if (p !== 'idm' && p !== 'openidm') return undefined;
    return (
      `${this.transport.label} is ${p === 'idm' ? 'a self-hosted PingIDM' : 'OpenIDM'}, which has no log API: /monitoring/logs is PingOne AIC's, so no log lines are read. ` +
      NO_LOG_API
    );
  }

  private where(what: string): string {
    return `the log API (${what}) of ${this.transport.label}`;
  }

  private async get(
    path: string,
    query: Record<string, string | undefined>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const none = this.noLogApi;
    if (none) throw new LogsUnavailableError({ state: 'unsupported', message: none });
    if (!this.key) {
      throw new LogsUnavailableError({
        state: 'no-key',
        message: `No log API key is set for ${this.transport.label}, so its script log lines cannot be read. ${HOW_TO_ADD_A_KEY}`,
      });
    }
    const max429 = this.options.max429 ?? 5;
    for (let refusals = 0; ;) {
      const wait = this.budget.waitMs();
      if (wait > 0) this.options.onThrottle?.(wait);
      await this.budget.acquire(signal);
      try {
        const reply = await this.transport.send(
          { method: 'GET', path, query, signal },
          { 'x-api-key': this.key.id, 'x-api-secret': this.key.secret },
        );
        this.budget.observe(readRateHeaders(reply.headers));
        return reply.body;
      } catch (err) {
        if (isAbort(err) || signal?.aborted) throw err;
        if (!(err instanceof CrestError)) throw err;
        if (err.status === 429 && ++refusals < max429) {
          this.budget.refused(err.retryAfterMs);
          continue;
        }
        throw this.explain(err);
      }
    }
  }

  private explain(err: CrestError): Error {
    const tenant = this.transport.label;
    if (err.status === 404) {
      return new LogsUnavailableError({
        state: 'unsupported',
        message:
          `${tenant} has no log API (${err.path} answered 404): /monitoring/logs is PingOne AIC's. ` +
          NO_LOG_API,
      });
    }
    if (err.status === 401 || err.status === 403) {
      return new LogsUnavailableError({
        state: 'refused',
        message: `${tenant} refused the log API key (${err.status} ${err.reason}): check that the key and secret belong to this tenant and were not deleted. ${HOW_TO_ADD_A_KEY}`,
      });
    }
    return err;
  }
}

/** Reads a log reply defensively: AIC's own example sends `resultCount` as a string. */
export function toLogPage(raw: unknown, where: string): LogPage {
  const r = (raw ?? {}) as Record<string, unknown>;
  if (!Array.isArray(r.result))
    throw new TenantError(`${where}: the reply is not a log page (no result list)`);
  const result: LogEntry[] = [];
  for (const e of r.result as unknown[]) {
    const x = (e ?? {}) as Record<string, unknown>;
    const payload = x.payload;
    if (
      typeof x.timestamp !== 'string' ||
      (typeof payload !== 'string' && (typeof payload !== 'object' || !payload))
    )
      continue; // an entry without a time or payload cannot be shown or placed
    result.push({
      payload: payload as LogEntry['payload'],
      timestamp: x.timestamp,
      type:
        typeof x.type === 'string' ? x.type : typeof payload === 'string' ? 'text/plain' : 'application/json',
      source: typeof x.source === 'string' ? x.source : '',
    });
  }
  const count = Number(r.resultCount);
  return {
    result,
    resultCount: Number.isFinite(count) ? count : result.length,
    pagedResultsCookie:
      typeof r.pagedResultsCookie === 'string' && r.pagedResultsCookie ? r.pagedResultsCookie : null,
  };
}
