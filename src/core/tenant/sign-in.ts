import { randomUUID } from 'node:crypto';
import { AuthError, CrestError } from './errors';
import { signServiceAccountJwt } from './service-account-key';
import { registerCredentials, registerSecret } from './redact';
import { DEFAULT_RETRY, withRetry } from './retry';
import type { TenantTransport } from './transport';

export type SignInKind = 'service-account' | 'access-token' | 'idm-password';

/** How requests to one tenant are signed in. */
export interface SignIn {
  readonly kind: SignInKind;
  /** Headers for the next request; may sign in first. */
  headers(transport: TenantTransport, signal?: AbortSignal): Promise<Record<string, string>>;
  /** The tenant answered 401 to a request sent with `used`: true when signing in again may help. */
  refused(used: Record<string, string>): Promise<boolean>;
  /** What to tell the user when the tenant keeps refusing; names no secret. */
  refusedMessage(tenant: string): string;
}

/** IDM's own headers (idm-api.md §6.3); RFC 5987 encoding for values that are not plain ASCII. */
export class IdmPasswordSignIn implements SignIn {
  readonly kind = 'idm-password';
  constructor(
    readonly username: string,
    private readonly password: string,
    /** Where the user sets the password, for the refusal's advice: the CLI's variable by default. */
    private readonly passwordSource = 'IDM_PASSWORD',
  ) {
    // A password equal to the user name (IDM's openidm-admin default) is printed as the user anyway.
    if (password !== username) registerCredentials(username, password);
  }

  async headers(): Promise<Record<string, string>> {
    return {
      'x-openidm-username': rfc5987(this.username),
      'x-openidm-password': rfc5987(this.password),
      'x-openidm-nosession': 'true',
    };
  }

  async refused(): Promise<boolean> {
    return false;
  }

  refusedMessage(tenant: string): string {
    return `${tenant} refused user '${this.username}' and its password (401 Unauthorized). Check the user name and ${this.passwordSource}.`;
  }
}

function rfc5987(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `UTF-8''${encodeURIComponent(value)}`;
}

/** A pasted bearer token: it cannot be refreshed, so its expiry is explained, not hidden. */
export class AccessTokenSignIn implements SignIn {
  readonly kind = 'access-token';
  private readonly expiresAt: number | undefined;

  constructor(
    private readonly token: string,
    private readonly now: () => number = Date.now,
  ) {
    registerSecret(token);
    this.expiresAt = jwtExpiry(token);
  }

  async headers(transport: TenantTransport): Promise<Record<string, string>> {
    if (this.expiresAt !== undefined && this.expiresAt <= this.now()) {
      const ago = Math.max(1, Math.round((this.now() - this.expiresAt) / 60_000));
      throw new AuthError(
        `The access token for ${transport.label} expired at ${new Date(this.expiresAt).toISOString()} (${ago} min ago). ` +
          'Paste a new one, or use a service account, which signs in again by itself.',
      );
    }
    return { authorization: `Bearer ${this.token}` };
  }

  async refused(): Promise<boolean> {
    return false;
  }

  refusedMessage(tenant: string): string {
    return `${tenant} refused the access token (401 Unauthorized): it has expired or was revoked. Paste a new one, or use a service account.`;
  }
}

/** The `exp` claim of a JWT in milliseconds, or undefined when the token is opaque. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export interface ServiceAccountOptions {
  scope?: string;
  now?: () => number;
  /** Refresh this long before `expires_in` runs out; default a fifth of the lifetime, at most 60 s. */
  refreshAheadMs?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * AIC service-account sign-in: the JWT-bearer grant of idm-api.md §6.2. One token is cached and
 * refreshed before it expires; concurrent callers share one refresh.
 */
export class ServiceAccountSignIn implements SignIn {
  readonly kind = 'service-account';
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private scope: string;
  private readonly now: () => number;
  /** How many token requests were made (for tests and diagnostics). */
  tokenRequests = 0;

  constructor(
    readonly accountId: string,
    private readonly key: string,
    private readonly options: ServiceAccountOptions = {},
  ) {
    registerSecret(key);
    registerKeyParts(key);
    this.scope = options.scope ?? 'fr:idm:*';
    this.now = options.now ?? Date.now;
  }

  async headers(transport: TenantTransport, signal?: AbortSignal): Promise<Record<string, string>> {
    const t =
      this.cached && this.now() < this.cached.refreshAt ? this.cached : await this.refresh(transport, signal);
    return { authorization: `Bearer ${t.token}` };
  }

  async refused(used: Record<string, string>): Promise<boolean> {
    // Only drop the token that failed: another request may already hold a fresh one.
    if (this.cached && used.authorization === `Bearer ${this.cached.token}`) this.cached = undefined;
    return true;
  }

  refusedMessage(tenant: string): string {
    return `${tenant} refused a fresh token of service account ${this.accountId} (401 Unauthorized). Check that the account exists in this tenant and has the fr:idm:* scope.`;
  }

  private refresh(transport: TenantTransport, signal?: AbortSignal): Promise<CachedToken> {
    this.pending ??= this.requestToken(transport, signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async requestToken(transport: TenantTransport, signal?: AbortSignal): Promise<CachedToken> {
    const tokenPath = '/am/oauth2/access_token';
    for (let attempt = 0; ; attempt++) {
      const assertion = signServiceAccountJwt(this.key, {
        iss: this.accountId,
        sub: this.accountId,
        aud: audience(transport.base, tokenPath),
        exp: Math.floor(this.now() / 1000) + 180,
        jti: randomUUID(),
      });
      registerSecret(assertion);
      const form = new URLSearchParams({
        client_id: 'service-account',
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
        scope: this.scope,
      }).toString();
      this.tokenRequests++;
      try {
        const reply = await withRetry(
          DEFAULT_RETRY,
          () =>
            transport.send<Record<string, unknown>>({ method: 'POST', path: tokenPath, body: form, signal }),
          { signal },
        );
        return this.accept(reply.body);
      } catch (err) {
        const dropped = attempt === 0 ? unsupportedScopes(err) : [];
        if (dropped.length > 0) {
          // Frodo's behaviour (idm-api.md §6.2): drop the scopes the account lacks and ask again.
          this.scope = this.scope
            .split(' ')
            .filter((s) => !dropped.includes(s))
            .join(' ');
          if (this.scope) continue;
        }
        if (err instanceof CrestError && err.status >= 400 && err.status < 500) {
          throw new AuthError(
            `${transport.label} refused to sign in service account ${this.accountId}: ${err.serverMessage}. ` +
              'Check the account id, that its key is the one downloaded for it, and the tenant URL.',
            { cause: err },
          );
        }
        throw err;
      }
    }
  }

  private accept(body: Record<string, unknown> | undefined): CachedToken {
    const token = body?.access_token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new AuthError(`The token endpoint answered without an access_token for ${this.accountId}`);
    }
    registerSecret(token);
    const lifetimeMs = (typeof body?.expires_in === 'number' ? body.expires_in : 899) * 1000;
    const ahead = this.options.refreshAheadMs ?? Math.min(60_000, lifetimeMs / 5);
    const now = this.now();
    this.cached = { token, expiresAt: now + lifetimeMs, refreshAt: now + lifetimeMs - ahead };
    return this.cached;
  }
}

/** The JWT audience: the token URL, with `:443` for https as the AIC docs and Frodo write it. */
function audience(base: URL, tokenPath: string): string {
  const path = `${base.pathname === '/' ? '' : base.pathname}${tokenPath}`;
  const port = base.port || (base.protocol === 'https:' ? '443' : '80');
  return `${base.protocol}//${base.hostname}:${port}${path}`;
}

function unsupportedScopes(err: unknown): string[] {
  if (!(err instanceof CrestError)) return [];
  const m = /Unsupported scope for service account:\s*(.+)$/.exec(err.serverMessage);
  return m ? m[1].split(/[,\s]+/).filter(Boolean) : [];
}

/** Registers the private members of a JWK on their own, in case one is ever printed alone. */
function registerKeyParts(key: string): void {
  try {
    const jwk = JSON.parse(key) as Record<string, unknown>;
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      if (typeof jwk[member] === 'string') registerSecret(jwk[member]);
    }
  } catch {
    // A PEM key: registered whole above.
  }
}
