/**
 * Ping latency while a hostile script runs, against idle (issue 12, item 6 and "Also"; BENCHMARKS.md
 * "Script threads"). The emulator runs as its own process (src/emulator/host.ts, file-backed, 200
 * users); a probe sends `GET /scanjobs-emulator/info` one after another (10 ms apart) while each case
 * runs. Printed per case: probes, median, p99 and worst latency, the median and the worst as multiples
 * of the idle median measured in the same process, and the emulator's resident memory before, at peak
 * and after. Cases: idle; one object's endless loop (2 s CPU limit); one object's memory bomb (64 MB
 * heap); four runs each on an endless loop at once.
 *
 *   npx tsx bench/hostile.ts
 */
import { loadavg } from 'node:os';
import { withSeededEmulator } from './support/emulator';
import { probed } from './support/probe';

const HEADERS = {
  'X-OpenIDM-Username': 'openidm-admin',
  'X-OpenIDM-Password': 'openidm-admin',
  'Content-Type': 'application/json',
};

// Replies are arbitrary JSON; each use reads the fields it needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(url: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

function job(source: string, filter: string): Record<string, unknown> {
  return {
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: 1,
      maxRecords: 1,
      scan: {
        object: 'managed/alpha_user',
        _queryFilter: filter,
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
      },
      task: { script: { type: 'text/javascript', source } },
    },
  };
}

function withEmulator(use: (url: string) => Promise<void>): Promise<void> {
  return withSeededEmulator(200, ({ url }) => use(url));
}

async function finished(url: string, ids: string[]): Promise<void> {
  for (;;) {
    const runs = await Promise.all(ids.map((id) => call(`${url}/openidm/taskscanner/${id}`)));
    if (runs.every((r) => !['INITIALIZED', 'ACTIVE'].includes(r.progress.state))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts one run per source, each on its own user, and waits for all of them. */
async function hostile(url: string, sources: string[]): Promise<void> {
  const ids: string[] = [];
  const users = (await call(`${url}/openidm/managed/alpha_user?_queryId=query-all-ids`)).result;
  for (const [i, source] of sources.entries()) {
    const name = `hostile${Date.now()}${i}`;
    await call(`${url}/openidm/scheduler/job/${name}`, 'PUT', job(source, `_id eq "${users[i]._id}"`));
    ids.push((await call(`${url}/openidm/taskscanner?_action=execute&name=${name}`, 'POST'))._id);
  }
  await finished(url, ids);
}

const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

const LOOP = 'for (;;) {}';
const BOMB = 'var a = []; for (;;) a.push({ x: a.length });';

async function main(): Promise<void> {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${'case'.padEnd(40)} ${'probes'.padStart(6)} ${'median'.padStart(8)} ${'p99'.padStart(8)} ${'worst'.padStart(9)} ${'med÷idle'.padStart(9)} ${'worst÷idle'.padStart(11)}  memory (MB)`,
  );
  await withEmulator(async (url) => {
    const memory = async () =>
      (await call(`${url}/scanjobs-emulator/info`)).memory as { rss: number; peakRss: number };
    // Warm-up (JIT, the first script thread), not measured.
    await hostile(url, ['true']);
    let idleMedian = 1;
    const cases: [string, () => Promise<unknown>][] = [
      ['idle (3 s)', () => new Promise((r) => setTimeout(r, 3000))],
      ['an endless loop, 1 object (2 s CPU limit)', () => hostile(url, [LOOP])],
      ['a memory bomb, 1 object (64 MB heap)', () => hostile(url, [BOMB])],
      ['4 runs on an endless loop at once', () => hostile(url, [LOOP, LOOP, LOOP, LOOP])],
    ];
    for (const [label, work] of cases) {
      const before = await memory();
      const { latencies, errors } = await probed(() => call(`${url}/scanjobs-emulator/info`), work);
      const after = await memory();
      const median = pct(latencies, 50);
      if (label.startsWith('idle')) idleMedian = median;
      const worst = Math.max(...latencies);
      console.log(
        `${label.padEnd(40)} ${String(latencies.length).padStart(6)} ${median.toFixed(1).padStart(8)} ${pct(latencies, 99).toFixed(1).padStart(8)} ${worst.toFixed(1).padStart(9)} ${(median / idleMedian).toFixed(2).padStart(8)}x ${(worst / idleMedian).toFixed(1).padStart(10)}x  ${before.rss} -> peak ${after.peakRss} -> ${after.rss}${errors ? `  ${errors} probe(s) failed` : ''}`,
      );
    }
  });
}

void main();
