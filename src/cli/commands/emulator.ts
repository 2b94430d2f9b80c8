/** `scanjobs emulator`: runs the local tenant until SIGINT/SIGTERM; `emulator service-account` registers one. */
import { CliIO, UsageError } from '../io';
import { DEFAULT_ADMIN } from '../../emulator/auth';
import { EMULATOR_USAGE, OptionError, parseEmulatorArgs } from '../../emulator/options';

async function serviceAccount(argv: string[], io: CliIO): Promise<number> {
  const dataIndex = argv.indexOf('--data');
  const dataDir = dataIndex >= 0 ? argv[dataIndex + 1] : undefined;
  const extra = argv.filter((a, i) => i !== dataIndex && i !== dataIndex + 1);
  if (!dataDir || extra.length)
    throw new UsageError('service-account takes exactly --data <dir> (the tenant the account belongs to)');
  const { Store } = await import('../../emulator/store');
  const { Authenticator } = await import('../../emulator/auth');
  // The same lock and check as an emulator's start (issue 12, docs/emulator.md): one process changes
  // a tenant folder at a time (this CLI may be another version than the running emulator, and would
  // migrate its schema under it), and nothing is written into a damaged file.
  const store = new Store({
    dataDir,
    exclusive: {
      inUse: 'Stop that emulator first (Ctrl+C), register the account, then start the emulator again.',
      damaged: 'no service account was registered',
    },
  });
  try {
    const account = await new Authenticator(store, () => new Date()).createServiceAccount();
    io.stdout.write(
      `Service account ${account.id} registered in ${dataDir}.\n` +
        `Its private JWK follows; it is stored nowhere, so save it now (as AIC shows it only once):\n` +
        `${JSON.stringify(account.jwk)}\n`,
    );
    return 0;
  } finally {
    store.close();
  }
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'service-account') return serviceAccount(argv.slice(1), io);
  let options;
  try {
    options = parseEmulatorArgs(argv);
  } catch (err) {
    if (err instanceof OptionError) throw new UsageError(err.message);
    throw err;
  }
  if (options.help) {
    io.stdout.write(EMULATOR_USAGE);
    return 0;
  }
  const { startEmulator } = await import('../../emulator/server');
  const emulator = await startEmulator({ ...options, log: (line) => io.stderr.write(`${line}\n`) });
  io.stdout.write(
    `Local tenant listening on ${emulator.url} (${options.inMemory ? 'in memory' : `data in ${options.dataDir}`}, SQLite via ${emulator.sqliteDriver}).\n` +
      `Sign in with the headers X-OpenIDM-Username: ${DEFAULT_ADMIN.username} and X-OpenIDM-Password: ${DEFAULT_ADMIN.password},\n` +
      `or as a service account: 'scanjobs emulator service-account --data <dir>', then the JWT-bearer grant at ${emulator.url}/am/oauth2/access_token.\n` +
      `Press Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  io.stdout.write('Local tenant stopped.\n');
  return 0;
}
