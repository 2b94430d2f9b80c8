import { CrestError, NetworkError } from './errors';

/** Bounds for retrying idempotent requests (GET, PUT, DELETE). */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Stop retrying when the next wait would end later than this after the first attempt. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for; the error is raised instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  maxTotalMs: 60_000,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Whether a failure of an idempotent request is worth another attempt. */
export function isTransient(err: unknown): boolean {
  if (err instanceof CrestError) return RETRY_STATUSES.has(err.status);
  if (err instanceof NetworkError) return err.failure !== 'dns' && err.failure !== 'tls';
  return false;
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): exponential with full jitter, or the
 * server's `Retry-After` when it sent one (never less, so we do not hammer a rate-limited tenant).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, err: unknown, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  if (err instanceof CrestError && err.retryAfterMs !== undefined) return Math.max(err.retryAfterMs, 0);
  return Math.round(jittered);
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs, or the policy's bounds are hit.
 * `onRetry` hears each retry (for "connection lost, retrying" messages).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  options: { signal?: AbortSignal; onRetry?: (err: unknown, n: number, waitMs: number) => void } = {},
): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isTransient(err) || n >= policy.maxAttempts) throw err;
      const wait = retryDelay(policy, n, err);
      if (err instanceof CrestError && wait > policy.maxRetryAfterMs) throw err;
      if (Date.now() - started + wait > policy.maxTotalMs) throw err;
      options.onRetry?.(err, n, wait);
      await sleep(wait, options.signal);
    }
  }
}
