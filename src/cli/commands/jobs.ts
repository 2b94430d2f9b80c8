// `scanjobs jobs`: the scheduler jobs of a tenant.
import type { CliIO } from '../io';
import { EXIT, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { table } from '../render/table';

const HELP = `Usage: scanjobs jobs [--tenant <name or URL>] [--filter <_queryFilter>] [--all] [--json]

Lists the task-scanner jobs (all scheduler jobs with --all) with their schedule and next run.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: { filter: { type: 'string' }, all: { type: 'boolean' } },
  });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  return withTenant(io, values.tenant, async ({ client }) => {
    // The AIC console tells task scanners apart by `invokeContext/task` (idm-api.md §3.1).
    const filter = values.filter ?? (values.all ? 'true' : '/invokeContext/task pr');
    const jobs = await client.jobs.list({ filter });
    if (values.json) {
      writeJson(io, jobs);
      return EXIT.ok;
    }
    if (jobs.length === 0) {
      io.stdout.write(`No jobs match ${filter}.\n`);
      return EXIT.ok;
    }
    io.stdout.write(
      table(
        ['NAME', 'ENABLED', 'TYPE', 'SCHEDULE', 'NEXT RUN', 'SCANS'],
        jobs.map((j) => {
          const scan = (j.invokeContext as { scan?: { object?: unknown } } | undefined)?.scan;
          return [
            j._id,
            j.enabled === false ? 'no' : 'yes',
            j.type ?? 'cron',
            j.type === 'simple'
              ? `every ${Number(j.repeatInterval ?? 0) / 1000} s`
              : String(j.schedule ?? ''),
            j.nextRunDate ?? '-',
            typeof scan?.object === 'string' ? scan.object : '',
          ];
        }),
      ),
    );
    return EXIT.ok;
  });
}
