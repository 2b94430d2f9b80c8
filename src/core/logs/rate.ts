/**
 * One request budget per tenant for the log API, shared by every follower, view and command in this
 * process (docs/logs.md "Rate budget"). AIC allows 60 requests a minute per environment and answers
 * 429 with `Retry-After` beyond that; replies carry `x-ratelimit-limit`, `-remaining` and `-reset`
 * ("Retrieve log entries using REST API", section "Rate limiting").
 *
 * Two budgets never see each other (two VS Code windows are two processes), so each process keeps
 * to a share of the limit (`perMinute`, default 25: two windows stay under 60), and every process
 * also obeys what the tenant says it has left, which counts everyone's requests.
 */
import { sleep } from '../tenant/retry';
import type { RateLimitHeaders } from './types';

export interface RateBudgetOptions {
  /** Requests this process may send in any 60 s window; default 25. */
  perMinute?: number;
  /** Keep this many of the tenant's remaining requests for others; default 2. */
  reserve?: number;
  now?: () => number;
}

const WINDOW_MS = 60_000;

export class RateBudget {
  readonly perMinute: number;
  private readonly reserve: number;
  private readonly now: () => number;
  /** Send times within the last minute, oldest first. */
  private sent: number[] = [];
  /** No request before this time (a 429's Retry-After, or a spent window the tenant reported). */
  private blockedUntil = 0;
  /** Requests granted in total, for benchmarks and diagnostics. */
  granted = 0;
  /** Callers waiting; served in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RateBudgetOptions = {}) {
    this.perMinute = Math.max(1, options.perMinute ?? 25);
    this.reserve = Math.max(0, options.reserve ?? 2);
    this.now = options.now ?? Date.now;
  }

  /** How long the next request would have to wait now (0 when it may go). */
  waitMs(): number {
    const now = this.now();
    this.sent = this.sent.filter((t) => now - t < WINDOW_MS);
    let wait = Math.max(0, this.blockedUntil - now);
    if (this.sent.length >= this.perMinute) wait = Math.max(wait, this.sent[0]! + WINDOW_MS - now);
    return wait;
  }

  /** Resolves when one request may be sent, and counts it; callers are served in turn. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await sleep(wait, signal);
      this.sent.push(this.now());
      this.granted++;
    });
    // A caller that gave up must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** What the tenant reported: with (almost) nothing left, wait for its window to reset. */
  observe(headers: RateLimitHeaders): void {
    if (headers.remaining === undefined || headers.remaining > this.reserve) return;
    const until = headers.resetAt ?? this.now() + WINDOW_MS;
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  /** The tenant answered 429: nothing until `Retry-After` (a minute when it sent none). */
  refused(retryAfterMs: number | undefined): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + (retryAfterMs ?? WINDOW_MS));
  }
}

/** `x-ratelimit-*` of a reply; `reset` is epoch seconds when large, else seconds from now. */
export function readRateHeaders(
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): RateLimitHeaders {
  const num = (name: string): number | undefined => {
    const raw = headers[name];
    const v = Number(Array.isArray(raw) ? raw[0] : raw);
    return raw === undefined || !Number.isFinite(v) ? undefined : v;
  };
  const reset = num('x-ratelimit-reset');
  return {
    limit: num('x-ratelimit-limit'),
    remaining: num('x-ratelimit-remaining'),
    resetAt: reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : now + reset * 1000,
  };
}

const budgets = new Map<string, RateBudget>();

/**
 * The budget of one tenant (by its base URL) in this process: every caller that names the same
 * tenant shares it.
 */
export function budgetFor(tenant: string, options?: RateBudgetOptions): RateBudget {
  let budget = budgets.get(tenant);
  if (!budget) {
    budget = new RateBudget(options);
    budgets.set(tenant, budget);
  }
  return budget;
}
