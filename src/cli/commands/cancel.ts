// `scanjobs cancel <run-id>` (idm-api.md §4.3, §5.7).
import type { CliIO } from '../io';
import { EXIT, confirmProduction, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';

const HELP = `Usage: scanjobs cancel <run-id> [--tenant <name or URL>] [--yes] [--json]

Asks the tenant to cancel a run. Workers stop before their next object; a script already running
finishes. Exit 0 when cancelled, 2 when the run had already completed (or another error).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: { yes: { type: 'boolean' } },
    one: 'give one run id: scanjobs cancel <run-id>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
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
