import type { ParseArgsConfig } from 'node:util';
import { CliIO, UsageError } from '../io';
import {
  AmbiguousExecuteError,
  AuthError,
  Connection,
  CrestError,
  NetworkError,
  ProfileFile,
  TenantClient,
  TenantError,
  defaultProfilesFile,
  redact,
  resolveConnection,
} from '../../core/tenant';

/** Options every tenant command takes (docs/cli.md "Choosing the tenant"). */
export const TENANT_OPTIONS = {
  tenant: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

/** Exit codes of docs/cli.md. */
export const EXIT = { ok: 0, failures: 1, error: 2, usage: 3, stalled: 4 } as const;

export interface Session {
  client: TenantClient;
  connection: Connection;
}

export function profileFile(io: CliIO): ProfileFile {
  return new ProfileFile(defaultProfilesFile(io.env));
}

/** Opens the tenant named by --tenant / the environment; closes it when `body` is done. */
export async function withTenant(
  io: CliIO,
  tenant: string | undefined,
  body: (s: Session) => Promise<number>,
): Promise<number> {
  let connection: Connection;
  try {
    connection = resolveConnection(tenant, io.env, profileFile(io));
  } catch (err) {
    io.stderr.write(`${redact(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT.usage;
  }
  if (io.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    // Never silently: Node turns TLS verification off for the whole process with this variable.
    io.stderr.write('warning: NODE_TLS_REJECT_UNAUTHORIZED=0 is set: TLS certificates are NOT verified\n');
  }
  const client = new TenantClient(connection.baseUrl, connection.signIn, {
    env: io.env,
    caFile: connection.caFile,
    log: io.env.SCANJOBS_DEBUG ? (line) => io.stderr.write(`debug: ${line}\n`) : undefined,
  });
  try {
    return await body({ client, connection });
  } catch (err) {
    const code = reportError(io, err);
    if (err instanceof NetworkError && err.failure === 'refused' && connection.label === 'local') {
      io.stderr.write(
        'No tenant is configured, so this was the built-in local tenant; start it with ' +
          "'scanjobs emulator --in-memory --seed-users 1000' (or 'npm start'), or choose one with --tenant.\n",
      );
    }
    return code;
  } finally {
    await client.close();
  }
}

/** Prints a failure for people and maps it to the exit codes of docs/cli.md. */
export function reportError(io: CliIO, err: unknown): number {
  if (err instanceof UsageError) throw err;
  const text = redact(err instanceof Error ? err.message : String(err));
  io.stderr.write(`${text}\n`);
  if (err instanceof NetworkError || err instanceof AuthError) return EXIT.usage;
  if (err instanceof CrestError || err instanceof AmbiguousExecuteError || err instanceof TenantError)
    return EXIT.error;
  return EXIT.error;
}

/** Pushing, executing or cancelling on a production tenant needs --yes. */
export function confirmProduction(connection: Connection, yes: boolean | undefined, what: string): void {
  if (connection.environment === 'production' && !yes) {
    throw new UsageError(`'${connection.label}' is a production tenant: add --yes to ${what} there`);
  }
}

/** Writes one JSON value per line (for --json). */
export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${redact(JSON.stringify(value))}\n`);
}
