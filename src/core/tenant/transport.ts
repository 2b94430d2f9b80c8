import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';
import { VERSION } from '../version';
import { AuthError, BadReplyError, CrestError, NetworkError, TenantError, isAbort } from './errors';
import { classifyFailure, errorCode } from './network-failure';
import { redact, registerCredentials } from './redact';
import { DEFAULT_RETRY, RetryPolicy, parseRetryAfter, withRetry } from './retry';
import type { SignIn } from './sign-in';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TenantRequest {
  method: Method;
  /** Path from the base URL, starting with `/openidm/` or `/am/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** `Accept-API-Version` value (idm-api.md §6.1), e.g. `resource=2.0`. */
  apiVersion?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A POST that changes nothing (a validation, a listing) may be retried like a GET. */
  idempotent?: boolean;
  /** Override the retry policy; `false` for a single attempt (the watcher retries by itself). */
  retry?: RetryPolicy | false;
}

export interface TenantReply<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface TransportOptions {
  /** Environment for proxy settings (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** A PEM file of extra trusted CA certificates, added to Node's defaults. */
  caFile?: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Debug lines (method, path, status, time); never carries a header or a body. */
  log?: (line: string) => void;
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
}

const IDEMPOTENT: ReadonlySet<Method> = new Set(['GET', 'PUT', 'DELETE']);
export const USER_AGENT = `scanjobs/${VERSION} (node ${process.versions.node})`;

/**
 * Normalizes what users paste as a tenant address: `https://tenant.example.com/platform/`,
 * `http://host:8080/openidm` and `https://tenant/am` all mean the same base.
 */
export function normalizeBaseUrl(input: string): URL {
  let url: URL;
  const shown = withoutCredentials(input.trim());
  try {
    url = new URL(input.trim());
  } catch {
    throw new TenantError(`'${shown}' is not a URL; a tenant base URL looks like https://tenant.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TenantError(`'${shown}' is not an http(s) URL`);
  }
  if (url.username || url.password) {
    // A URL is printed, logged and saved in profiles and settings: a password in it would be too.
    throw new TenantError(
      `'${shown}' holds a user name or password: give the URL without them (${url.protocol}//${url.host}). ` +
        'Credentials never go in a URL: the CLI reads the password from IDM_PASSWORD (the user from ' +
        '--username or IDM_USERNAME), a key from SERVICE_ACCOUNT_KEY, a token from SCANJOBS_ACCESS_TOKEN; ' +
        "the extension's Add Tenant asks for them and keeps them in the editor's secret storage.",
    );
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/(openidm|am|platform|admin)$/, '') || '/';
  return url;
}

/** The text with any `user:password@` (or `user@`) of a URL cut out, for messages that quote it. */
export function withoutCredentials(text: string): string {
  // Up to the last '@': a password may itself hold '/', '?', '#' or '@'; a host never holds '@'.
  return text.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)?.*@/is,
    (_, scheme: string | undefined) => `${scheme ?? ''}***@`,
  );
}

function buildDispatcher(origin: URL, options: TransportOptions): Dispatcher {
  const env = options.env ?? process.env;
  const ca = options.caFile ? [...rootCertificates, readCa(options.caFile)] : undefined;
  const connect = { timeout: options.connectTimeoutMs ?? 10_000, ...(ca ? { ca } : {}) };
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  // undici sends a proxy URL's user and password as `Proxy-Authorization: Basic base64(user:password)`.
  for (const proxy of [httpProxy, httpsProxy]) registerProxyCredentials(proxy);
  if (httpProxy || httpsProxy) {
    return new EnvHttpProxyAgent({
      httpProxy,
      httpsProxy,
      noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
      connect,
      requestTls: ca ? { ca } : undefined,
    });
  }
  // One keep-alive pool per tenant (DESIGN.md "Poll with discipline").
  return new Pool(origin.origin, { connections: 4, connect, keepAliveTimeout: 4_000 });
}

function registerProxyCredentials(proxy: string | undefined): void {
  if (!proxy) return;
  try {
    const url = new URL(proxy);
    if (url.password) registerCredentials(decodeURIComponent(url.username), decodeURIComponent(url.password));
  } catch {
    // Not a URL: undici refuses it with its own error, which names no credential.
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TenantError(`Cannot read the CA file ${file}: ${(err as Error).message}`);
  }
}

/** The HTTP layer of one tenant: sign-in headers, CREST errors, retries, timeouts. */
export class TenantTransport {
  readonly base: URL;
  readonly label: string;
  private readonly dispatcher: Dispatcher;
  private readonly basePath: string;
  /** Server clock minus ours, from the last `Date` header (for matching run start times). */
  clockSkewMs = 0;

  constructor(
    baseUrl: string,
    readonly signIn: SignIn,
    private readonly options: TransportOptions = {},
  ) {
    this.base = normalizeBaseUrl(baseUrl);
    this.label = this.base.host;
    this.basePath = this.base.pathname === '/' ? '' : this.base.pathname;
    this.dispatcher = buildDispatcher(this.base, options);
  }

  /** The request with this tenant's sign-in; retried per policy when the method is idempotent. */
  async request<T = unknown>(req: TenantRequest): Promise<TenantReply<T>> {
    const policy = req.retry === false ? false : (req.retry ?? this.options.retry ?? DEFAULT_RETRY);
    if (!policy || !(req.idempotent ?? IDEMPOTENT.has(req.method))) return this.signedOnce<T>(req);
    return withRetry(policy, () => this.signedOnce<T>(req), {
      signal: req.signal,
      onRetry: (err, n, wait) => {
        this.options.log?.(redact(`retry ${n} of ${req.method} ${req.path} in ${wait} ms: ${String(err)}`));
        this.options.onRetry?.(err, n, wait);
      },
    });
  }

  /** One attempt, plus one re-sign-in after a 401 (idm-api.md §6.2: tokens expire). */
  private async signedOnce<T>(req: TenantRequest): Promise<TenantReply<T>> {
    const headers = await this.signIn.headers(this, req.signal);
    try {
      return await this.send<T>(req, headers);
    } catch (err) {
      if (!(err instanceof CrestError) || err.status !== 401) throw err;
      if (!(await this.signIn.refused(headers))) throw new AuthError(this.signIn.refusedMessage(this.label));
      const fresh = await this.signIn.headers(this, req.signal);
      try {
        return await this.send<T>(req, fresh);
      } catch (again) {
        if (again instanceof CrestError && again.status === 401) {
          throw new AuthError(this.signIn.refusedMessage(this.label));
        }
        throw again;
      }
    }
  }

  /** One HTTP exchange with the given headers: no sign-in, no retry. */
  async send<T = unknown>(
    req: TenantRequest,
    authHeaders: Record<string, string> = {},
  ): Promise<TenantReply<T>> {
    const path = this.pathWithQuery(req);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
      ...(req.apiVersion ? { 'accept-api-version': req.apiVersion } : {}),
      ...authHeaders,
      ...req.headers,
    };
    let body: string | undefined;
    if (typeof req.body === 'string') {
      body = req.body;
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    } else if (req.method !== 'GET') {
      // CREST rejects a non-GET request whose content type is not JSON (idm-api.md §6.1).
      headers['content-type'] = 'application/json';
    }
    const started = Date.now();
    let status: number;
    let replyHeaders: TenantReply['headers'];
    let text: string;
    try {
      const res = await this.dispatcher.request({
        origin: this.base.origin,
        path,
        method: req.method,
        headers,
        body,
        signal: req.signal,
        headersTimeout: this.options.headersTimeoutMs ?? 30_000,
        bodyTimeout: this.options.bodyTimeoutMs ?? 30_000,
      });
      status = res.statusCode;
      replyHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      if (isAbort(err) || req.signal?.aborted) throw err;
      throw new NetworkError({
        failure: classifyFailure(err),
        tenant: this.label,
        method: req.method,
        path: stripQuery(path),
        code: errorCode(err),
        cause: err,
      });
    }
    this.noteClock(replyHeaders.date);
    this.options.log?.(redact(`${req.method} ${path} -> ${status} (${Date.now() - started} ms)`));
    const parsed = parseJson(text);
    if (status >= 400)
      throw this.crestError(req.method, stripQuery(path), status, parsed, text, replyHeaders);
    if (text.length > 0 && parsed === undefined) {
      throw new BadReplyError(`${req.method} ${stripQuery(path)} on ${this.label}: the reply is not JSON`);
    }
    return { status, headers: replyHeaders, body: parsed as T };
  }

  private crestError(
    method: string,
    path: string,
    status: number,
    parsed: unknown,
    text: string,
    headers: TenantReply['headers'],
  ): CrestError {
    const crest = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const oauth =
      typeof crest.error === 'string' ? `${crest.error}: ${String(crest.error_description ?? '')}` : '';
    const message =
      typeof crest.message === 'string'
        ? crest.message
        : // Redacted before it is cut: a cut could leave a secret's first characters whole.
          oauth || redact(text).slice(0, 200).trim() || `HTTP ${status}`;
    const retryAfter = headers['retry-after'];
    return new CrestError({
      status,
      reason: typeof crest.reason === 'string' ? crest.reason : reasonPhrase(status),
      serverMessage: message,
      method,
      path,
      tenant: this.label,
      detail: crest.detail,
      retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
    });
  }

  private pathWithQuery(req: TenantRequest): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.basePath}${req.path}${qs ? `?${qs}` : ''}`;
  }

  private noteClock(date: string | string[] | undefined): void {
    const at = Date.parse(Array.isArray(date) ? date[0] : (date ?? ''));
    if (!Number.isNaN(at)) this.clockSkewMs = at - Date.now();
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function reasonPhrase(status: number): string {
  return PHRASES[status] ?? `HTTP ${status}`;
}
