/**
 * The local tenant over HTTP: `startEmulator` opens the store, starts the scheduler and listens on
 * 127.0.0.1 (unless told otherwise). Every route needs credentials except the token endpoint, which
 * is how credentials are obtained (idm-api.md §6).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { JWK } from 'jose';
import { OAuthError } from './auth';
import { parseJsonBody, readBody } from './body';
import { CrestError, CrestRequest, header, operationOf, parseApiVersion } from './crest';
import { quickJS, SandboxLimits } from './sandbox';
import { seedUsers } from './seed';
import { SqliteDriver } from './sqlite';
import { type Flavor, type FlavorName, escapeMessage, flavorNamed } from './flavor';
import { Tenant } from './tenant';
import type { ManagedObjectDefinition } from './managed';
import { configRoute, restoreScheduleConfigs } from './routes/config';
import { managedRoute } from './routes/managed';
import { Reply, Route, RouteContext } from './routes/reply';
import { schedulerRoute } from './routes/scheduler';
import { emulatorRoute, scriptRoute } from './routes/script';
import { taskscannerRoute } from './routes/taskscanner';
import { LogApi } from './routes/logs';
import { LOCAL_TENANT } from '../core/tenant/connect';
import type { LogKey } from '../core/logs/types';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  inMemory?: boolean;
  seedUsers?: number;
  strict?: boolean;
  /** Which platform to play: `aic` (default) or `openidm` (6.1.0 as observed live; flavor.ts). */
  flavor?: FlavorName;
  clock?: () => Date;
  log?: (line: string) => void;
  /** Per-object script limits (CPU ms, heap bytes). */
  scriptLimits?: Partial<SandboxLimits>;
  /** Threads that run scripts, at most (default 4; src/emulator/scriptthreads.ts). */
  scriptThreads?: number;
  /** How often the scheduler looks for due triggers (ms). */
  tickMs?: number;
  /** Force a SQLite driver (default: node:sqlite when the runtime has it). */
  sqliteDriver?: SqliteDriver;
  /** Log API keys accepted by `/monitoring/logs` (default: the local tenant's built-in key). */
  logKeys?: LogKey[];
  /** The log API's rate limit (default AIC's 60 requests a minute); tests make the window short. */
  logRate?: { limit: number; windowMs: number };
  /**
   * Managed object types to serve beside the seeded ones, with their schemas (a dry run's copy of
   * the source tenant's object). Kept in `<data>/managed-objects.json`, so the tenant reopens with them.
   */
  managedObjects?: ManagedObjectDefinition[];
  /** Record every openidm.* call of a scan's script in its run log (trace lines; docs/preview.md). */
  traceScriptCalls?: boolean;
}

export interface EmulatorHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  createServiceAccount(): Promise<{ id: string; jwk: JWK }>;
  /** Fires every due scheduler trigger now (tests drive an injected clock with it). */
  tick(): Promise<void>;
  /** The SQLite driver in use. */
  sqliteDriver: SqliteDriver;
  /** Registers a new log API key (kept in memory: it dies with the process). */
  createLogKey(): LogKey;
  /** The log API's counters: requests answered and 429s given (for benchmarks). */
  logApiStats(): { requests: number; refused: number };
  /**
   * Ends every script thread as a crash would (fault injection for tests); resolves with how many
   * there were. Their runs record the objects they were on as failed and go on on new threads.
   */
  crashScriptThreads(): Promise<number>;
}

// A Map, not an object literal: `/openidm/toString` or `/openidm/__proto__` must find nothing (404).
const ROUTES = new Map<string, Route>([
  ['scheduler', schedulerRoute],
  ['taskscanner', taskscannerRoute],
  ['managed', managedRoute],
  ['config', configRoute],
  ['script', scriptRoute],
]);

function send(res: ServerResponse, reply: Reply): void | Promise<void> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...reply.headers };
  if (reply.stream) return sendStream(res, reply.status, headers, reply.stream);
  if (reply.body === undefined) {
    res.writeHead(reply.status === 200 ? 204 : reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json; charset=UTF-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Writes a body piece by piece, waiting for the socket to drain between pieces. */
async function sendStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  pieces: Iterable<string>,
): Promise<void> {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=UTF-8' });
  for (const piece of pieces) {
    if (!res.write(piece)) await new Promise<void>((resolve) => res.once('drain', resolve));
    if (res.destroyed) return;
  }
  res.end();
}

const MANAGED_OBJECTS_FILE = 'managed-objects.json';

/** The extra managed objects: given ones are written beside the data; otherwise those kept there. */
function managedObjectsOf(options: EmulatorOptions): ManagedObjectDefinition[] {
  const file = options.dataDir ? join(options.dataDir, MANAGED_OBJECTS_FILE) : undefined;
  if (options.managedObjects) {
    if (file) {
      mkdirSync(options.dataDir!, { recursive: true });
      writeFileSync(file, `${JSON.stringify(options.managedObjects, null, 2)}\n`);
    }
    return options.managedObjects;
  }
  if (!file || !existsSync(file)) return [];
  return readManagedObjects(file);
}

/** A JSON array of `{name, schema}`; anything else is an error naming the file. */
export function readManagedObjects(file: string): ManagedObjectDefinition[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `cannot read the managed objects in ${file}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  if (
    !Array.isArray(value) ||
    !value.every(
      (d) =>
        d !== null &&
        typeof d === 'object' &&
        typeof (d as { name?: unknown }).name === 'string' &&
        /^[A-Za-z0-9_.-]+$/.test((d as { name: string }).name),
    )
  )
    throw new Error(`${file} must hold a JSON array of {"name": "<object>", "schema": {…}}`);
  return value as ManagedObjectDefinition[];
}

/** Node's limit on the request line plus headers (its default, kept): past it the request is refused. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * A request Node's parser refuses before any route sees it (too long a URL or headers, malformed
 * HTTP) still gets a CREST error body (§1.3), not Node's bare status line: 414 when the request line
 * alone passes the limit, 431 for headers, 400 for anything else.
 */
function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let error: CrestError;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const head = err.rawPacket?.subarray(0, MAX_HEADER_BYTES).toString('latin1') ?? '';
    error = head.includes('\r\n')
      ? new CrestError(431, `The request headers are larger than ${MAX_HEADER_BYTES / 1024} KB`)
      : new CrestError(
          414,
          `The request URL is longer than ${MAX_HEADER_BYTES / 1024} KB: send long filters in a job (scan._queryFilter), not in the URL`,
        );
  } else {
    error = new CrestError(400, `The request is not valid HTTP (${err.code ?? err.message})`);
  }
  const text = JSON.stringify(error.body());
  socket.end(
    `HTTP/1.1 ${error.code} ${error.reason}\r\nContent-Type: application/json; charset=UTF-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n${text}`,
  );
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? (() => new Date());
  const strict = options.strict ?? false;
  const flavor = flavorNamed(options.flavor);
  const tenant = await openTenant(options, { log, clock, strict, flavor });
  const context: RouteContext = { tenant, baseUrl: '', strict, flavor };
  const logApi = new LogApi(tenant.logs, {
    keys: [...(options.logKeys ?? [LOCAL_TENANT.logKey])],
    rate: options.logRate,
    clock,
  });
  const server = httpServer(requestHandler(context, logApi), log, flavor);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 8080, tenant);
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    log(
      `emulator: listening on ${host}, not only on this machine: anyone who can reach it may try to sign in`,
    );
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  context.baseUrl = url;
  return emulatorHandle(url, port, server, tenant, logApi);
}

/** The tenant: store, seeded users, restored schedules, scheduler started; closed again on failure. */
async function openTenant(
  options: EmulatorOptions,
  settings: { log: (line: string) => void; clock: () => Date; strict: boolean; flavor: Flavor },
): Promise<Tenant> {
  const { log, clock, strict, flavor } = settings;
  const tenant = new Tenant({
    managedObjects: managedObjectsOf(options),
    traceScriptCalls: options.traceScriptCalls,
    dataDir: options.dataDir,
    inMemory: options.inMemory ?? !options.dataDir,
    driver: options.sqliteDriver,
    clock,
    log,
    strict,
    flavor,
    quickjs: await quickJS(),
    limits: options.scriptLimits,
    scriptThreads: options.scriptThreads,
    tickMs: options.tickMs,
  });
  try {
    if (options.seedUsers && options.seedUsers > 0) {
      const written = seedUsers(tenant.store, tenant.objects, options.seedUsers, clock());
      for (const [collection, n] of Object.entries(written)) {
        log(n ? `seeded ${n} users in ${collection}` : `${collection} already has users; not seeding`);
      }
    }
    restoreScheduleConfigs(tenant, strict);
    tenant.start();
  } catch (err) {
    tenant.store.close();
    throw err;
  }
  return tenant;
}

/** The URL path's segments, percent-decoded; a bad escape is a 400 naming the segment. */
function pathSegments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new CrestError(400, `The path segment '${s}' is not valid percent-encoding`);
      }
    });
}

/** `/am/oauth2/access_token`: the one route without credentials, since it is how they are obtained. */
async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, tenant: Tenant): Promise<void> {
  if ((req.method ?? 'GET').toUpperCase() !== 'POST')
    throw new CrestError(405, 'The token endpoint takes POST');
  const form = new URLSearchParams(await readBody(req));
  try {
    send(res, { status: 200, body: await tenant.auth.issueToken(form) });
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    send(res, { status: err.status, body: { error: err.error, error_description: err.message } });
  }
}

/** Signs the request in and routes it: the log API, the emulator's own routes, then `/openidm/<service>`. */
function requestHandler(
  context: RouteContext,
  logApi: LogApi,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { tenant, flavor } = context;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const segments = pathSegments(url);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/am/oauth2/access_token') return tokenEndpoint(req, res, tenant);
    const [root, service, ...rest] = segments;
    // AIC's log API: its own key headers, not the tenant's sign-in (routes/logs.ts). OpenIDM has none.
    if (root === 'monitoring' && flavor.logApi)
      return send(res, logApi.handle(method, segments, url.searchParams, req.headers));
    if (root !== 'openidm' && root !== 'scanjobs-emulator') {
      throw new CrestError(404, `Resource '${url.pathname}' not found`);
    }
    tenant.auth.authenticate(req.headers);
    const version = parseApiVersion(header(req.headers, 'accept-api-version'));
    const op = operationOf(method, url.searchParams, req.headers);
    const body = parseJsonBody(await readBody(req), header(req.headers, 'content-type'));
    const crest: CrestRequest = {
      method,
      path: root === 'openidm' ? rest : service === undefined ? [] : [service, ...rest],
      params: url.searchParams,
      ...op,
      body,
      resourceVersion: version.resource,
      headers: req.headers,
    };
    if (root === 'scanjobs-emulator') return send(res, await emulatorRoute(crest, context));
    const route = service === undefined ? undefined : ROUTES.get(service);
    if (!route) throw new CrestError(404, `Resource 'openidm/${service ?? ''}' not found`);
    const reply = await route(crest, context);
    tenant.logs.access(method, url.pathname, reply.status);
    const served = version.resource ?? (service === 'scheduler' ? '2.0' : '1.0');
    await send(res, {
      ...reply,
      headers: { ...reply.headers, 'Content-API-Version': `protocol=${version.protocol},resource=${served}` },
    });
  };
}

/** The HTTP server: every failure becomes a CREST error body (§1.3); unexpected ones are logged. */
function httpServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  log: (line: string) => void,
  flavor: Flavor,
): Server {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const error =
        err instanceof CrestError
          ? err
          : new CrestError(500, err instanceof Error ? err.message : String(err));
      if (!(err instanceof CrestError))
        log(
          `emulator: ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      const body = error.body();
      // OpenIDM 6.1.0 HTML-escapes its error messages (shared openidm/README.md item 8).
      if (flavor.escapesMessages) body.message = escapeMessage(String(body.message));
      if (!res.headersSent) send(res, { status: error.code, body });
      else res.destroy();
    });
  });
  // Node closes an idle keep-alive connection after 5 s by default; after a pause of the event loop
  // that timer can fire just as the client reuses the connection, which then sees ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    answerClientError(err, socket);
  });
  return server;
}

/** Listens, and resolves with the port; on failure closes the tenant and names the problem. */
async function listen(server: Server, host: string, wanted: number, tenant: Tenant): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // Nothing may keep running (the scheduler's timer would keep the process alive).
    await tenant.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(
        `port ${wanted} on ${host} is in use; choose another with --port (0 picks a free one)`,
        {
          cause: err,
        },
      );
    if (code === 'EADDRNOTAVAIL')
      throw new Error(`cannot listen on ${host}: no such address on this machine (--host)`, { cause: err });
    throw err;
  }
  return (server.address() as AddressInfo).port;
}

function emulatorHandle(
  url: string,
  port: number,
  server: Server,
  tenant: Tenant,
  logApi: LogApi,
): EmulatorHandle {
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    sqliteDriver: tenant.store.db.driver,
    tick: () => tenant.scheduler.tick(),
    createServiceAccount: () => tenant.auth.createServiceAccount(),
    createLogKey: () => {
      const key = { id: randomBytes(16).toString('hex'), secret: randomBytes(32).toString('hex') };
      logApi.addKey(key);
      return key;
    },
    logApiStats: () => ({ requests: logApi.requests, refused: logApi.refused }),
    crashScriptThreads: () => tenant.threads.crash(),
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await tenant.close();
      })();
      return closing;
    },
  };
}
