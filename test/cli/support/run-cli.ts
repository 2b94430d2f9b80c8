/** Runs the built CLI bundle (dist/cli.js) as users do, building it first when a source is newer. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'src'));
  if (stale)
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
}

/** `scanjobs <argv>` as a child process (asynchronously: a tenant may live in this process). */
export function cli(argv: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...argv], { cwd, env: { PATH: process.env.PATH, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}
