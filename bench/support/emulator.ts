/**
 * Starts the local tenant (src/emulator/host.ts) as its own process on a fresh, seeded data folder, for the
 * benches that need a tenant in another process (so its CPU and memory are measured apart from the client).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface SeededEmulator {
  /** The tenant's base URL, as the host printed it. */
  url: string;
  /** Seconds from spawning the process to its first line (start-up plus seeding). */
  startSeconds: number;
}

/**
 * Runs `use` against an emulator seeded with `users` managed users; stops it and removes its data folder
 * afterwards, whatever `use` did. On failure the host's last log lines go to stderr.
 */
export async function withSeededEmulator<T>(
  users: number,
  use: (emulator: SeededEmulator) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'scanjobs-bench-'));
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      join(ROOT, 'src/emulator/host.ts'),
      '--port',
      '0',
      '--data',
      dir,
      '--seed-users',
      String(users),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise((r) => child.on('exit', r));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
      });
      child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    return await use({ url, startSeconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    console.error(`emulator's last log lines:\n${stderr}`);
    throw err;
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
