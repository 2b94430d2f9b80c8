/**
 * Emulator benchmark: task-scan throughput (objects per second) for 10,000 and 100,000 users with 1
 * and 5 threads and a trivial script, query latency on 100,000 users, and the emulator's peak memory.
 * Targets (issue 4): >= 20,000 objects/s, 100,000 users in < 10 s, < 300 MB resident.
 * Each measurement starts the emulator as its own process (src/emulator/host.ts) on a freshly seeded,
 * file-backed tenant (SQLite in WAL mode) and talks to it over HTTP, as the CLI and the extension do.
 *
 *   npx tsx bench/emulator.ts            # both sizes
 *   npx tsx bench/emulator.ts 10000      # one size
 */
import { withSeededEmulator } from './support/emulator';

const HEADERS = {
  'X-OpenIDM-Username': 'openidm-admin',
  'X-OpenIDM-Password': 'openidm-admin',
  'Content-Type': 'application/json',
};

/** Every user, trivial script, waitForCompletion so the execute call times the whole run. */
function job(threads: number): Record<string, unknown> {
  return {
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: true,
      numberOfThreads: threads,
      scan: {
        object: 'managed/alpha_user',
        _queryFilter: 'true',
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
      },
      task: { script: { type: 'text/javascript', source: 'true' } },
    },
  };
}

async function call(url: string, method = 'GET', body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

interface Tenant {
  url: string;
  seedSeconds: number;
}

let peakRss = 0;

/** Runs `use` against a freshly seeded emulator process; records its peak memory. */
function withTenant<T>(users: number, use: (tenant: Tenant) => Promise<T>): Promise<T> {
  return withSeededEmulator(users, async ({ url, startSeconds }) => {
    const result = await use({ url, seedSeconds: startSeconds });
    const info = (await call(`${url}/scanjobs-emulator/info`)) as { memory: { peakRss: number } };
    peakRss = Math.max(peakRss, info.memory.peakRss);
    return result;
  });
}

/** Wall-clock and emulator-CPU seconds for one run over all `users`. */
function scan(users: number, threads: number): Promise<{ wall: number; cpu: number }> {
  return withTenant(users, async ({ url }) => {
    await call(`${url}/openidm/scheduler/job/bench`, 'PUT', job(threads));
    // Warm-up, not timed: JIT and QuickJS start-up are paid once per process, not per scan.
    await call(`${url}/openidm/scheduler/job/warm`, 'PUT', {
      ...job(threads),
      invokeContext: { ...(job(threads).invokeContext as object), maxRecords: 2000 },
    });
    await call(`${url}/openidm/taskscanner?_action=execute&name=warm`, 'POST');
    const cpu0 = (await call(`${url}/scanjobs-emulator/info`)).cpuMs as number;
    const t0 = performance.now();
    const { _id } = await call(`${url}/openidm/taskscanner?_action=execute&name=bench`, 'POST');
    const wall = (performance.now() - t0) / 1000;
    const cpu = (((await call(`${url}/scanjobs-emulator/info`)).cpuMs as number) - cpu0) / 1000;
    const run = (await call(`${url}/openidm/taskscanner/${String(_id)}`)) as {
      progress: { state: string; successes: number };
    };
    if (run.progress.state !== 'COMPLETED' || run.progress.successes !== users)
      throw new Error(`unexpected run: ${JSON.stringify(run.progress)}`);
    return { wall, cpu };
  });
}

async function queries(users: number): Promise<void> {
  await withTenant(users, async ({ url, seedSeconds }) => {
    console.log(
      `\nqueries on ${users.toLocaleString('en')} users (started and seeded in ${seedSeconds.toFixed(1)} s), median of 5:`,
    );
    const due = encodeURIComponent(
      `((/sunset/date lt "${new Date().toISOString()}") AND !(/sunset/task-completed pr))`,
    );
    for (const [label, query] of [
      ['sunset filter, all matches', `_queryFilter=${due}`],
      ['sunset filter, first page of 50', `_queryFilter=${due}&_pageSize=50`],
      [
        'sunset filter, first page of 50, EXACT total',
        `_queryFilter=${due}&_pageSize=50&_totalPagedResultsPolicy=EXACT`,
      ],
      ['userName eq (one match)', `_queryFilter=${encodeURIComponent('userName eq "ada.lovelace400"')}`],
    ] as const) {
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        count = (await call(`${url}/openidm/managed/alpha_user?${query}`)).resultCount as number;
        times.push(performance.now() - t0);
      }
      console.log(`  ${label}: ${median(times).toFixed(0)} ms (${count} in the reply)`);
    }
  });
}

async function main(): Promise<void> {
  const sizes = process.argv[2] ? [Number(process.argv[2])] : [10_000, 100_000];
  console.log(`bench/emulator.ts on Node ${process.version}, ${new Date().toISOString()}`);
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let slowest100k: number | undefined;
  for (const users of sizes) {
    const perThreads: Record<number, number> = {};
    console.log(`\nscan of ${users.toLocaleString('en')} users, trivial script:`);
    for (const threads of [1, 5]) {
      const { wall, cpu } = await scan(users, threads);
      perThreads[threads] = users / wall;
      rates.push(users / wall);
      cpuRates.push(users / cpu);
      if (users === 100_000) slowest100k = Math.max(slowest100k ?? 0, wall);
      console.log(
        `  ${threads} thread(s): ${wall.toFixed(2)} s, ${Math.round(users / wall).toLocaleString('en')} objects/s; ` +
          `emulator CPU ${cpu.toFixed(2)} s, ${Math.round(users / cpu).toLocaleString('en')} objects per CPU-second`,
      );
    }
    console.log(
      `  5 threads / 1 thread: ${(perThreads[5]! / perThreads[1]!).toFixed(2)}x (workers take turns on the main thread; a run's scripts run on one script thread at a time)`,
    );
  }
  const scanPeak = peakRss;
  if (sizes.includes(100_000)) await queries(100_000);
  const worst = Math.min(...rates);
  console.log(
    `\nemulator peak resident memory, scans: ${scanPeak} MB = ${(scanPeak / 300).toFixed(2)}x the 300 MB ceiling`,
  );
  console.log(
    `emulator peak resident memory, all: ${peakRss} MB = ${(peakRss / 300).toFixed(2)}x the 300 MB ceiling`,
  );
  console.log(
    `slowest scan: ${Math.round(worst).toLocaleString('en')} objects/s = ${(worst / 20_000).toFixed(2)}x the 20,000 objects/s target`,
  );
  const worstCpu = Math.min(...cpuRates);
  console.log(
    `slowest scan per emulator CPU-second: ${Math.round(worstCpu).toLocaleString('en')} objects = ${(worstCpu / 20_000).toFixed(2)}x the target (what one free core gives)`,
  );
  if (slowest100k !== undefined)
    console.log(
      `100,000 users: slowest scan ${slowest100k.toFixed(2)} s = ${(slowest100k / 10).toFixed(2)}x the 10 s budget`,
    );
}

void main();
