import { redact } from './redact';

/** The base of every failure the tenant layer raises; its message is always redacted. */
export class TenantError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options);
    this.name = 'TenantError';
  }
}

/**
 * A CREST error reply: `{code, reason, message, detail?}` (idm-api.md §1.3), with the request that
 * produced it. `serverMessage` is the server's text exactly as sent (redacted of our own secrets).
 */
export class CrestError extends TenantError {
  readonly status: number;
  readonly reason: string;
  readonly serverMessage: string;
  readonly method: string;
  readonly path: string;
  readonly detail: unknown;
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    reason: string;
    serverMessage: string;
    method: string;
    path: string;
    tenant: string;
    detail?: unknown;
    retryAfterMs?: number;
  }) {
    super(
      `${init.method} ${init.path} on ${init.tenant}: ${init.status} ${init.reason}: ${init.serverMessage}`,
    );
    this.name = 'CrestError';
    this.status = init.status;
    this.reason = init.reason;
    this.serverMessage = redact(init.serverMessage);
    this.method = init.method;
    this.path = init.path;
    this.detail = init.detail;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export type NetworkFailure = 'dns' | 'refused' | 'tls' | 'connect-timeout' | 'timeout' | 'dropped' | 'other';

const FAILURE_TEXT: Record<NetworkFailure, string> = {
  dns: 'the host name could not be resolved (DNS)',
  refused: 'the connection was refused',
  tls: 'the TLS handshake failed',
  'connect-timeout': 'connecting timed out',
  timeout: 'the server did not answer in time',
  dropped: 'the connection was dropped before the reply was complete',
  other: 'the request failed',
};

/**
 * A transport failure. `sent` says whether the request may have reached the server: false only for
 * failures that happen before a connection exists (DNS, refused, TLS, connect timeout), which is what
 * lets `execute` be retried safely in exactly those cases (idm-api.md §4.3 has no idempotency key).
 */
export class NetworkError extends TenantError {
  readonly failure: NetworkFailure;
  readonly tenant: string;
  readonly method: string;
  readonly path: string;
  readonly code: string | undefined;

  constructor(init: {
    failure: NetworkFailure;
    tenant: string;
    method: string;
    path: string;
    code?: string;
    detail?: string;
    cause?: unknown;
  }) {
    const code = init.code ? ` (${init.code})` : '';
    const detail = init.detail ? `: ${init.detail}` : '';
    super(`${init.method} ${init.path} on ${init.tenant}: ${FAILURE_TEXT[init.failure]}${code}${detail}`, {
      cause: init.cause,
    });
    this.name = 'NetworkError';
    this.failure = init.failure;
    this.tenant = init.tenant;
    this.method = init.method;
    this.path = init.path;
    this.code = init.code;
  }

  get sent(): boolean {
    return !(
      this.failure === 'dns' ||
      this.failure === 'refused' ||
      this.failure === 'tls' ||
      this.failure === 'connect-timeout'
    );
  }
}

/** Sign-in failed or the credentials were refused; says which credential and what to do. */
export class AuthError extends TenantError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthError';
  }
}

/** A reply that is not what the contract says (not JSON, wrong shape). */
export class BadReplyError extends TenantError {
  constructor(message: string) {
    super(message);
    this.name = 'BadReplyError';
  }
}

/**
 * `execute` failed in a way that leaves it unknown whether a run started, and looking for the run
 * did not settle it. The caller must not blindly execute again.
 */
export class AmbiguousExecuteError extends TenantError {
  readonly candidates: string[];
  constructor(message: string, candidates: string[], cause: unknown) {
    super(message, { cause });
    this.name = 'AmbiguousExecuteError';
    this.candidates = candidates;
  }
}

export function isAbort(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === 'AbortError' || (err as { code?: string }).code === 'UND_ERR_ABORTED')
  );
}
