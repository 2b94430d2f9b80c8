// Script log lines while following a run (docs/logs.md), on the local tenant over real HTTP: two
// followers at once, as two VS Code windows or a window and a terminal would be, each its own process
// with its own rate budget: an in-process follower (core LogTail + RunLogs, the extension's path) and
// `scanjobs watch --logs` as a child process (the CLI's path). Reports requests per minute to the log
// API (target: under the tenant limit of 60 with both, and no 429), and the delay from a script's
// logger.info to the line reaching each follower (target: median < 3 s).
// Run: npm run build && npx tsx bench/logs.ts [seconds of run, default 80]
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { IdmPasswordSignIn, LOCAL_TENANT, TenantTransport } from '../src/core/tenant';
import { LOG_LIMITS, LogClient, LogTail, RateBudget, RunLogs } from '../src/core/logs';
import { startEmulator } from '../src/emulator/server';

const seconds = Number(process.argv[2] ?? 80);
const OBJECTS = 200;
const perObjectMs = Math.round((seconds * 1000) / OBJECTS);
const ROOT = resolve(__dirname, '..');

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

const delayOf = (message: string, at: number): number | undefined => {
  const m = /t=(\d+)/.exec(message);
  return m ? at - Number(m[1]) : undefined;
};

async function main(): Promise<void> {
  const emu = await startEmulator({ port: 0, inMemory: true, seedUsers: OBJECTS, log: () => undefined });
  const admin = { 'x-openidm-username': 'openidm-admin', 'x-openidm-password': 'openidm-admin' };
  const job = {
    enabled: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: 1,
      scan: {
        _queryFilter: 'true',
        object: 'managed/alpha_user',
        taskState: { started: '/bench/started', completed: '/bench/completed' },
      },
      task: {
        script: {
          type: 'text/javascript',
          source: `var t0 = Date.now(); while (Date.now() - t0 < ${perObjectMs}) {} logger.info('t=' + Date.now() + ' ' + input.userName); true;`,
        },
      },
    },
  };
  await fetch(`${emu.url}/openidm/scheduler/job/benchLogs`, {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify(job),
  });
  const exec = await fetch(`${emu.url}/openidm/taskscanner?_action=execute&name=benchLogs`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
  });
  const runId = ((await exec.json()) as { _id: string })._id;
  const t0 = Date.now();

  // Follower 1: this process, as the extension follows a run.
  const transport = new TenantTransport(emu.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
    env: {},
  });
  const budget = new RateBudget();
  const inProcess: number[] = [];
  const tail = new LogTail(new LogClient(transport, LOCAL_TENANT.logKey, { budget }));
  const follower = new RunLogs(
    tail,
    { runId, job: 'benchLogs', started: new Date(t0 - 1000).toISOString() },
    (e) => {
      if (e.type !== 'lines') return;
      const at = Date.now();
      for (const l of e.lines) {
        const d = delayOf(l.message, at);
        if (d !== undefined) inProcess.push(d);
      }
    },
  ).start();

  // Follower 2: the CLI in its own process.
  const cliDelays: number[] = [];
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'watch', runId, '--logs', '--json'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      XDG_CONFIG_HOME: join(ROOT, '.cache', 'bench-logs-config'),
      SCANJOBS_TENANT: emu.url,
      IDM_USERNAME: 'openidm-admin',
      IDM_PASSWORD: 'openidm-admin',
      SCANJOBS_LOG_API_KEY: LOCAL_TENANT.logKey.id,
      SCANJOBS_LOG_API_SECRET: LOCAL_TENANT.logKey.secret,
    },
  });
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const at = Date.now();
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"event":"log"')) continue;
      const d = delayOf((JSON.parse(line) as { message: string }).message, at);
      if (d !== undefined) cliDelays.push(d);
    }
  });
  const exited = new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));

  // The run's end, read as the admin (not through the log API).
  for (;;) {
    const r = (await (await fetch(`${emu.url}/openidm/taskscanner/${runId}`, { headers: admin })).json()) as {
      progress: { state: string };
      ended: string | null;
    };
    if (!['INITIALIZED', 'ACTIVE'].includes(r.progress.state)) {
      follower.ended(r.ended ?? undefined);
      break;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
  const code = await exited;
  await follower.done;
  const elapsedMin = (Date.now() - t0) / 60_000;
  const stats = emu.logApiStats();
  await transport.close();
  await emu.close();

  const perMin = stats.requests / elapsedMin;
  const fmt = (xs: number[]) =>
    `lines ${xs.length}/${OBJECTS}, median ${(quantile(xs, 0.5) / 1000).toFixed(2)} s, p90 ${(quantile(xs, 0.9) / 1000).toFixed(2)} s, worst ${(Math.max(...xs) / 1000).toFixed(2)} s`;
  console.log(
    `Run ${runId}: ${OBJECTS} objects, one logger.info each, ${(elapsedMin * 60).toFixed(0)} s followed`,
  );
  console.log(
    `In-process follower (extension path): ${fmt(inProcess)}; its budget granted ${budget.granted} requests`,
  );
  console.log(`CLI follower (scanjobs watch --logs, exit ${code}): ${fmt(cliDelays)}`);
  console.log(
    `Log API requests, both followers: ${stats.requests} in ${(elapsedMin * 60).toFixed(0)} s = ${perMin.toFixed(1)}/min; ` +
      `tenant limit ${LOG_LIMITS.requestsPerMinute}/min: ratio ${(perMin / LOG_LIMITS.requestsPerMinute).toFixed(2)}; 429s: ${stats.refused}`,
  );
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
