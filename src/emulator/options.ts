/** The emulator's command-line options, shared by `scanjobs emulator` and the standalone host. */
import { FLAVOR_NAMES, type FlavorName } from './flavor';
import { readManagedObjects, type EmulatorOptions } from './server';

export const EMULATOR_USAGE = `Usage: scanjobs emulator [--host 127.0.0.1] [--port 8080|0] [--data <dir> | --in-memory]
                        [--seed-users N] [--strict]
                        [--flavor aic|openidm]
       scanjobs emulator service-account --data <dir>

Runs a local tenant: scheduler, task scanner and managed objects (docs/emulator.md).
  --host <addr>      interface to listen on (default 127.0.0.1)
  --port <n>         port (default 8080; 0 picks a free one)
  --data <dir>       keep the tenant in <dir>/tenant.sqlite (survives restarts)
  --in-memory        keep nothing (tests, demos)
  --seed-users <n>   create n users in managed/alpha_user and managed/user if empty
  --strict           where the platform has a known defect (e.g. a run stuck ACTIVE), answer
                     with an error instead of reproducing it
  --flavor <name>    the platform to play: aic (default) or openidm (OpenIDM 6.1.0 as
                     observed on a live server, docs/emulator.md)
  --managed-objects <file>  also serve these managed objects: a JSON array of {"name", "schema"}
  --trace-script-calls      record each openidm.* call of a scan's script in its run log

service-account     registers a service account in <dir> and prints its id and private JWK
`;

export class OptionError extends Error {}

/** Parses `--flag value` options; unknown or malformed ones are errors naming the option. */
export function parseEmulatorArgs(argv: string[]): EmulatorOptions & { help?: boolean } {
  const out: EmulatorOptions & { help?: boolean } = {};
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new OptionError(`${name} needs a value`);
    return v;
  };
  const integer = (text: string, name: string, max: number): number => {
    if (!/^\d+$/.test(text) || Number(text) > max)
      throw new OptionError(`${name} must be an integer from 0 to ${max}, got '${text}'`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--host':
        out.host = value(i++, arg);
        break;
      case '--port':
        out.port = integer(value(i++, arg), arg, 65535);
        break;
      case '--data':
        out.dataDir = value(i++, arg);
        break;
      case '--in-memory':
        out.inMemory = true;
        break;
      case '--seed-users':
        out.seedUsers = integer(value(i++, arg), arg, 10_000_000);
        break;
      case '--flavor': {
        const name = value(i++, arg);
        if (!(FLAVOR_NAMES as readonly string[]).includes(name))
          throw new OptionError(`--flavor must be one of ${FLAVOR_NAMES.join(', ')}, got '${name}'`);
        out.flavor = name as FlavorName;
        break;
      }
      case '--strict':
        out.strict = true;
        break;
      case '--managed-objects':
        try {
          out.managedObjects = readManagedObjects(value(i++, arg));
        } catch (err) {
          throw new OptionError(`--managed-objects: ${(err as Error).message}`);
        }
        break;
      case '--trace-script-calls':
        out.traceScriptCalls = true;
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new OptionError(`unknown option '${arg}'`);
    }
  }
  if (out.dataDir && out.inMemory) throw new OptionError('--data and --in-memory exclude each other');
  if (!out.dataDir && !out.inMemory && !out.help)
    throw new OptionError('choose where the tenant lives: --data <dir> or --in-memory');
  return out;
}
