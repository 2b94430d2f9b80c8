/**
 * AIC's log API on the local tenant (docs/logs.md "The local tenant"; "Retrieve log entries using
 * REST API", docs.pingidentity.com/pingoneaic/tenants/audit-debug-logs-pull): `/monitoring/logs/sources`,
 * `/monitoring/logs` and `/monitoring/logs/tail`, the `x-api-key` / `x-api-secret` headers (a bearer
 * token gets 401), cookie paging, 1,000 entries a reply, windows of at most 24 h (400 beyond), and
 * 60 requests a minute per environment with `x-ratelimit-*` headers and 429 + `Retry-After`.
 */
import { timingSafeEqual } from 'node:crypto';
import { LOG_LIMITS, LogKey } from '../../core/logs/types';
import { CrestError } from '../crest';
import { LOG_SOURCES, LogStream, StoredEntry } from '../logstream';
import type { Reply } from './reply';

export interface LogApiOptions {
  keys: LogKey[];
  /** Requests per window per environment (default 60 a minute, AIC's). */
  rate?: { limit: number; windowMs: number };
  clock: () => Date;
}

type Headers = Record<string, string | string[] | undefined>;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class LogApi {
  private windowStart = 0;
  private used = 0;
  /** Requests answered (429s included), for benchmarks. */
  requests = 0;
  refused = 0;

  constructor(
    readonly stream: LogStream,
    private readonly o: LogApiOptions,
  ) {}

  addKey(key: LogKey): void {
    this.o.keys.push(key);
  }

  handle(method: string, path: string[], params: URLSearchParams, headers: Headers): Reply {
    this.authenticate(headers);
    const rate = this.take();
    if (rate.refused) {
      this.refused++;
      return {
        status: 429,
        body: { code: 429, reason: 'Too Many Requests', message: 'Rate limit exceeded' },
        headers: { ...rate.headers, 'Retry-After': String(rate.retryAfterS) },
      };
    }
    if (method !== 'GET') throw new CrestError(405, 'The log API takes GET');
    const [, second, third] = path;
    let body: unknown;
    if (second === 'logs' && third === 'sources' && path.length === 3) body = this.sources();
    else if (second === 'logs' && third === 'tail' && path.length === 3) body = this.tail(params);
    else if (second === 'logs' && path.length === 2) body = this.query(params);
    else throw new CrestError(404, `Resource '/${path.join('/')}' not found`);
    return { status: 200, body, headers: rate.headers };
  }

  private authenticate(headers: Headers): void {
    const h = (n: string) => {
      const v = headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    const id = h('x-api-key');
    const secret = h('x-api-secret');
    if (!id || !secret || !this.o.keys.some((k) => same(k.id, id) && same(k.secret, secret))) {
      throw new CrestError(401, 'Access Denied');
    }
  }

  /** A fixed window per environment, as AIC counts it; real time, whatever the tenant's clock. */
  private take(): { refused: boolean; retryAfterS: number; headers: Record<string, string> } {
    const { limit, windowMs } = this.o.rate ?? { limit: LOG_LIMITS.requestsPerMinute, windowMs: 60_000 };
    const now = Date.now();
    if (now - this.windowStart >= windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    this.requests++;
    const reset = this.windowStart + windowMs;
    const refused = this.used >= limit;
    if (!refused) this.used++;
    return {
      refused,
      retryAfterS: Math.max(1, Math.ceil((reset - now) / 1000)),
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - this.used)),
        'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
      },
    };
  }

  private sources(): unknown {
    return {
      result: LOG_SOURCES,
      resultCount: LOG_SOURCES.length,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'NONE',
      totalPagedResults: 1,
      remainingPagedResults: 0,
    };
  }

  private source(params: URLSearchParams): string {
    const source = params.get('source');
    if (!source) throw new CrestError(400, "The 'source' query parameter is required");
    for (const s of source.split(',')) {
      if (!LOG_SOURCES.includes(s)) throw new CrestError(400, `Unknown log source '${s}'`);
    }
    if (source.includes(',')) throw new CrestError(400, 'The local tenant reads one source at a time');
    return source;
  }

  /**
   * Without a cookie: about the last 15 s. With one: from the last entry of the previous reply on,
   * that entry included (AIC's tail may repeat it; clients dedupe).
   */
  private tail(params: URLSearchParams): unknown {
    const source = this.source(params);
    const cookie = readCookie(params.get('_pagedResultsCookie'));
    const now = this.o.clock().getTime();
    const entries =
      cookie === undefined
        ? this.stream.read(source, { from: now - LOG_LIMITS.firstTailMs, limit: LOG_LIMITS.pageSize })
        : this.stream.read(source, { fromSeq: cookie.seq, limit: LOG_LIMITS.pageSize });
    const last = entries[entries.length - 1];
    const next = last ? last.seq : (cookie?.seq ?? this.stream.lastSeq + 1);
    return page(entries, writeCookie({ seq: next }));
  }

  private query(params: URLSearchParams): unknown {
    const source = this.source(params);
    const now = this.o.clock().getTime();
    const time = (name: string): number | undefined => {
      const v = params.get(name);
      if (v === null) return undefined;
      const t = Date.parse(v);
      if (Number.isNaN(t)) throw new CrestError(400, `'${name}' must be an ISO 8601 time, not '${v}'`);
      return t;
    };
    const cookie = readCookie(params.get('_pagedResultsCookie'));
    let from = time('beginTime');
    let to = time('endTime');
    if (from === undefined && to === undefined) from = now - LOG_LIMITS.maxWindowMs;
    to ??= Math.min(now, (from ?? now) + LOG_LIMITS.maxWindowMs);
    from ??= to - LOG_LIMITS.maxWindowMs;
    if (to < from) throw new CrestError(400, 'endTime is before beginTime');
    if (to - from > LOG_LIMITS.maxWindowMs)
      throw new CrestError(400, 'The time window between beginTime and endTime must not exceed 24 hours');
    const entries = this.stream.read(source, {
      from,
      to,
      fromSeq: cookie ? cookie.seq + 1 : undefined,
      limit: LOG_LIMITS.pageSize + 1,
    });
    const more = entries.length > LOG_LIMITS.pageSize;
    const shown = entries.slice(0, LOG_LIMITS.pageSize);
    return page(shown, more ? writeCookie({ seq: shown[shown.length - 1]!.seq }) : null);
  }
}

function page(entries: StoredEntry[], cookie: string | null): unknown {
  return {
    result: entries.map((e) => ({
      payload: e.payload,
      timestamp: new Date(e.at).toISOString(),
      type: e.type,
      source: e.source,
    })),
    resultCount: entries.length,
    pagedResultsCookie: cookie,
    totalPagedResultsPolicy: 'NONE',
    totalPagedResults: -1,
    remainingPagedResults: -1,
  };
}

function writeCookie(c: { seq: number }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function readCookie(text: string | null): { seq: number } | undefined {
  if (!text) return undefined;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { seq?: unknown };
    if (typeof c.seq === 'number' && Number.isInteger(c.seq)) return { seq: c.seq };
  } catch {
    // reported below
  }
  throw new CrestError(400, `'_pagedResultsCookie' is not a cookie this tenant gave out`);
}
