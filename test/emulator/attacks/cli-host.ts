/** The real `scanjobs` CLI (dist/cli.js) as a child process, for attacks that need signals or two processes. */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

/** Builds dist/cli.js when a source is newer than it: the attacks run the bundle users run. */
export function ensureBuilt(): void {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'src')))
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
}

export interface Process {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `scanjobs <argv>`; output is collected as it comes. */
export function scanjobs(argv: string[], env: NodeJS.ProcessEnv = {}): Process {
  const child = spawn(process.execPath, [CLI, ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exited };
}

export interface EmulatorProcess extends Process {
  url: string;
}

/** `scanjobs emulator <args>`, resolved once its banner names the URL; rejects if it exits first. */
export async function emulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const p = scanjobs(['emulator', ...args]);
  let exited = false;
  void p.exited.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /listening on (http:\/\/\S+) \(/.exec(p.out());
    if (m) return { ...p, url: m[1]! };
    if (exited) throw new Error(`emulator exited: ${JSON.stringify(await p.exited)} ${p.err()}`);
    if (Date.now() > deadline) throw new Error(`emulator did not start: ${p.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops a child with a signal if it still runs, and waits for it. */
export async function stop(p: Process | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}
