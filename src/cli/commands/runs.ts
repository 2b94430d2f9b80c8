// `scanjobs runs [--job <name>]`: task-scanner runs the tenant holds.
import type { CliIO } from '../io';
import { EXIT, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { table } from '../render/table';

const HELP = `Usage: scanjobs runs [--job <name>] [--tenant <name or URL>] [--json]

Lists the task-scanner runs held by the node that answers (the newest 100 completed ones, and every
run in another state; idm-api.md §4.5), oldest first.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, { help: HELP, options: { job: { type: 'string' } } });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  return withTenant(io, values.tenant, async ({ client }) => {
    const runs = await client.runs.list({ job: values.job });
    if (values.json) {
      writeJson(io, runs);
      return EXIT.ok;
    }
    if (runs.length === 0) {
      io.stdout.write(values.job ? `No runs of '${values.job}'.\n` : 'No runs.\n');
      return EXIT.ok;
    }
    io.stdout.write(
      table(
        ['RUN', 'JOB', 'STATE', 'PROCESSED', 'OK', 'FAILED', 'STARTED', 'ENDED'],
        runs.map((r) => [
          r._id,
          (r.name ?? '').replace(/^schedule\//, ''),
          r.progress.state,
          `${r.progress.processed}/${r.progress.total}`,
          String(r.progress.successes),
          String(r.progress.failures),
          r.started ?? '-',
          r.ended ?? '-',
        ]),
      ),
    );
    return EXIT.ok;
  });
}
