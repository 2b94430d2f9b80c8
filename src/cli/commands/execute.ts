// `scanjobs execute <name> [--watch]` (idm-api.md §4.3–4.4).
import { UsageError, type CliIO } from '../io';
import { EXIT, confirmProduction, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { STALL_OPTIONS, follow, stallAfter } from './watch';

const HELP = `Usage: scanjobs execute <job name> [--watch [--logs] [--stall-after <time>]]
                        [--tenant <name or URL>] [--yes] [--json]

Starts a task-scanner run of the job and prints its run id; with --watch follows it to the end (and
keeps it in the local run history), with --logs also prints its script's logger lines (docs/logs.md).
Execute is never sent twice: if the reply is lost, the job's runs are searched for the new one.
On OpenIDM, whose execute reads only config schedules, a job not found by its name is started as
schedule/<name>, and the command says so.
Exit (with --watch) 0 completed without failures, 1 with failures, 2 cancelled or error, 4 stalled
(no progress for max(--stall-after, 20 x its time per object); see 'scanjobs watch --help').
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      watch: { type: 'boolean', short: 'w' },
      logs: { type: 'boolean' },
      yes: { type: 'boolean' },
      ...STALL_OPTIONS,
    },
    one: 'give one job name: scanjobs execute <name>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const job = positionals[0];
  const stallAfterMs = stallAfter(values['stall-after'], io);
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    confirmProduction(connection, values.yes, 'execute a job');
    if (values.logs && !values.watch)
      throw new UsageError('--logs needs --watch: the lines are printed while the run is followed');
    const startedAt = Date.now() + client.http.clockSkewMs;
    const result = await client.runs.execute(job);
    if (values.json) writeJson(io, { event: 'started', job, ...result });
    else {
      if (result.note) io.stderr.write(`${result.note}\n`);
      if (result.executedAs)
        io.stderr.write(
          // The platform's behaviour (idm-api.md §4.4); the message describes it without the internal citation.
          `${connection.label} found no config named '${job}', so the run was started as '${result.executedAs}' (OpenIDM executes config schedules).\n`,
        );
      io.stdout.write(`Started run ${result.runId} of ${job} on ${connection.label}.\n`);
    }
    if (!values.watch) return EXIT.ok;
    return follow(client, result.runId, io, values.json === true, {
      connection,
      job,
      logs: values.logs === true,
      startedAt,
      stallAfterMs,
    });
  });
}
