/** Builders and an HTTP client for the emulator tests: real server on 127.0.0.1, port 0. */
import { EmulatorHandle, EmulatorOptions, startEmulator } from '../../src/emulator/server';

export const ADMIN_HEADERS = { 'X-OpenIDM-Username': 'openidm-admin', 'X-OpenIDM-Password': 'openidm-admin' };

/** Response bodies are arbitrary JSON; each test asserts the fields it reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(
    readonly base: string,
    private readonly auth: Record<string, string> = ADMIN_HEADERS,
  ) {}

  async request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...this.auth,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as T) : (undefined as T),
      headers: res.headers,
    };
  }

  get<T = Json>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  put<T = Json>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }
  post<T = Json>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  delete<T = Json>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, undefined, headers);
  }
  patch<T = Json>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }
}

export interface Started {
  emulator: EmulatorHandle;
  client: Client;
  logs: string[];
}

export async function start(options: EmulatorOptions = {}): Promise<Started> {
  const logs: string[] = [];
  const emulator = await startEmulator({
    port: 0,
    inMemory: !options.dataDir,
    log: (l) => logs.push(l),
    ...options,
  });
  return { emulator, client: new Client(emulator.url), logs };
}

/** A settable clock for scheduler timing tests. */
export function manualClock(iso: string): {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
} {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set: (v) => {
      t = Date.parse(v);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface ScanJobSpec {
  object?: string;
  filter?: string;
  source?: string;
  threads?: number;
  maxRecords?: number;
  recovery?: string;
  waitForCompletion?: boolean;
  taskState?: { started?: string; completed?: string } | null;
  fields?: string;
  globals?: Record<string, unknown>;
  enabled?: boolean;
  schedule?: string;
  type?: 'cron' | 'simple';
  startTime?: string;
  repeatInterval?: number;
  repeatCount?: number;
  concurrentExecution?: boolean;
  misfirePolicy?: string;
  persisted?: boolean;
}

/** The documentation's sunset job, filter corrected (idm-api.md §5.2), on a seeded resource. */
export const SUNSET_FILTER = '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))';

/** A task-scanner job body; by default a cron job far from firing, so only `execute` runs it. */
export function scanJob(spec: ScanJobSpec = {}): Record<string, unknown> {
  const scan: Record<string, unknown> = {
    _queryFilter: spec.filter ?? SUNSET_FILTER,
    object: spec.object ?? 'managed/alpha_user',
  };
  if (spec.taskState !== null) {
    scan.taskState = {
      started: '/sunset/task-started',
      completed: '/sunset/task-completed',
      ...spec.taskState,
    };
  }
  if (spec.recovery) scan.recovery = { timeout: spec.recovery };
  if (spec.fields) scan._fields = spec.fields;
  const script: Record<string, unknown> = { type: 'text/javascript', source: spec.source ?? 'true' };
  if (spec.globals) script.globals = spec.globals;
  const type = spec.type ?? 'cron';
  return {
    enabled: spec.enabled ?? true,
    persisted: spec.persisted ?? true,
    type,
    ...(type === 'cron' ? { schedule: spec.schedule ?? '0 0 0 1 1 ? 2099' } : {}),
    ...(spec.startTime ? { startTime: spec.startTime } : {}),
    ...(spec.repeatInterval !== undefined ? { repeatInterval: spec.repeatInterval } : {}),
    ...(spec.repeatCount !== undefined ? { repeatCount: spec.repeatCount } : {}),
    ...(spec.concurrentExecution !== undefined ? { concurrentExecution: spec.concurrentExecution } : {}),
    ...(spec.misfirePolicy ? { misfirePolicy: spec.misfirePolicy } : {}),
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: spec.waitForCompletion ?? false,
      numberOfThreads: spec.threads ?? 5,
      ...(spec.maxRecords ? { maxRecords: spec.maxRecords } : {}),
      scan,
      task: { script },
    },
  };
}

export interface UserSpec {
  id: string;
  sunsetDate?: string;
  started?: string;
  completed?: string;
  extra?: Record<string, unknown>;
}

/** A managed user with sunset fields. */
export function user(spec: UserSpec): Record<string, unknown> {
  const sunset: Record<string, unknown> = { date: spec.sunsetDate ?? '2020-01-01T00:00:00.000Z' };
  if (spec.started !== undefined) sunset['task-started'] = spec.started;
  if (spec.completed !== undefined) sunset['task-completed'] = spec.completed;
  return {
    userName: spec.id,
    givenName: 'Test',
    sn: spec.id,
    mail: `${spec.id}@example.com`,
    accountStatus: 'active',
    sunset,
    ...spec.extra,
  };
}

export async function putUsers(client: Client, users: UserSpec[], object = 'alpha_user'): Promise<void> {
  for (const u of users) {
    const r = await client.put(`/openidm/managed/${object}/${u.id}`, user(u));
    if (r.status !== 201 && r.status !== 200)
      throw new Error(`seeding ${u.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

export type RunRecord = {
  _id: string;
  name: string;
  progress: { state: string; processed: number; total: number; successes: number; failures: number };
  started: string | null;
  ended: string | null;
};

/** Polls a run until it leaves INITIALIZED/ACTIVE (or `until` holds); fails after `ms`. */
export async function waitForRun(
  client: Client,
  runId: string,
  until?: (r: RunRecord) => boolean,
  ms = 20_000,
): Promise<RunRecord> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await client.get<RunRecord>(`/openidm/taskscanner/${runId}`);
    if (r.status !== 200) throw new Error(`run ${runId}: ${r.status} ${JSON.stringify(r.body)}`);
    const done = until ? until(r.body) : !['INITIALIZED', 'ACTIVE'].includes(r.body.progress.state);
    if (done) return r.body;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${JSON.stringify(r.body.progress)} after ${ms} ms`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

export async function execute(client: Client, name: string): Promise<string> {
  const r = await client.post(`/openidm/taskscanner?_action=execute&name=${encodeURIComponent(name)}`);
  if (r.status !== 200) throw new Error(`execute ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body._id as string;
}

export async function waitFor(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/**
 * A script that spends `ms` of CPU per object and succeeds. Tests run the client in the emulator's
 * own process, so a scan blocks the client too between batches: keep `ms` small and objects many.
 */
export function busyScript(ms: number, tail = 'true'): string {
  return `var end = Date.now() + ${ms}; while (Date.now() < end) {} ${tail}`;
}

export function manyUsers(count: number, prefix = 'user'): UserSpec[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${String(i).padStart(4, '0')}` }));
}
