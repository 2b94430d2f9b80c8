/**
 * Emulator benchmark: task-scan throughput (objects per second) for 10,000 and 100,000 users with 1
 * and 5 threads and a trivial script, query latency on 100,000 users, and peak memory.
 * Targets (issue 4): >= 20,000 objects/s, 100,000 users in < 10 s, < 300 MB resident.
 * Each scan runs on a freshly seeded, file-backed tenant (SQLite in WAL mode), over HTTP.
 *
 *   npx tsx bench/emulator.ts            # both sizes
 *   npx tsx bench/emulator.ts 10000      # one size
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHandle, startEmulator } from '../src/emulator/server';

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
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function withTenant<T>(
  users: number,
  use: (emulator: EmulatorHandle, seedSeconds: number) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'scanjobs-bench-'));
  const t0 = performance.now();
  const emulator = await startEmulator({ port: 0, dataDir: dir, seedUsers: users, log: () => {} });
  try {
    return await use(emulator, (performance.now() - t0) / 1000);
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds for one run over all `users`. */
async function scan(users: number, threads: number): Promise<number> {
  return withTenant(users, async (emulator) => {
    await call(`${emulator.url}/openidm/scheduler/job/bench`, 'PUT', job(threads));
    const t0 = performance.now();
    const { _id } = await call(`${emulator.url}/openidm/taskscanner?_action=execute&name=bench`, 'POST');
    const seconds = (performance.now() - t0) / 1000;
    const run = (await call(`${emulator.url}/openidm/taskscanner/${String(_id)}`)) as {
      progress: { state: string; successes: number };
    };
    if (run.progress.state !== 'COMPLETED' || run.progress.successes !== users)
      throw new Error(`unexpected run: ${JSON.stringify(run.progress)}`);
    return seconds;
  });
}

async function queries(users: number): Promise<void> {
  await withTenant(users, async (emulator, seedSeconds) => {
    console.log(
      `\nqueries on ${users.toLocaleString('en')} users (seeded in ${seedSeconds.toFixed(1)} s), median of 5:`,
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
        count = (await call(`${emulator.url}/openidm/managed/alpha_user?${query}`)).resultCount as number;
        times.push(performance.now() - t0);
      }
      console.log(`  ${label}: ${median(times).toFixed(0)} ms (${count} in the page)`);
    }
  });
}

async function main(): Promise<void> {
  const sizes = process.argv[2] ? [Number(process.argv[2])] : [10_000, 100_000];
  console.log(`bench/emulator.ts on Node ${process.version}, ${new Date().toISOString()}`);
  // Warm-up, not reported: JIT and QuickJS start-up are paid once per process, not per scan.
  await scan(2_000, 5);
  const rates: number[] = [];
  let slowest100k: number | undefined;
  for (const users of sizes) {
    const perThreads: Record<number, number> = {};
    console.log(`\nscan of ${users.toLocaleString('en')} users, trivial script:`);
    for (const threads of [1, 5]) {
      const seconds = await scan(users, threads);
      perThreads[threads] = users / seconds;
      rates.push(users / seconds);
      if (users === 100_000) slowest100k = Math.max(slowest100k ?? 0, seconds);
      console.log(
        `  ${threads} thread(s): ${seconds.toFixed(2)} s, ${Math.round(users / seconds).toLocaleString('en')} objects/s`,
      );
    }
    console.log(
      `  5 threads / 1 thread: ${(perThreads[5]! / perThreads[1]!).toFixed(2)}x (workers share one Node thread)`,
    );
  }
  const scanRss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `\npeak resident memory after the scans: ${scanRss.toFixed(0)} MB = ${(scanRss / 300).toFixed(2)}x the 300 MB ceiling`,
  );
  if (sizes.includes(100_000)) await queries(100_000);
  const rss = process.resourceUsage().maxRSS / 1024;
  const worst = Math.min(...rates);
  console.log(
    `peak resident memory at the end (after the queries): ${rss.toFixed(0)} MB = ${(rss / 300).toFixed(2)}x the 300 MB ceiling`,
  );
  console.log(
    `slowest scan: ${Math.round(worst).toLocaleString('en')} objects/s = ${(worst / 20_000).toFixed(2)}x the 20,000 objects/s target`,
  );
  if (slowest100k !== undefined)
    console.log(
      `100,000 users: slowest scan ${slowest100k.toFixed(2)} s = ${(slowest100k / 10).toFixed(2)}x the 10 s budget`,
    );
}

void main();
