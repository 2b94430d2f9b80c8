// The preamble every tenant command shares (src/cli/tenant-command.ts; docs/cli.md "Exit codes"):
// --help prints the command's help (exit 0); a bad option or a wrong count of arguments is a
// UsageError naming the problem (main prints it with the help hint, exit 3), before any tenant is
// chosen or asked.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { UsageError, type CliIO, type CommandRun } from '../../src/cli/io';
import * as cancel from '../../src/cli/commands/cancel';
import * as execute from '../../src/cli/commands/execute';
import * as jobs from '../../src/cli/commands/jobs';
import * as pull from '../../src/cli/commands/pull';
import * as push from '../../src/cli/commands/push';
import * as runs from '../../src/cli/commands/runs';
import * as watch from '../../src/cli/commands/watch';

/** Streams in memory, an empty configuration folder and a tenant no one listens on. */
function memoryIO(): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const io: CliIO = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {
      SCANJOBS_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'scanjobs-args-')),
      SCANJOBS_TENANT: 'http://127.0.0.1:9',
    },
    cwd: process.cwd(),
  };
  return { io, out: () => out, err: () => err };
}

const COMMANDS: { name: string; run: CommandRun; usage: RegExp; one?: string; atMostOne?: string }[] = [
  {
    name: 'cancel',
    run: cancel.run,
    usage: /^Usage: scanjobs cancel <run-id>/,
    one: 'give one run id: scanjobs cancel <run-id>',
  },
  {
    name: 'execute',
    run: execute.run,
    usage: /^Usage: scanjobs execute <job name>/,
    one: 'give one job name: scanjobs execute <name>',
  },
  {
    name: 'watch',
    run: watch.run,
    usage: /^Usage: scanjobs watch <run-id>/,
    one: 'give one run id: scanjobs watch <run-id>',
  },
  {
    name: 'pull',
    run: pull.run,
    usage: /^Usage: scanjobs pull <job name>/,
    one: 'give one job name: scanjobs pull <name>',
  },
  {
    name: 'push',
    run: push.run,
    usage: /^Usage: scanjobs push <job file>/,
    one: 'give one job file: scanjobs push <file>',
  },
  { name: 'jobs', run: jobs.run, usage: /^Usage: scanjobs jobs / },
  {
    name: 'runs',
    run: runs.run,
    usage: /^Usage: scanjobs runs /,
    atMostOne: 'scanjobs runs takes at most one run id',
  },
];

async function usageError(run: CommandRun, argv: string[]): Promise<string> {
  const m = memoryIO();
  const error = await run(argv, m.io).then(
    (code) => assert.fail(`exit ${code} instead of a usage error; stderr: ${m.err()}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UsageError, String(error));
  assert.equal(m.out(), '');
  return error.message;
}

describe('tenant command arguments', () => {
  for (const c of COMMANDS) {
    it(`${c.name} --help prints its help and exits 0`, async () => {
      const m = memoryIO();
      assert.equal(await c.run(['--help'], m.io), 0, m.err());
      assert.match(m.out(), c.usage);
      assert.match(m.out(), /--tenant <name or URL>/);
      assert.equal(m.err(), '');
    });

    it(`${c.name} rejects an unknown option as a usage error`, async () => {
      assert.match(await usageError(c.run, ['--bogus']), /'--bogus'/);
    });

    const one = c.one;
    const atMostOne = c.atMostOne;
    if (atMostOne) {
      it(`${c.name} takes at most one argument (a run id)`, async () => {
        assert.equal(await usageError(c.run, ['a', 'b']), atMostOne);
      });
    } else if (one) {
      it(`${c.name} without its argument, or with two, says what to give`, async () => {
        assert.equal(await usageError(c.run, []), one);
        assert.equal(await usageError(c.run, ['a', 'b']), one);
      });
    } else {
      it(`${c.name} takes no positional argument`, async () => {
        assert.match(await usageError(c.run, ['extra']), /'extra'/);
      });
    }
  }
});
