// `scanjobs cancel <run-id>` (idm-api.md §4.3, §5.7).
import { parseArgs } from 'node:util';
import { CliIO, UsageError } from '../io';
import { EXIT, TENANT_OPTIONS, confirmProduction, withTenant, writeJson } from '../render/session';

const HELP = `Usage: scanjobs cancel <run-id> [--tenant <name or URL>] [--yes] [--json]

Asks the tenant to cancel a run. Workers stop before their next object; a script already running
finishes. Exit 0 when cancelled, 2 when the run had already completed (or another error).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...TENANT_OPTIONS, yes: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give one run id: scanjobs cancel <run-id>');
  const id = positionals[0];
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    confirmProduction(connection, values.yes, 'cancel a run');
    const result = await client.runs.cancel(id);
    if (values.json) writeJson(io, { runId: id, ...result });
    else if (result.status === 'SUCCESS') io.stdout.write(`Cancelled run ${id}.\n`);
    else io.stdout.write(`Run ${id} had already completed; there was nothing to cancel.\n`);
    return result.status === 'SUCCESS' ? EXIT.ok : EXIT.error;
  });
}
