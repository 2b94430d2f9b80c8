// `scanjobs watch <run-id>`: follow a run to its end (src/core/watch).
import type { CliIO } from '../io';
import { watchRun } from '../../core/watch';
import type { TenantClient } from '../../core/tenant';
import { EXIT, withTenant } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { RunView, exitCodeOf } from '../render/run-view';

const HELP = `Usage: scanjobs watch <run-id> [--tenant <name or URL>] [--json]

Follows a run until it is COMPLETED, CANCELLED or ERROR: a progress bar on a terminal, plain lines
otherwise, one JSON object per event with --json. Survives connection losses.
Exit 0 completed without failures, 1 completed with failures, 2 cancelled, error or stopped.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, { help: HELP, one: 'give one run id: scanjobs watch <run-id>' });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  return withTenant(io, values.tenant, ({ client }) =>
    follow(client, positionals[0], io, values.json === true),
  );
}

/** Watches until the end, stopping cleanly on Ctrl-C; returns the exit code. */
export async function follow(client: TenantClient, runId: string, io: CliIO, json: boolean): Promise<number> {
  const view = new RunView(io, json);
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  try {
    const end = await watchRun(runId, client.runs, { signal: ac.signal, onEvent: view.listener });
    return exitCodeOf(end);
  } finally {
    process.removeListener('SIGINT', onInt);
  }
}

export { EXIT };
