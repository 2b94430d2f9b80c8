/**
 * Emulator benchmark: task-scan throughput (objects per second) for 10,000 and 100,000 users with 1
 * and 5 threads and a trivial script, query latency on 100,000 users, and peak memory.
 * Targets (issue 4): >= 20,000 objects/s, 100,000 users in < 10 s, < 300 MB resident.
 *
 *   npx tsx bench/emulator.ts            # both sizes
 *   npx tsx bench/emulator.ts 10000      # one size
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server';

const HEADERS = {
  'X-OpenIDM-Username': 'openidm-admin',
  'X-OpenIDM-Password': 'openidm-admin',
  'Content-Type': 'application/json',
};

function job(threads: number): Record<string, unknown> {
  return {
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: true,
      numberOfThreads: threads,
      // Every user, every time: no recovery timeout, so each run claims all of them again.
      scan: {
        object: 'managed/alpha_user',
        _queryFilter: 'true',
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
      },
      task: { script: { type: 'text/javascript', source: 'true' } },
    },
  };
}

async function call(url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
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
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function size(
  users: number,
): Promise<{ rates: Record<number, number>; seconds: Record<number, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'scanjobs-bench-'));
  const seedStart = performance.now();
  const emulator = await startEmulator({ port: 0, dataDir: dir, seedUsers: users, log: () => {} });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const rates: Record<number, number> = {};
  const seconds: Record<number, number> = {};
  try {
    console.log(
      `\n${users.toLocaleString('en')} users (seeded in ${seedSeconds.toFixed(1)} s, file-backed SQLite in WAL mode)`,
    );
    for (const threads of [1, 5]) {
      await call(`${emulator.url}/openidm/scheduler/job/bench${threads}`, 'PUT', job(threads));
      const t0 = performance.now();
      const { _id } = await call(
        `${emulator.url}/openidm/taskscanner?_action=execute&name=bench${threads}`,
        'POST',
      );
      const elapsed = (performance.now() - t0) / 1000;
      const run = (await call(`${emulator.url}/openidm/taskscanner/${String(_id)}`, 'GET')) as {
        progress: { state: string; successes: number };
      };
      if (run.progress.state !== 'COMPLETED' || run.progress.successes !== users)
        throw new Error(`unexpected run: ${JSON.stringify(run.progress)}`);
      rates[threads] = users / elapsed;
      seconds[threads] = elapsed;
      console.log(
        `  scan, ${threads} thread(s): ${elapsed.toFixed(2)} s, ${Math.round(rates[threads]!).toLocaleString('en')} objects/s`,
      );
    }
    console.log(
      `  ratio 5 threads / 1 thread: ${(rates[5]! / rates[1]!).toFixed(2)}x (one Node thread: workers interleave, they do not add CPU)`,
    );
    if (users >= 100_000) {
      const filter = encodeURIComponent(
        '((/sunset/date lt "2026-01-01T00:00:00.000Z") AND !(/accountStatus eq "inactive"))',
      );
      for (const [label, query] of [
        ['query, all matches', `_queryFilter=${filter}`],
        ['query, first page of 50', `_queryFilter=${filter}&_pageSize=50`],
        ['query, by userName', `_queryFilter=${encodeURIComponent('userName eq "ada.lovelace400"')}`],
      ] as const) {
        const times: number[] = [];
        let count = 0;
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          count = (await call(`${emulator.url}/openidm/managed/alpha_user?${query}`, 'GET'))
            .resultCount as number;
          times.push(performance.now() - t0);
        }
        console.log(`  ${label}: median ${median(times).toFixed(0)} ms over 5 (${count} results)`);
      }
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rates, seconds };
}

async function main(): Promise<void> {
  const sizes = process.argv[2] ? [Number(process.argv[2])] : [10_000, 100_000];
  console.log(`bench/emulator.ts on Node ${process.version}, ${new Date().toISOString()}`);
  let worst = Infinity;
  let hundredK: number | undefined;
  for (const n of sizes) {
    const { rates, seconds } = await size(n);
    worst = Math.min(worst, ...Object.values(rates));
    if (n === 100_000) hundredK = Math.max(...Object.values(seconds));
  }
  const rssMb = (process.resourceUsage().maxRSS / 1024).toFixed(0);
  console.log(`\npeak resident memory: ${rssMb} MB (target < 300 MB)`);
  console.log(
    `slowest scan rate: ${Math.round(worst).toLocaleString('en')} objects/s = ${(worst / 20_000).toFixed(2)}x the 20,000 objects/s target`,
  );
  if (hundredK !== undefined)
    console.log(
      `100,000 users: slowest scan ${hundredK.toFixed(2)} s = ${(hundredK / 10).toFixed(2)}x the 10 s budget`,
    );
}

void main();
