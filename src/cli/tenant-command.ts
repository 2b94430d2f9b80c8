// The preamble every tenant command shares (docs/cli.md "Choosing the tenant", "Exit codes"): its own
// options beside --tenant/--json/--help, a bad option as a usage error (exit 3), --help printed
// (exit 0), and the count of positional arguments checked before anything is sent.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliIO, UsageError } from './io';
import { TENANT_OPTIONS } from './render/session';

type Options = NonNullable<ParseArgsConfig['options']>;
type Config<O extends Options> = {
  args: string[];
  options: typeof TENANT_OPTIONS & O;
  allowPositionals: boolean;
  strict: true;
};

export interface TenantCommandSpec<O extends Options> {
  help: string;
  /** The command's own options. */
  options?: O;
  /** For a command taking exactly one positional argument: the usage error when it is missing. */
  one?: string;
  /** For a command taking an optional positional argument: the usage error when there are more. */
  atMostOne?: string;
}

export type TenantArgs<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>;

/** The parsed arguments, or undefined when --help was printed and the command is done. */
export function parseTenantArgs<const O extends Options = Record<never, never>>(
  argv: string[],
  io: CliIO,
  spec: TenantCommandSpec<O>,
): TenantArgs<O> | undefined {
  let parsed: TenantArgs<O>;
  try {
    parsed = parseArgs<Config<O>>({
      args: argv,
      options: { ...TENANT_OPTIONS, ...spec.options } as typeof TENANT_OPTIONS & O,
      allowPositionals: spec.one !== undefined || spec.atMostOne !== undefined,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(spec.help);
    return undefined;
  }
  if (spec.one !== undefined && parsed.positionals.length !== 1) throw new UsageError(spec.one);
  if (spec.atMostOne !== undefined && parsed.positionals.length > 1) throw new UsageError(spec.atMostOne);
  return parsed;
}
