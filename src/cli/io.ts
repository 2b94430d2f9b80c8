/** What a CLI command may touch: its streams and environment, injectable for tests. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A command's entry: the arguments after its name; resolves to the process exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;

/** A usage mistake: printed with the command's help hint, exit code 3 (docs/cli.md). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
