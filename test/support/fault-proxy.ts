import { IncomingMessage, Server, ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to a request that a rule matches. */
export type Fault =
  /** Close the client's connection without forwarding: the server never sees the request. */
  | { kind: 'drop' }
  /** Forward, let the server act, then close the client's connection: the reply is lost. */
  | { kind: 'drop-after-forward' }
  /** Wait, then forward. */
  | { kind: 'delay'; ms: number }
  /** Answer with this status without forwarding (a CREST-shaped body unless one is given). */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  /** Forward, then send the headers and only part of the body before closing the connection. */
  | { kind: 'truncate' };

export interface FaultRule {
  method?: string;
  /** Matched against the path with its query string. */
  path?: RegExp;
  fault: Fault;
  /** How many matching requests it applies to; default every one. */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  at: number;
  /** False when the proxy answered or dropped it without reaching the server. */
  forwarded: boolean;
  fault?: Fault['kind'] | 'outage';
  /** The status the client was sent, when it was sent one. */
  status?: number;
}

/**
 * A reverse proxy between the client and a tenant that injects faults: dropped connections, delays,
 * 5xx, 429 with Retry-After, truncated bodies, and outages of a chosen length (idm-api.md §4.5:
 * the client must survive all of them). Listens on 127.0.0.1 only.
 */
export class FaultProxy {
  readonly log: ProxiedRequest[] = [];
  /** Every credential that crossed the proxy (passwords, bearer tokens, issued access tokens). */
  readonly secrets = new Set<string>();
  private rules: (FaultRule & { used: number })[] = [];
  private sockets = new Set<Socket>();
  private outageUntil = 0;
  private outageMode: 'reset' | 'refuse' = 'reset';
  private server: Server;
  private port = 0;
  /** Requests the proxy has taken in and not yet finished with (answered, forwarded or dropped). */
  private inFlight = 0;
  private whenSettled: (() => void)[] = [];

  private constructor(private readonly target: URL) {
    this.server = this.makeServer();
  }

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await proxy.listen(0);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  add(...rules: FaultRule[]): void {
    this.rules.push(...rules.map((r) => ({ ...r, used: 0 })));
  }

  clearRules(): void {
    this.rules = [];
  }

  /**
   * Makes the tenant go away for `ms`: with 'reset' every connection is accepted and closed at once
   * (requests may have been sent); with 'refuse' nothing listens, so connections are refused.
   * Resolves when the tenant is back.
   */
  async outage(ms: number, mode: 'reset' | 'refuse' = 'reset'): Promise<void> {
    this.outageUntil = Date.now() + ms;
    this.outageMode = mode;
    for (const s of this.sockets) s.destroy();
    if (mode === 'refuse') {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      await new Promise((r) => setTimeout(r, ms));
      this.server = this.makeServer();
      await this.listen(this.port);
    } else {
      await new Promise((r) => setTimeout(r, ms));
    }
    this.outageUntil = 0;
  }

  /**
   * Resolves once the proxy has finished with every request it has taken in: a delayed request has been
   * forwarded and the server's reply has come back. Tests wait for this, not for a guessed interval,
   * before they count what reached the server.
   */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenSettled.push(resolve));
  }

  /** Requests that reached the server and match. */
  forwarded(method: string, path: RegExp): ProxiedRequest[] {
    return this.log.filter((r) => r.forwarded && r.method === method && path.test(r.path));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server.listening ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private makeServer(): Server {
    const server = createServer((req, res) => void this.track(this.handle(req, res)));
    server.on('connection', (socket) => {
      if (this.outageUntil > Date.now() && this.outageMode === 'reset') {
        socket.destroy();
        this.log.push({ method: '?', path: '?', at: Date.now(), forwarded: false, fault: 'outage' });
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private pickFault(method: string, path: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !rule.path.test(path)) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      rule.used++;
      return rule.fault;
    }
    return undefined;
  }

  private async track(handling: Promise<void>): Promise<void> {
    this.inFlight++;
    try {
      await handling;
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.whenSettled.splice(0)) resolve();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const entry: ProxiedRequest = { method, path, at: Date.now(), forwarded: false };
    this.noteSecrets(req, body);
    this.log.push(entry);
    const fault = this.pickFault(method, path);
    entry.fault = fault?.kind;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      entry.status = fault.status;
      res.writeHead(fault.status, headers);
      res.end(
        fault.body ??
          JSON.stringify({ code: fault.status, reason: 'Injected', message: 'injected by the fault proxy' }),
      );
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    let upstream: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };
    try {
      entry.forwarded = true;
      upstream = await this.forward(method, path, req.headers, body);
    } catch {
      entry.status = 502;
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 502,
          reason: 'Bad Gateway',
          message: 'the fault proxy could not reach the tenant',
        }),
      );
      return;
    }
    if (
      fault?.kind === 'drop-after-forward' ||
      (this.outageUntil > Date.now() && this.outageMode === 'reset')
    ) {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'truncate') {
      res.writeHead(upstream.status, { ...upstream.headers, 'content-length': String(upstream.body.length) });
      res.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
      setTimeout(() => req.socket.destroy(), 10);
      return;
    }
    entry.status = upstream.status;
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private noteSecrets(req: IncomingMessage, body: Buffer): void {
    const auth = req.headers.authorization;
    if (typeof auth === 'string') this.secrets.add(auth.replace(/^Bearer\s+/i, ''));
    const password = req.headers['x-openidm-password'];
    if (typeof password === 'string' && password !== req.headers['x-openidm-username'])
      this.secrets.add(password);
    const assertion = new URLSearchParams(body.toString('utf8')).get('assertion');
    if (assertion) this.secrets.add(assertion);
  }

  private noteIssuedToken(body: Buffer): void {
    try {
      const token = (JSON.parse(body.toString('utf8')) as { access_token?: unknown }).access_token;
      if (typeof token === 'string') this.secrets.add(token);
    } catch {
      // not JSON: nothing issued
    }
  }

  private forward(
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: this.target.hostname,
          port: this.target.port,
          method,
          path,
          headers: { ...headers, host: this.target.host, connection: 'close' },
        },
        (up) => {
          void readAll(up).then((buf) => {
            const { connection: _c, 'transfer-encoding': _t, 'keep-alive': _k, ...rest } = up.headers;
            resolve({
              status: up.statusCode ?? 502,
              headers: { ...rest, 'content-length': String(buf.length) },
              body: buf,
            });
          }, reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
