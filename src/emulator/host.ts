/**
 * Standalone entry (bundled to dist/emulator-host.js): the extension spawns it with
 * ELECTRON_RUN_AS_NODE=1. Takes the CLI's options; prints one JSON line `{"url","port"}` on stdout when
 * ready, logs on stderr, and stops cleanly on SIGINT/SIGTERM or when stdin closes (parent gone).
 */
import { EMULATOR_USAGE, OptionError, parseEmulatorArgs } from './options';
import { startEmulator } from './server';

async function main(): Promise<void> {
  let options;
  try {
    options = parseEmulatorArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `emulator-host: ${err instanceof OptionError ? err.message : String(err)}\n${EMULATOR_USAGE}`,
    );
    process.exitCode = 3;
    return;
  }
  const emulator = await startEmulator({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify({ url: emulator.url, port: emulator.port })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`emulator-host: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.env.SCANJOBS_EMULATOR_STDIN_LIFELINE === '1') process.stdin.on('end', stop).resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator-host: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
