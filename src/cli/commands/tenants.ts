// `scanjobs tenants add|list|remove|test`: saved tenant profiles (no secrets in them).
import { parseArgs } from 'node:util';
import { CliIO, UsageError } from '../io';
import {
  ENVIRONMENTS,
  SIGN_IN_KINDS,
  TenantError,
  TenantProfile,
  defaultProfilesFile,
  redact,
  toProfile,
} from '../../core/tenant';
import { EXIT, TENANT_OPTIONS, profileFile, withTenant, writeJson } from '../render/session';
import { table } from '../render/table';
import { duration } from '../render/run-view';

const HELP = `Usage:
  scanjobs tenants add <name> --url <base URL> --sign-in <kind> [options]
      --sign-in ${SIGN_IN_KINDS.join('|')}
      --username <user>              IDM user (idm-password); the password comes from IDM_PASSWORD
      --service-account-id <id>      AIC service account; the key comes from SERVICE_ACCOUNT_KEY,
      --key-file <path>              FRODO_SA_JWK, SERVICE_ACCOUNT_KEY_PATH or this file
      --realm <realm>                e.g. alpha
      --environment ${ENVIRONMENTS.join('|')}   (production asks for --yes before changes)
      --ca-file <path>               extra trusted CA certificates (PEM)
      --platform aic|idm|openidm     what the tenant runs (validate checks jobs for it; detected if left out)
  scanjobs tenants list [--json]
  scanjobs tenants remove <name>
  scanjobs tenants test [--tenant <name or URL>] [--json]

Profiles are kept in ${'$'}SCANJOBS_CONFIG_DIR/tenants.json (default ~/.config/scanjobs/tenants.json).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(HELP);
    return sub ? EXIT.ok : EXIT.usage;
  }
  switch (sub) {
    case 'add':
      return add(rest, io);
    case 'list':
      return list(rest, io);
    case 'remove':
      return remove(rest, io);
    case 'test':
      return test(rest, io);
    default:
      throw new UsageError(`unknown subcommand '${sub}': use add, list, remove or test`);
  }
}

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function add(argv: string[], io: CliIO): number {
  const { values, positionals } = parse(argv, {
    url: { type: 'string' },
    'sign-in': { type: 'string' },
    username: { type: 'string' },
    'service-account-id': { type: 'string' },
    'key-file': { type: 'string' },
    realm: { type: 'string' },
    environment: { type: 'string' },
    'ca-file': { type: 'string' },
    platform: { type: 'string' },
  });
  if (positionals.length !== 1)
    throw new UsageError('give one profile name: scanjobs tenants add <name> --url …');
  if (!values.url)
    throw new UsageError('--url is required (the tenant base URL, e.g. https://tenant.example.com)');
  if (!values['sign-in']) throw new UsageError(`--sign-in is required: ${SIGN_IN_KINDS.join(', ')}`);
  let profile: TenantProfile;
  try {
    profile = toProfile(
      {
        name: positionals[0],
        baseUrl: values.url,
        signIn: values['sign-in'],
        username: values.username,
        serviceAccountId: values['service-account-id'],
        keyFile: values['key-file'],
        realm: values.realm,
        environment: values.environment,
        caFile: values['ca-file'],
        platform: values.platform,
      },
      'tenants add',
    );
  } catch (err) {
    throw new UsageError((err as TenantError).message.replace(/^tenants add: /, ''));
  }
  const file = profileFile(io);
  const replaced = file.get(profile.name) !== undefined;
  file.put(profile);
  io.stdout.write(
    `${replaced ? 'Updated' : 'Added'} tenant '${profile.name}' (${profile.baseUrl}, ${profile.signIn}, ${profile.environment}) in ${file.path}\n`,
  );
  return EXIT.ok;
}

function list(argv: string[], io: CliIO): number {
  const { values } = parse(argv, { json: { type: 'boolean' } });
  const profiles = profileFile(io).list();
  if (values.json) {
    writeJson(io, profiles);
    return EXIT.ok;
  }
  if (profiles.length === 0) {
    io.stdout.write(
      `No tenant profiles in ${defaultProfilesFile(io.env)}; commands use the built-in local tenant (http://127.0.0.1:8080).\n`,
    );
    return EXIT.ok;
  }
  io.stdout.write(
    table(
      ['NAME', 'BASE URL', 'SIGN-IN', 'ENVIRONMENT', 'REALM'],
      profiles.map((p) => [p.name, p.baseUrl, p.signIn, p.environment, p.realm ?? '']),
    ),
  );
  return EXIT.ok;
}

function remove(argv: string[], io: CliIO): number {
  const { positionals } = parse(argv, {});
  if (positionals.length !== 1) throw new UsageError('give one profile name: scanjobs tenants remove <name>');
  if (!profileFile(io).remove(positionals[0])) {
    io.stderr.write(`No tenant profile named '${positionals[0]}'\n`);
    return EXIT.usage;
  }
  io.stdout.write(`Removed tenant '${positionals[0]}'\n`);
  return EXIT.ok;
}

async function test(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, TENANT_OPTIONS);
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const started = Date.now();
    const jobs = await client.jobs.query({ pageSize: 1, fields: ['_id'] });
    const runs = await client.runs.list();
    const took = Date.now() - started;
    const result = {
      tenant: connection.label,
      baseUrl: connection.baseUrl,
      source: connection.source,
      signIn: connection.signIn.kind,
      environment: connection.environment,
      jobs: jobs.totalPagedResults ?? jobs.resultCount,
      runs: runs.length,
      ms: took,
    };
    if (values.json) writeJson(io, result);
    else {
      io.stdout.write(
        redact(
          `OK: ${connection.label} (${connection.baseUrl}, from ${connection.source}) signed in with ${connection.signIn.kind}; ` +
            `${result.jobs >= 0 ? `${result.jobs} job(s)` : 'jobs readable'}, ${runs.length} run(s) held; two requests in ${duration(took)}.\n`,
        ),
      );
    }
    return EXIT.ok;
  });
}
