/**
 * One scan of the same 10,000 users with the same trivial script on the local tenant and on OpenIDM,
 * in one run; prints objects per second on each and the ratio local tenant ÷ OpenIDM.
 * Run: npx tsx bench/contract.ts [users]   (OpenIDM: SCANJOBS_OPENIDM_URL, else test/contract/openidm.sh)
 * A scan that runs longer than SCANJOBS_BENCH_MAX_SECONDS (default 600) is measured as it stands (the
 * server's processed count over the time since its own start) and cancelled. SCANJOBS_BENCH_OPENIDM_BATCH
 * names users this bench already created on that OpenIDM (seeding 10,000 there takes tens of minutes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server';
import { batchFilter, contractUser, newBatch, scanJob } from '../test/contract/support/builders';
import { IdmHttp } from '../test/contract/support/http';
import { LOCAL_TENANT, OPENIDM, OPENIDM_ADMIN, type Capabilities } from '../test/contract/support/targets';

const USERS = Number(process.argv[2] ?? 10_000);
const root = join(__dirname, '..');
const openidmScript = join(root, 'test/contract/openidm.sh');

interface Result {
  server: string;
  objects: number;
  seconds: number;
  perSecond: number;
  /** Set when the scan was measured before it ended (and then cancelled): how many it had found. */
  partialOf?: number;
}

const MAX_SECONDS = Number(process.env.SCANJOBS_BENCH_MAX_SECONDS ?? 600);

async function createAll(http: IdmHttp, batch: string): Promise<void> {
  const users = Array.from({ length: USERS }, (_, i) => contractUser(batch, i));
  let next = 0;
  // A few requests in flight: seeding is not what is measured, only the scan is.
  const worker = async () => {
    while (next < users.length) {
      const { _id, ...fields } = users[next++];
      const reply = await http.put(`/openidm/managed/user/${_id}`, fields, {
        headers: { 'If-None-Match': '*' },
      });
      if (reply.status !== 201)
        throw new Error(`creating ${_id}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function scanOnce(
  server: string,
  http: IdmHttp,
  caps: Capabilities,
  existingBatch?: string,
): Promise<Result> {
  const batch = existingBatch ?? newBatch('bench');
  if (!existingBatch) await createAll(http, batch);
  const id = `${batch}-job`;
  const job = scanJob({ filter: batchFilter(batch), script: 'true;', numberOfThreads: 10 });
  const path = caps.executeBy === 'job' ? `/openidm/scheduler/job/${id}` : `/openidm/config/schedule/${id}`;
  const pushed = await http.put(path, job);
  if (pushed.status >= 300)
    throw new Error(`pushing ${id}: HTTP ${pushed.status} ${JSON.stringify(pushed.body)}`);
  const name = caps.executeBy === 'job' ? id : `schedule/${id}`;
  const executed = await http.post<{ _id: string }>('/openidm/taskscanner', { _action: 'execute', name });
  if (executed.status !== 200)
    throw new Error(`execute: HTTP ${executed.status} ${JSON.stringify(executed.body)}`);
  for (;;) {
    const run = await http.get<{
      progress: { state: string; processed: number; total: number };
      started: string;
      ended: string;
    }>(`/openidm/taskscanner/${executed.body._id}`);
    if (run.body.progress.state === 'COMPLETED') {
      // The server's own start and end times: polling latency is not part of the figure.
      const seconds = (Date.parse(run.body.ended) - Date.parse(run.body.started)) / 1000;
      await http.delete(path);
      const objects = run.body.progress.processed;
      return { server, objects, seconds, perSecond: objects / Math.max(seconds, 0.001) };
    }
    const running = run.body.started ? (Date.now() - Date.parse(run.body.started)) / 1000 : 0;
    if (run.body.progress.state === 'ACTIVE' && running > MAX_SECONDS) {
      // Too slow to wait for: the rate so far, from the server's own counter and start time.
      const objects = run.body.progress.processed;
      await http.post(`/openidm/taskscanner/${executed.body._id}`, { _action: 'cancel' });
      await http.delete(path);
      return {
        server,
        objects,
        seconds: running,
        perSecond: objects / running,
        partialOf: run.body.progress.total,
      };
    }
    if (run.body.progress.state !== 'ACTIVE' && run.body.progress.state !== 'INITIALIZED') {
      throw new Error(`${server}: the run ended ${run.body.progress.state}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function line(r: Result): string {
  const partial =
    r.partialOf === undefined ? '' : ` (of ${r.partialOf} found; cancelled after ${MAX_SECONDS} s)`;
  return `${r.server.padEnd(14)} ${String(r.objects).padStart(6)} objects in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(r.perSecond < 10 ? 2 : 0)} objects/s${partial}`;
}

/** The local tenant, started in this process with the given flavour, scanned once. */
async function scanLocal(label: string, flavor: 'aic' | 'openidm'): Promise<Result> {
  const emulator = await startEmulator({ port: 0, inMemory: true, flavor, log: () => undefined });
  try {
    return await scanOnce(
      label,
      new IdmHttp(emulator.url, OPENIDM_ADMIN),
      flavor === 'aic' ? LOCAL_TENANT : OPENIDM,
    );
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  const local = await scanLocal('local tenant', 'aic');
  console.log(line(local));
  const flavored = await scanLocal('local openidm', 'openidm');
  console.log(line(flavored));

  // A server already running (SCANJOBS_OPENIDM_URL) is used as it is; otherwise one is started and stopped.
  let url = process.env.SCANJOBS_OPENIDM_URL ?? '';
  const ours = url === '';
  if (ours) {
    const start = spawnSync('bash', [openidmScript, 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    if (start.status !== 0) {
      const why = join(root, '.cache/openidm-server/unavailable.txt');
      console.log(
        `OpenIDM        not measured: ${existsSync(why) ? readFileSync(why, 'utf8').trim() : `openidm.sh start exited ${start.status}`}`,
      );
      console.log('ratio          local tenant ÷ OpenIDM: not available (no OpenIDM in this run)');
      return;
    }
    url = start.stdout.trim().split('\n').pop() ?? '';
  }
  try {
    const openidm = await scanOnce(
      'OpenIDM 6.1.0',
      new IdmHttp(url, OPENIDM_ADMIN),
      OPENIDM,
      process.env.SCANJOBS_BENCH_OPENIDM_BATCH,
    );
    console.log(line(openidm));
    console.log(
      `ratio          local tenant ÷ OpenIDM = ${(local.perSecond / openidm.perSecond).toFixed(2)}`,
    );
    console.log(
      `ratio          local --flavor openidm ÷ OpenIDM = ${(flavored.perSecond / openidm.perSecond).toFixed(2)}`,
    );
  } finally {
    if (ours) spawnSync('bash', [openidmScript, 'stop'], { stdio: 'inherit' });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
