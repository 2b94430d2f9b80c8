import { createPublicKey, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small tenant whose runs follow a script in time, for what the emulator cannot give exactly:
 * state changes at known instants (the watch benchmark), and token lifetimes of a few hundred
 * milliseconds (sign-in refresh tests). Real HTTP on 127.0.0.1. Endpoint behaviour follows
 * idm-api.md §4.3 and §6.2; the emulator is the full implementation.
 */
export interface RunScript {
  /** Milliseconds in INITIALIZED before ACTIVE. */
  initializingMs: number;
  /** Milliseconds ACTIVE before COMPLETED. */
  activeMs: number;
  total: number;
  /** Fraction of the objects done at a fraction of the active time; default linear. */
  curve?: (t: number) => number;
  /** The job name, for `name: schedule/<job>`. */
  job?: string;
}

interface ScriptedRun extends RunScript {
  id: string;
  createdAt: number;
  cancelledAt?: number;
}

export interface ServiceAccount {
  id: string;
  /** The private JWK, as AIC lets you download it. */
  jwk: string;
}

export interface ScriptedTenantOptions {
  /** `expires_in` of issued tokens, in seconds (may be fractional here). */
  tokenLifetimeS?: number;
  /** Delay before answering a token request (makes concurrent refreshes overlap). */
  tokenDelayMs?: number;
}

export class ScriptedTenant {
  readonly runs = new Map<string, ScriptedRun>();
  /** Counters of what reached the tenant. */
  readonly count = { executes: 0, reads: 0, lists: 0, tokens: 0, unauthorized: 0 };
  readonly accounts = new Map<string, ReturnType<typeof createPublicKey>>();
  private tokens = new Map<string, number>();
  /** The last token request: its form fields, and the assertion's header and claims. */
  lastTokenRequest:
    | { form: Record<string, string>; header: Record<string, unknown>; claims: Record<string, unknown> }
    | undefined;
  private seq = 0;
  private readonly prefix = randomUUID();
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(private readonly options: ScriptedTenantOptions = {}) {}

  static async start(options: ScriptedTenantOptions = {}): Promise<ScriptedTenant> {
    const t = new ScriptedTenant(options);
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    t.url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    return t;
  }

  createServiceAccount(): ServiceAccount {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = randomUUID();
    this.accounts.set(id, publicKey);
    return { id, jwk: JSON.stringify(privateKey.export({ format: 'jwk' })) };
  }

  /** Forgets every issued token, as a tenant does when it rotates its signing keys. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Starts a run now, as if executed; returns its id. */
  addRun(script: RunScript): string {
    const id = `${this.prefix}-${++this.seq}`;
    this.runs.set(id, { ...script, id, createdAt: Date.now() });
    return id;
  }

  /** When the run entered each state, in ms since the epoch (for measuring delays). */
  stateChanges(id: string): { state: string; at: number }[] {
    const r = this.runs.get(id);
    if (!r) return [];
    const active = r.createdAt + r.initializingMs;
    const out = [{ state: 'INITIALIZED', at: r.createdAt }];
    if (r.cancelledAt !== undefined && r.cancelledAt < active)
      return [...out, { state: 'CANCELLED', at: r.cancelledAt }];
    out.push({ state: 'ACTIVE', at: active });
    if (r.cancelledAt !== undefined && r.cancelledAt < active + r.activeMs) {
      return [...out, { state: 'CANCELLED', at: r.cancelledAt }];
    }
    return [...out, { state: 'COMPLETED', at: active + r.activeMs }];
  }

  record(id: string, now = Date.now()): Record<string, unknown> | undefined {
    const r = this.runs.get(id);
    if (!r) return undefined;
    const changes = this.stateChanges(id).filter((c) => c.at <= now);
    const state = changes[changes.length - 1].state;
    const active = r.createdAt + r.initializingMs;
    const until = state === 'CANCELLED' ? (r.cancelledAt as number) : now;
    const t = Math.min(1, Math.max(0, (until - active) / r.activeMs));
    // At COMPLETED the curve's end value: below 1 models objects skipped or claimed elsewhere (§4.1).
    const curve = r.curve ?? ((x: number) => x);
    const done = Math.floor(r.total * curve(state === 'COMPLETED' ? 1 : t));
    return {
      _id: r.id,
      name: `schedule/${r.job ?? 'job'}`,
      progress: {
        state,
        processed: done,
        total: state === 'INITIALIZED' ? 0 : r.total,
        successes: done,
        failures: 0,
      },
      started: new Date(r.createdAt).toISOString(),
      ended: state === 'COMPLETED' ? new Date(active + r.activeMs).toISOString() : null,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c) => (s += c));
      req.on('end', () => resolve(s));
    });
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const crest = (status: number, reason: string, message: string) =>
      send(status, { code: status, reason, message });

    if (url.pathname === '/am/oauth2/access_token' && req.method === 'POST') return this.token(body, send);
    if (!this.authorized(req)) {
      this.count.unauthorized++;
      return crest(401, 'Unauthorized', 'Access Denied');
    }
    const m = /^\/openidm\/taskscanner(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return crest(404, 'Not Found', 'Resource not found');
    const action = url.searchParams.get('_action');
    if (!m[1] && req.method === 'POST' && action === 'execute') {
      this.count.executes++;
      const job = url.searchParams.get('name') ?? 'job';
      return send(200, { _id: this.addRun({ initializingMs: 200, activeMs: 3000, total: 10, job }) });
    }
    if (!m[1] && req.method === 'GET') {
      this.count.lists++;
      const result = [...this.runs.keys()].map((id) => this.record(id));
      return send(200, {
        result,
        resultCount: result.length,
        pagedResultsCookie: null,
        totalPagedResultsPolicy: 'NONE',
        totalPagedResults: -1,
        remainingPagedResults: -1,
      });
    }
    const id = decodeURIComponent(m[1] ?? '');
    const rec = this.record(id);
    if (!rec) return crest(404, 'Not Found', `Task with id '${id}' not found.`);
    if (req.method === 'GET') {
      this.count.reads++;
      return send(200, rec);
    }
    if (req.method === 'POST' && action === 'cancel') {
      const state = (rec.progress as { state: string }).state;
      if (state === 'COMPLETED') return send(200, { _id: id, status: 'FAILURE' });
      const run = this.runs.get(id) as ScriptedRun;
      run.cancelledAt ??= Date.now();
      return send(200, { _id: id, status: 'SUCCESS' });
    }
    return crest(400, 'Bad Request', `Action '${action}' on Task '${id}' not supported`);
  }

  private authorized(req: IncomingMessage): boolean {
    if (
      req.headers['x-openidm-username'] === 'openidm-admin' &&
      req.headers['x-openidm-password'] === 'openidm-admin'
    ) {
      return true;
    }
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const exp = m ? this.tokens.get(m[1]) : undefined;
    return exp !== undefined && exp > Date.now();
  }

  private async token(body: string, send: (status: number, v: unknown) => void): Promise<void> {
    this.count.tokens++;
    if (this.options.tokenDelayMs) await new Promise((r) => setTimeout(r, this.options.tokenDelayMs));
    const form = new URLSearchParams(body);
    const bad = (description: string) =>
      send(400, { error: 'invalid_grant', error_description: description });
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return bad('unsupported grant');
    const [h, c, s] = (form.get('assertion') ?? '').split('.');
    if (!h || !c || !s) return bad('malformed assertion');
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown>;
    this.lastTokenRequest = {
      form: Object.fromEntries(form),
      header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
      claims,
    };
    const key = this.accounts.get(String(claims.iss));
    if (!key || !verify('sha256', Buffer.from(`${h}.${c}`), key, Buffer.from(s, 'base64url'))) {
      return bad('JWT is not valid');
    }
    if (claims.sub !== claims.iss || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
      return bad('JWT claims are not valid');
    }
    const token = randomUUID() + randomUUID();
    const lifetime = this.options.tokenLifetimeS ?? 899;
    this.tokens.set(token, Date.now() + lifetime * 1000);
    send(200, { access_token: token, scope: form.get('scope'), token_type: 'Bearer', expires_in: lifetime });
  }
}
