/**
 * Sign-in (idm-api.md §6): IDM's `X-OpenIDM-Username`/`X-OpenIDM-Password` headers or Basic
 * (§6.3), and AIC's service-account flow (§6.2): a JWT-bearer assertion signed with the account's
 * private JWK, verified against the public key registered in the emulator, exchanged for a short-lived
 * bearer token. Only public keys are stored; tokens live in memory and die with the process.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, JWK } from 'jose';
import { CrestError } from './crest';
import { Store } from './store';

export const DEFAULT_ADMIN = { username: 'openidm-admin', password: 'openidm-admin' };
export const TOKEN_LIFETIME_S = 899;
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Scopes a service account may ask for (§6.2); anything else is `invalid_scope`. */
export const SERVICE_ACCOUNT_SCOPES = [
  'fr:idm:*',
  'fr:am:*',
  'fr:idc:esv:*',
  'fr:idc:esv:read',
  'fr:idc:esv:update',
  'fr:idc:esv:restart',
  'fr:idc:certificate:*',
  'fr:idc:promotion:*',
  'fr:iga:*',
];

export interface Principal {
  id: string;
  kind: 'admin' | 'service-account';
  scopes: string[];
}

/** An OAuth 2.0 error, in AM's `{error, error_description}` shape rather than CREST's. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 5987 `UTF-8''percent-encoded` values, as IDM decodes its headers (§6.3). */
function decodeHeader(value: string): string {
  const m = /^UTF-8''(.*)$/i.exec(value);
  if (!m) return value;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return value;
  }
}

export class Authenticator {
  private readonly tokens = new Map<string, { principal: Principal; expires: number }>();
  private readonly usedJti = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly admin = DEFAULT_ADMIN,
  ) {}

  /** The caller of an /openidm request, or 401 "Access Denied" (§1.3). */
  authenticate(headers: Record<string, string | string[] | undefined>): Principal {
    const h = (name: string) => {
      // Own entries only: an inherited member must never stand in for a header (docs/security.md).
      const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
      return Array.isArray(v) ? v[0] : v;
    };
    const user = h('x-openidm-username');
    const password = h('x-openidm-password');
    if (user !== undefined || password !== undefined)
      return this.password(decodeHeader(user ?? ''), decodeHeader(password ?? ''));
    const authorization = h('authorization') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(authorization);
    if (basic) {
      const text = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      return this.password(
        text.slice(0, colon < 0 ? text.length : colon),
        colon < 0 ? '' : text.slice(colon + 1),
      );
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
    if (bearer) {
      const entry = this.tokens.get(bearer[1]!.trim());
      if (!entry || entry.expires <= this.clock().getTime()) {
        if (entry) this.tokens.delete(bearer[1]!.trim());
        throw new CrestError(401, 'Access Denied');
      }
      if (!entry.principal.scopes.includes('fr:idm:*'))
        throw new CrestError(403, 'The access token lacks the fr:idm:* scope');
      return entry.principal;
    }
    throw new CrestError(401, 'Access Denied');
  }

  private password(user: string, password: string): Principal {
    if (sameSecret(user, this.admin.username) && sameSecret(password, this.admin.password)) {
      return { id: user, kind: 'admin', scopes: ['fr:idm:*'] };
    }
    throw new CrestError(401, 'Access Denied');
  }

  /** Registers a new service account; returns its id and private JWK (stored nowhere, shown once). */
  async createServiceAccount(): Promise<{ id: string; jwk: JWK }> {
    const id = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair('RS256', {
      extractable: true,
      modulusLength: 2048,
    });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
    this.store.db
      .prepare('INSERT INTO service_accounts (id, public_jwk, created) VALUES (?, ?, ?)')
      .run(id, JSON.stringify(publicJwk), this.clock().toISOString());
    return { id, jwk: privateJwk as JWK };
  }

  /** §6.2: the token endpoint; `form` is the decoded form body. */
  async issueToken(form: URLSearchParams): Promise<Record<string, unknown>> {
    if (form.get('grant_type') !== JWT_BEARER) {
      throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be ${JWT_BEARER}`);
    }
    if (form.get('client_id') !== 'service-account') {
      throw new OAuthError(400, 'invalid_client', "client_id must be 'service-account'");
    }
    const assertion = form.get('assertion');
    if (!assertion) throw new OAuthError(400, 'invalid_request', 'assertion is missing');
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (requested.length === 0)
      throw new OAuthError(400, 'invalid_scope', 'scope is missing (e.g. fr:idm:*)');
    const unsupported = requested.filter((s) => !SERVICE_ACCOUNT_SCOPES.includes(s));
    if (unsupported.length) {
      throw new OAuthError(
        400,
        'invalid_scope',
        `Unsupported scope for service account: ${unsupported.join(',')}`,
      );
    }
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      throw new OAuthError(400, 'invalid_grant', 'the assertion is not a JWT');
    }
    const row =
      typeof claims.iss === 'string'
        ? this.store.db.prepare('SELECT public_jwk FROM service_accounts WHERE id = ?').get(claims.iss)
        : undefined;
    if (!row)
      throw new OAuthError(
        400,
        'invalid_grant',
        'the assertion names no service account registered in this emulator (iss)',
      );
    const key = await importJWK(JSON.parse(row.public_jwk as string) as JWK, 'RS256');
    const now = this.clock();
    try {
      await jwtVerify(assertion, key, {
        algorithms: ['RS256'],
        issuer: claims.iss,
        subject: claims.iss,
        currentDate: now,
        requiredClaims: ['exp', 'aud', 'jti'],
      });
    } catch (err) {
      throw new OAuthError(
        400,
        'invalid_grant',
        `the assertion was rejected: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => typeof a === 'string' && /\/am\/oauth2\/access_token$/.test(a))) {
      throw new OAuthError(
        400,
        'invalid_grant',
        "the assertion's aud must be the token endpoint, …/am/oauth2/access_token",
      );
    }
    if ((claims.exp ?? 0) * 1000 > now.getTime() + 15 * 60_000) {
      throw new OAuthError(
        400,
        'invalid_grant',
        'the assertion expires too far in the future (at most 15 minutes; 180 s is usual)',
      );
    }
    for (const [jti, exp] of this.usedJti) if (exp < now.getTime()) this.usedJti.delete(jti);
    if (this.usedJti.has(String(claims.jti)))
      throw new OAuthError(400, 'invalid_grant', 'the assertion was already used (jti)');
    this.usedJti.set(String(claims.jti), (claims.exp ?? 0) * 1000);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      principal: { id: claims.iss!, kind: 'service-account', scopes: requested },
      expires: now.getTime() + TOKEN_LIFETIME_S * 1000,
    });
    return {
      access_token: token,
      scope: requested.join(' '),
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
    };
  }
}
