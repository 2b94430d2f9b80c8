/**
 * Preview and dry run benchmark (issue 15). Targets: a preview of 100,000 matching users in < 2 s on
 * the local tenant; a dry run of 1,000 objects with the sunset script in < 10 s; reads only.
 * The source tenant is the emulator in its own process (src/emulator/host.ts), file-backed and seeded,
 * reached over HTTP as the CLI reaches it. Each figure is printed beside the cheapest request that
 * does comparable work on the same tenant in the same run (a ratio, not just a time).
 *
 *   npx tsx bench/preview.ts            # 100,000 users
 *   npx tsx bench/preview.ts 20000      # another size
 */
import { withSeededEmulator } from './support/emulator';
import { IdmPasswordSignIn, TenantClient } from '../src/core/tenant';
import { dryRun, previewMatches } from '../src/core/preview';
import { startPrivateTenant } from '../src/cli/private-tenant';

const SIGN_IN = () => new IdmPasswordSignIn('openidm-admin', 'openidm-admin');

/** The sunset job; `/sunset/date pr` matches every seeded user. */
function sunsetJob(filter: string): Record<string, unknown> {
  return {
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: 5,
      scan: {
        object: 'managed/alpha_user',
        _queryFilter: filter,
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
        recovery: { timeout: '10m' },
      },
      task: {
        script: {
          type: 'text/javascript',
          source:
            'var patch = [{ "operation" : "replace", "field" : "/active", "value" : false }, { "operation" : "replace", "field" : "/accountStatus", "value" : "inactive" }];\n' +
            'logger.debug("Performing Sunset Task on {} ({})", input.mail, objectID);\n' +
            'openidm.patch(objectID, null, patch); true;',
        },
      },
    },
  };
}

function withSource<T>(users: number, use: (url: string) => Promise<T>): Promise<T> {
  return withSeededEmulator(users, ({ url }) => use(url));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function emulatorCpuMs(client: TenantClient): Promise<number> {
  const reply = await client.http.request<{ cpuMs: number }>({
    method: 'GET',
    path: '/scanjobs-emulator/info',
  });
  return reply.body.cpuMs;
}

async function preview(users: number): Promise<void> {
  await withSource(users, async (url) => {
    const client = new TenantClient(url, SIGN_IN(), { env: {} });
    try {
      const job = sunsetJob('/sunset/date pr');
      await previewMatches(client, job); // warm-up: JIT on both sides
      const times: number[] = [];
      const cpu: number[] = [];
      const clientCpu: number[] = [];
      const counts: number[] = [];
      let requests = 0;
      for (let i = 0; i < 5; i++) {
        const c0 = await emulatorCpuMs(client);
        const u0 = process.cpuUsage();
        const t0 = performance.now();
        const p = await previewMatches(client, job);
        times.push(performance.now() - t0);
        const u = process.cpuUsage(u0);
        clientCpu.push((u.user + u.system) / 1000);
        cpu.push((await emulatorCpuMs(client)) - c0);
        if (p.matched !== users || !p.exact) throw new Error(`unexpected preview: ${p.matched} ${p.exact}`);
        requests = Math.ceil(users / 2000);
      }
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await client.http.request({
          method: 'GET',
          path: '/openidm/managed/alpha_user',
          query: { _queryFilter: '/sunset/date pr', _pageSize: 1, _totalPagedResultsPolicy: 'EXACT' },
        });
        counts.push(performance.now() - t0);
      }
      const ms = median(times);
      console.log(
        `\npreview of ${users.toLocaleString('en')} matching users (every one read and classified), median of 5:`,
      );
      console.log(
        `  preview: ${ms.toFixed(0)} ms in ${requests} GETs; emulator CPU ${median(cpu).toFixed(0)} ms, client CPU ${median(clientCpu).toFixed(0)} ms`,
      );
      console.log(`  the tenant's own EXACT count of the same filter: ${median(counts).toFixed(0)} ms`);
      console.log(`  preview / EXACT count: ${(ms / median(counts)).toFixed(2)}x`);
      console.log(`  preview / 2 s target: ${(ms / 2000).toFixed(2)}x`);
    } finally {
      await client.close();
    }
  });
}

/** A dry run of 1,000 due users with the sunset script, beside the source running the same job itself. */
async function dryRunBench(users: number): Promise<void> {
  await withSource(users, async (url) => {
    const client = new TenantClient(url, SIGN_IN(), { env: {} });
    try {
      const job = sunsetJob('((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))');
      const sample = 1000;
      await dryRun(client, job, (s) => startPrivateTenant(s, () => undefined), { sample: 50 }); // warm-up
      const times: number[] = [];
      let reads = 0;
      let processed = 0;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const report = await dryRun(client, job, (s) => startPrivateTenant(s, () => undefined), { sample });
        times.push(performance.now() - t0);
        reads = report.sourceReads;
        processed = report.totals.successes;
        if (report.sampled !== sample || report.writesToTenant !== 0) throw new Error('unexpected dry run');
      }
      // The same job run by the source itself on its first 1,000 matches (this one writes to it).
      await client.jobs.upsert('bench-real', {
        ...job,
        type: 'cron',
        schedule: '0 0 0 1 1 ? 2099',
        invokeContext: { ...(job.invokeContext as object), waitForCompletion: true, maxRecords: sample },
      });
      const t0 = performance.now();
      await client.runs.execute('bench-real');
      const real = performance.now() - t0;
      const ms = median(times);
      console.log(
        `\ndry run of ${sample.toLocaleString('en')} due users with the sunset script (source: ${users.toLocaleString('en')} users), median of 3:`,
      );
      console.log(
        `  dry run: ${ms.toFixed(0)} ms (${processed} succeeded on the copy); private tenant started, loaded, run, read back, deleted`,
      );
      console.log(
        `  requests to the source: ${reads} GETs, ${(reads / sample).toFixed(3)} per sampled object; 0 writes`,
      );
      console.log(
        `  the source running the same job on ${sample.toLocaleString('en')} users itself: ${real.toFixed(0)} ms`,
      );
      console.log(`  dry run / the source's own run: ${(ms / real).toFixed(2)}x`);
      console.log(`  dry run / 10 s target: ${(ms / 10_000).toFixed(2)}x`);
    } finally {
      await client.close();
    }
  });
}

async function main(): Promise<void> {
  const users = process.argv[2] ? Number(process.argv[2]) : 100_000;
  console.log(`bench/preview.ts on Node ${process.version}, ${new Date().toISOString()}`);
  await preview(users);
  await dryRunBench(users);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
