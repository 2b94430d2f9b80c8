// The Tenants tree against a local tenant holding 2,000 jobs and 100 runs (the emulator as a child
// process, over real HTTP):
//   1. time to the first page of a tenant's jobs (what VS Code shows when the tenant is expanded),
//      cold (new connection) and warm, beside listing all 2,000 jobs as a tree without paging would;
//   2. time to a job's runs (one listing of the tenant's runs, grouped by job);
//   3. requests sent in 10 simulated minutes: idle with the view hidden (the target is zero), beside
//      the same 10 minutes following one ACTIVE run (the watcher's adaptive pace).
// Time in 3 is simulated: setTimeout and Date.now are replaced by a virtual clock in this process
// only (the emulator runs in real time in its own process), so the 10 minutes take seconds.
// Run: npx tsx bench/tree.ts
import { spawn } from 'node:child_process';
import path from 'node:path';
import { IdmPasswordSignIn, TenantClient, type RunRecord } from '../src/core/tenant';
import { RunWatchHub, type RunSource } from '../src/core/watch';
import { TenantTreeModel, type TenantNode } from '../src/extension/tenant/tree-model';
import { scanJob as testScanJob, scriptJob, slowScript } from '../test/tenant/support/jobs';

const root = path.resolve(__dirname, '..');
const JOBS = 2000;
const OTHER_JOBS = 400; // of them, not task-scanner jobs (script jobs), listed after the scan jobs
const RUNS = 100;

const scanJob = (filter: string, script?: string, stateKey = 'bench') =>
  testScanJob({ filter, script, stateKey, threads: 1 });

async function startTenant(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'dist/emulator-host.js'), '--in-memory', '--port', '0', '--seed-users', '2000'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (c) => reject(new Error(`the emulator exited (${c}); run npm run build first`)));
  });
  return { url, stop: () => child.kill() };
}

const signIn = () => new IdmPasswordSignIn('openidm-admin', 'openidm-admin');

async function inParallel<T>(items: T[], width: number, each: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await each(items[next++]);
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** A virtual clock for this process: timers fire in order as `advance` moves time forward. */
class VirtualTime {
  private now = Date.now();
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  private saved: Record<string, unknown> = {};

  install(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    for (const k of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']) this.saved[k] = g[k];
    this.saved.now = Date.now;
    const add = (fn: () => void, delay: number, every?: number) => {
      const id = ++this.seq;
      this.timers.set(id, { at: this.now + Math.max(0, delay || 0), fn, every });
      return { id, unref() {}, ref() {}, hasRef: () => true, [Symbol.toPrimitive]: () => id };
    };
    const clear = (t: unknown) => {
      if (t && typeof t === 'object' && 'id' in t) this.timers.delete((t as { id: number }).id);
    };
    g.setTimeout = (fn: (...a: unknown[]) => void, delay: number, ...args: unknown[]) =>
      add(() => fn(...args), delay);
    g.setInterval = (fn: (...a: unknown[]) => void, delay: number, ...args: unknown[]) =>
      add(() => fn(...args), delay, Math.max(1, delay));
    g.clearTimeout = clear;
    g.clearInterval = clear;
    Date.now = () => this.now;
  }

  uninstall(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    for (const k of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']) g[k] = this.saved[k];
    Date.now = this.saved.now as () => number;
  }

  /** Moves time forward by `total` ms, letting real I/O (`settle`) finish after each timer. */
  async advance(total: number, settle: () => Promise<void>): Promise<void> {
    const end = this.now + total;
    for (;;) {
      await settle();
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, t] of this.timers)
        if (t.at < nextAt) {
          nextAt = t.at;
          nextId = id;
        }
      if (nextId === undefined || nextAt > end) break;
      const t = this.timers.get(nextId)!;
      this.now = Math.max(this.now, t.at);
      if (t.every) t.at = this.now + t.every;
      else this.timers.delete(nextId);
      t.fn();
    }
    this.now = end;
  }
}

/** Counts the requests a run source makes and waits (in real time) for those in flight. */
function counted(source: RunSource): { source: RunSource; count: () => number; settle: () => Promise<void> } {
  let count = 0;
  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    count++;
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => undefined);
    return p;
  };
  const realImmediate = setImmediate;
  return {
    source: {
      read: (id, o) => track(source.read(id, o)),
      list: source.list ? (o) => track(source.list!(o)) : undefined,
    },
    count: () => count,
    settle: async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => realImmediate(r));
      while (pending.size) await Promise.allSettled([...pending]);
      for (let i = 0; i < 5; i++) await new Promise((r) => realImmediate(r));
    },
  };
}

async function main(): Promise<void> {
  const tenant = await startTenant();
  try {
    const setup = new TenantClient(tenant.url, signIn());
    const t0 = performance.now();
    const names = Array.from({ length: JOBS }, (_, i) => `job-${String(i).padStart(4, '0')}`);
    await inParallel(names, 8, (name) =>
      setup.jobs.upsert(name, Number(name.slice(4)) < JOBS - OTHER_JOBS ? scanJob('false') : scriptJob()),
    );
    await setup.jobs.upsert('job-0000', scanJob('/userName pr'));
    for (let i = 0; i < RUNS; i++) await setup.runs.execute('job-0000');
    // let the runs finish, so they are all COMPLETED (nothing for the tree to follow)
    for (;;) {
      const runs = await setup.runs.list();
      if (runs.every((r) => r.progress.state === 'COMPLETED')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(
      `setup: ${JOBS} jobs (${OTHER_JOBS} not scan jobs) and ${RUNS} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    // 1. the first page of jobs
    const entry = { name: 'local', environment: 'development', baseUrl: tenant.url, local: true };
    const firstPage = async (client: TenantClient) => {
      const model = new TenantTreeModel(
        () => [entry],
        async () => client,
      );
      const started = performance.now();
      const [node] = model.roots();
      const kids = await model.children(node);
      return { ms: performance.now() - started, kids, model, node: node as TenantNode };
    };
    const cold: number[] = [];
    const warm: number[] = [];
    const all: number[] = [];
    let shown = 0;
    for (let i = 0; i < 15; i++) {
      const client = new TenantClient(tenant.url, signIn());
      const c = await firstPage(client);
      cold.push(c.ms);
      shown = c.kids.length;
      warm.push((await firstPage(client)).ms);
      const s = performance.now();
      await client.jobs.list({ pageSize: 100 });
      all.push(performance.now() - s);
      await client.close();
    }
    console.log(
      `first page of a tenant (${shown - 1} jobs + "Load more"): cold ${ms(median(cold))}, warm ${ms(median(warm))} ` +
        `(target 300 ms: cold/target ${(median(cold) / 300).toFixed(3)}); all ${JOBS} jobs without paging ${ms(median(all))} ` +
        `(paged/unpaged ${(median(warm) / median(all)).toFixed(3)})`,
    );

    // 2. a job's runs
    const client = new TenantClient(tenant.url, signIn());
    const { model, node } = await firstPage(client);
    const jobs = await model.children(node);
    const runTimes: number[] = [];
    let runItems = 0;
    for (let i = 0; i < 15; i++) {
      model.refresh(jobs[0].kind === 'job' ? jobs[0] : undefined);
      const s = performance.now();
      const runs = await model.children(jobs[0]);
      runTimes.push(performance.now() - s);
      runItems = runs.length;
    }
    console.log(
      `a job's runs (${RUNS} runs on the tenant, ${runItems - 1} shown + "Load more"): ${ms(median(runTimes))}`,
    );

    // 3. requests in 10 simulated minutes
    let requests = 0;
    const counting = new TenantClient(tenant.url, signIn(), { log: () => requests++ });
    const counter = counted(counting.runs);
    const hub = new RunWatchHub(counter.source);
    const idleModel = new TenantTreeModel(
      () => [entry],
      async () => counting,
    );
    const [idleNode] = idleModel.roots();
    await idleModel.children(idleNode); // the view was shown once, then hidden
    const time = new VirtualTime();
    const before = requests;
    time.install();
    try {
      await time.advance(10 * 60_000, counter.settle);
    } finally {
      time.uninstall();
    }
    const idle = requests - before;

    await setup.jobs.upsert('slow', scanJob('/userName pr', slowScript(30), 'slow'));
    const { runId } = await setup.runs.execute('slow');
    const activeBefore = counter.count();
    let last: RunRecord | undefined;
    time.install();
    try {
      const watch = hub.follow(runId, (e) => {
        if (e.type === 'progress' || e.type === 'state') last = e.run;
      });
      await time.advance(10 * 60_000, counter.settle);
      watch.stop();
      await time.advance(60_000, counter.settle);
    } finally {
      time.uninstall();
    }
    const active = counter.count() - activeBefore;
    await setup.runs.cancel(runId);
    console.log(
      `requests in 10 simulated minutes: idle with the view hidden ${idle} (target 0); following one ACTIVE run ` +
        `${active} (at the end ${last ? `${last.progress.state} ${last.progress.processed}/${last.progress.total}, ${last.started} to ${last.ended}` : '?'}); watchers left polling ${hub.size}`,
    );
    await Promise.all([setup.close(), client.close(), counting.close()]);
  } finally {
    tenant.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
