// Run watcher vs a naive once-a-second poller, side by side on the same runs (DESIGN.md "Poll with
// discipline"). Reports requests per minute and the delay from a state change on the server to the
// event that reports it (median and worst). Targets: at most a third of the naive poller's requests,
// a median delay under 2 s. Run: npx tsx bench/watch.ts
import { IdmPasswordSignIn, RunRecord, RunState, TenantClient, FINAL_STATES } from '../src/core/tenant';
import { RunSource, watchRun } from '../src/core/watch';
import { RunScript, ScriptedTenant } from '../test/tenant/support/scripted-tenant';

/** Runs whose timelines differ the ways real ones do: speed changes, stalls, skipped objects. */
const SCENARIOS: (RunScript & { label: string })[] = [
  { label: 'steady 30 s', initializingMs: 400, activeMs: 30_000, total: 3_000 },
  { label: 'slow start 25 s', initializingMs: 1_500, activeMs: 25_000, total: 5_000, curve: (t) => t * t },
  {
    label: 'fast start 25 s',
    initializingMs: 300,
    activeMs: 25_000,
    total: 5_000,
    curve: (t) => Math.sqrt(t),
  },
  {
    label: 'stall mid-run 35 s',
    initializingMs: 200,
    activeMs: 35_000,
    total: 2_000,
    curve: (t) => (t < 0.4 ? t : t < 0.7 ? 0.4 : t - 0.3) / 0.7,
  },
  { label: '40% skipped 20 s', initializingMs: 500, activeMs: 20_000, total: 4_000, curve: (t) => 0.6 * t },
  { label: 'short 6 s', initializingMs: 300, activeMs: 6_000, total: 300 },
];

interface Observed {
  requests: number;
  seen: Map<RunState, number>;
}

function counting(client: TenantClient, into: Observed): RunSource {
  return {
    read: (id, o) => {
      into.requests++;
      return client.runs.read(id, o);
    },
  };
}

/** The baseline: read every second, note each new state. */
async function naive(client: TenantClient, id: string, into: Observed): Promise<void> {
  for (;;) {
    into.requests++;
    const run: RunRecord = await client.runs.read(id);
    if (!into.seen.has(run.progress.state)) into.seen.set(run.progress.state, Date.now());
    if (FINAL_STATES.has(run.progress.state)) return;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function main(): Promise<void> {
  const tenant = await ScriptedTenant.start();
  const client = new TenantClient(tenant.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
    env: {},
  });
  const started = Date.now();
  const rows = await Promise.all(
    SCENARIOS.map(async (scenario) => {
      const id = tenant.addRun(scenario);
      const watcher: Observed = { requests: 0, seen: new Map() };
      const baseline: Observed = { requests: 0, seen: new Map() };
      await Promise.all([
        watchRun(id, counting(client, watcher), {
          onEvent: (e) => {
            if ((e.type === 'state' || e.type === 'final') && !watcher.seen.has(e.run.progress.state)) {
              watcher.seen.set(e.run.progress.state, Date.now());
            }
          },
        }),
        naive(client, id, baseline),
      ]);
      const changes = tenant.stateChanges(id).filter((c) => c.state !== 'INITIALIZED');
      const delays = (o: Observed) => changes.map((c) => (o.seen.get(c.state as RunState) ?? NaN) - c.at);
      const minutes = (scenario.initializingMs + scenario.activeMs) / 60_000;
      return {
        scenario,
        watcher,
        baseline,
        minutes,
        watcherDelays: delays(watcher),
        naiveDelays: delays(baseline),
      };
    }),
  );
  await client.close();
  await tenant.close();

  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `bench/watch: ${SCENARIOS.length} runs watched at once by both pollers (${fmt(Date.now() - started)} wall)\n`,
  );
  console.log('run                  requests (watcher / naive)   worst delay (watcher / naive)');
  for (const r of rows) {
    console.log(
      `${r.scenario.label.padEnd(20)} ${String(r.watcher.requests).padStart(4)} / ${String(r.baseline.requests).padEnd(20)} ${fmt(Math.max(...r.watcherDelays))} / ${fmt(Math.max(...r.naiveDelays))}`,
    );
  }
  const totalMinutes = rows.reduce((a, r) => a + r.minutes, 0);
  const wReq = rows.reduce((a, r) => a + r.watcher.requests, 0);
  const nReq = rows.reduce((a, r) => a + r.baseline.requests, 0);
  const wd = rows.flatMap((r) => r.watcherDelays);
  const nd = rows.flatMap((r) => r.naiveDelays);
  console.log(
    `\nrequests per minute of run: watcher ${(wReq / totalMinutes).toFixed(1)}, naive ${(nReq / totalMinutes).toFixed(1)}; ratio ${(wReq / nReq).toFixed(2)} (target <= 0.33)`,
  );
  console.log(
    `state-change delay: watcher median ${fmt(quantile(wd, 0.5))}, worst ${fmt(Math.max(...wd))}; naive median ${fmt(quantile(nd, 0.5))}, worst ${fmt(Math.max(...nd))} (target: watcher median < 2 s)`,
  );
}

void main();
