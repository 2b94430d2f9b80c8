/**
 * Stalls and memory under attack (issue 12, item 6 and "Also"; docs/security.md "Stalls", "Scripts").
 * The emulator runs as its own process (src/emulator/host.ts, file-backed); a probe in this process
 * sends `GET /scanjobs-emulator/info` every 10 ms while each attack runs and records how long each
 * answer took. Printed per attack: probes answered, median, 99th percentile and worst latency, and
 * the worst as a multiple of the idle median measured in the same run. Memory attacks run in a fresh
 * emulator each and print its resident memory before, at peak and after.
 *
 *   npx tsx bench/stalls.ts
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { withSeededEmulator } from './support/emulator';
import { probed as probe } from './support/probe';
import { ScriptEngine } from '../src/emulator/sandbox';

const ROOT = join(__dirname, '..');
const HEADERS = {
  'X-OpenIDM-Username': 'openidm-admin',
  'X-OpenIDM-Password': 'openidm-admin',
  'Content-Type': 'application/json',
};

// Replies are arbitrary JSON; each use reads the fields it needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: HEADERS,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function job(source: string, threads: number, filter = 'true', maxRecords?: number): Record<string, unknown> {
  return {
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: threads,
      ...(maxRecords ? { maxRecords } : {}),
      scan: {
        object: 'managed/alpha_user',
        _queryFilter: filter,
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
      },
      task: { script: { type: 'text/javascript', source } },
    },
  };
}

function withEmulator<T>(users: number, use: (url: string) => Promise<T>): Promise<T> {
  return withSeededEmulator(users, ({ url }) => use(url));
}

/** Probes that failed (connection reset or refused), over the whole bench. */
let probeErrors = 0;

/** Probes the emulator's info route until `work` settles (support/probe.ts); the latencies (ms). */
async function probed(url: string, work: () => Promise<unknown>): Promise<number[]> {
  const { latencies, errors } = await probe(() => call(`${url}/scanjobs-emulator/info`), work);
  probeErrors += errors;
  return latencies;
}

async function until(url: string, runIds: string[]): Promise<void> {
  for (;;) {
    const states = await Promise.all(
      runIds.map(async (id) => (await call(`${url}/openidm/taskscanner/${id}`)).body),
    );
    if (states.every((r) => !['INITIALIZED', 'ACTIVE'].includes(r.progress.state))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function execute(url: string, name: string, body: Record<string, unknown>): Promise<string> {
  await call(`${url}/openidm/scheduler/job/${name}`, 'PUT', body);
  const r = await call(`${url}/openidm/taskscanner?_action=execute&name=${name}`, 'POST');
  if (r.status !== 200) throw new Error(`execute ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body._id as string;
}

const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

let idleMedian = 1;
let errorsReported = 0;
function report(label: string, latencies: number[], extra = ''): void {
  const max = Math.max(...latencies);
  const errors = probeErrors - errorsReported;
  errorsReported = probeErrors;
  if (errors) extra = `${extra} ${errors} probe(s) failed`;
  console.log(
    `${label.padEnd(58)} ${String(latencies.length).padStart(6)} ${pct(latencies, 50).toFixed(1).padStart(8)} ${pct(latencies, 99).toFixed(1).padStart(8)} ${max.toFixed(1).padStart(8)} ${(max / idleMedian).toFixed(0).padStart(6)}x ${extra}`,
  );
}

async function memory(label: string, source: string, objects: number): Promise<void> {
  await withEmulator(200, async (url) => {
    const info = async () =>
      (await call(`${url}/scanjobs-emulator/info`)).body.memory as { rss: number; peakRss: number };
    const before = await info();
    let runId = '';
    const latencies = await probed(url, async () => {
      runId = await execute(url, 'bomb', job(source, 1, 'true', objects));
      await until(url, [runId]);
    });
    await new Promise((r) => setTimeout(r, 3000));
    const after = await info();
    const run = (await call(`${url}/openidm/taskscanner/${runId}`)).body.progress;
    report(
      label,
      latencies,
      `rss ${before.rss} MB -> peak ${after.peakRss} MB -> ${after.rss} MB after; ${run.failures}/${run.total} objects failed`,
    );
  });
}

/**
 * `--engine single|own`: in this process, 8 ArrayBuffer bombs in one engine on the shared QuickJS
 * module (as every engine was before issue 12) or in engines with a module of their own (as now);
 * prints resident memory after each. The main run starts one process per kind, side by side.
 */
async function engineMemory(kind: string): Promise<void> {
  const host = { call: () => null, log: () => undefined };
  const rss = () => Math.round(process.memoryUsage().rss / 1048576);
  const before = rss();
  const after: number[] = [];
  const shared = kind === 'single' ? await ScriptEngine.create(host) : undefined;
  for (let i = 0; i < 8; i++) {
    const engine = shared ?? (await ScriptEngine.isolated(host));
    engine.run('var a = []; for (;;) a.push(new ArrayBuffer(1 << 20));', '{"_id":"a"}', 'o/');
    if (!shared) engine.dispose();
    await new Promise((r) => setTimeout(r, 200));
    after.push(rss());
  }
  console.log(
    `${kind === 'single' ? 'one shared module (before)' : 'a module per engine (now)'}: rss ${before} MB -> ${after.join(', ')} MB after each of 8 bombs`,
  );
}

async function engines(): Promise<void> {
  for (const kind of ['single', 'own']) {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', __filename, '--engine', kind], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await new Promise((r) => child.on('exit', r));
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--engine') return engineMemory(process.argv[3]!);
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await engines();
  console.log(
    `${'attack'.padEnd(58)} ${'probes'.padStart(6)} ${'median'.padStart(8)} ${'p99'.padStart(8)} ${'worst'.padStart(8)} ${'÷idle'.padStart(7)}  (ms)`,
  );
  await withEmulator(20_000, async (url) => {
    const idle = await probed(url, () => new Promise((r) => setTimeout(r, 2000)));
    idleMedian = pct(idle, 50);
    report('idle, 20,000 users', idle);
    // Warm-up (JIT, QuickJS compile), not measured.
    await until(url, [await execute(url, 'warm', job('true', 2, 'true', 500))]);
    report(
      '20 runs at once over 20,000 users each (10 threads)',
      await probed(url, async () => {
        const ids = [];
        for (let i = 0; i < 20; i++) ids.push(await execute(url, `r${i}`, job('true', 10)));
        await until(url, ids);
      }),
    );
    report(
      'a REST query answering all 20,000 users, 5 in a row',
      await probed(url, async () => {
        for (let i = 0; i < 5; i++) await call(`${url}/openidm/managed/alpha_user?_queryFilter=true`);
      }),
    );
    let status = 0;
    report(
      'a 13 MB scan._queryFilter (execute)',
      await probed(url, async () => {
        const filter = `/userName eq "${'x'.repeat(13 * 1024 * 1024)}"`;
        await call(`${url}/openidm/scheduler/job/huge`, 'PUT', job('true', 1, filter));
        status = (await call(`${url}/openidm/taskscanner?_action=execute&name=huge`, 'POST')).status;
      }),
      `answer ${status}`,
    );
    report(
      'an endless loop in the script, 3 objects (2 s CPU limit each)',
      await probed(url, async () => {
        await until(url, [await execute(url, 'loop', job('for (;;) {}', 3, 'true', 3))]);
      }),
    );
  });
  await memory(
    'memory bomb: ArrayBuffers of 1 MB, 10 objects',
    'var a = []; for (;;) a.push(new ArrayBuffer(1 << 20));',
    10,
  );
  await memory('memory bomb: small objects, 5 objects', 'var a = []; for (;;) a.push({ x: a.length });', 5);
}

void main();
