import { CliIO, CommandRun, UsageError, processIO } from './io';
import { VERSION } from '../core/version';

/**
 * The command table. Each command lives in its own module, loaded only when it is run, so
 * `scanjobs filter check` never pays for the emulator or the HTTP client.
 */
const commands: Record<string, { summary: string; load: () => Promise<CommandRun> }> = {
  tenants: {
    summary: 'add, list, remove or test tenant connection profiles',
    load: async () => (await import('./commands/tenants')).run,
  },
  jobs: {
    summary: "list a tenant's task-scanner jobs",
    load: async () => (await import('./commands/jobs')).run,
  },
  push: {
    summary: 'push a job file (any layout) to a tenant; --dry-run shows the diff',
    load: async () => (await import('./commands/push')).run,
  },
  pull: {
    summary: 'write a tenant job to files in a chosen layout',
    load: async () => (await import('./commands/pull')).run,
  },
  execute: {
    summary: 'start a run of a job; --watch follows it to the end',
    load: async () => (await import('./commands/execute')).run,
  },
  runs: {
    summary: 'list task-scanner runs (of one job with --job); --history: every run this client saw',
    load: async () => (await import('./commands/runs')).run,
  },
  logs: {
    summary: "print a run's or a job's script log lines (AIC's log API); --follow for new ones",
    load: async () => (await import('./commands/logs')).run,
  },
  cancel: {
    summary: 'cancel a run',
    load: async () => (await import('./commands/cancel')).run,
  },
  watch: {
    summary: 'follow a run to its end with live progress',
    load: async () => (await import('./commands/watch')).run,
  },
  filter: {
    summary: 'check, evaluate or format a _queryFilter',
    load: async () => (await import('./commands/filter')).run,
  },
  validate: {
    summary: 'check job files (schema, cron, filter, script, rules) in any layout',
    load: async () => (await import('./commands/validate')).run,
  },
  preview: {
    summary: "show what a job's filter matches on a tenant now and how the task state splits it (reads only)",
    load: async () => (await import('./commands/preview')).run,
  },
  'dry-run': {
    summary: 'run a job on a private local copy of its matches and show each result and diff (reads only)',
    load: async () => (await import('./commands/dry-run')).run,
  },
  emulator: {
    summary: 'run a local tenant (scheduler, task scanner, managed objects) on 127.0.0.1',
    load: async () => (await import('./commands/emulator')).run,
  },
  // Each issue's helper adds its commands here, e.g.
  // filter: { summary: '…', load: async () => (await import('./commands/filter')).run },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `scanjobs ${VERSION}: scan jobs for PingOne Advanced Identity Cloud and PingIDM\n\nUsage: scanjobs <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'scanjobs <command> --help' for a command's options.\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name ? 0 : 3;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`scanjobs: unknown command '${name}'. Run 'scanjobs --help' for the list.\n`);
    return 3;
  }
  try {
    return await (
      await command.load()
    )(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`scanjobs ${name}: ${err.message}\nRun 'scanjobs ${name} --help' for its options.\n`);
      return 3;
    }
    io.stderr.write(`scanjobs ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`scanjobs: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
