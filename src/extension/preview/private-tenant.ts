// The editor's private tenant for a dry run: the emulator host (dist/emulator-host.js) as a child of
// the extension host, run by the editor's own runtime (DESIGN.md "Runtime notes"), on 127.0.0.1 port
// 0 in a new temporary folder that holds the copied objects' types (managed-objects.json). It stops
// when its stdin closes, so it never outlives the editor; its folder is deleted unless kept.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrivateTenant, PrivateTenantSetup } from '../../core/preview';
import { IdmPasswordSignIn, TenantClient } from '../../core/tenant';

export async function startPrivateTenant(
  hostScript: string,
  setup: PrivateTenantSetup,
  log: (line: string) => void,
): Promise<PrivateTenant> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scanjobs-dry-run-'));
  // The host reads the types to serve from its data folder (docs/emulator.md --managed-objects).
  writeFileSync(join(dataDir, 'managed-objects.json'), JSON.stringify(setup.managedObjects));
  const child = spawn(
    process.execPath,
    [hostScript, '--port', '0', '--data', dataDir, '--trace-script-calls'],
    {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', SCANJOBS_EMULATOR_STDIN_LIFELINE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
    for (const line of d.split('\n').filter(Boolean)) log(`[dry-run tenant] ${line}`);
  });
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error('the private tenant did not start within 30 s')),
        30_000,
      );
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const line = out.split('\n').find((l) => l.trim().startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start the private tenant with ${process.execPath}: ${e.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(`the private tenant exited (${code}) before it listened: ${stderr.trim().slice(-600)}`),
        );
      });
    });
  } catch (err) {
    child.kill();
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const client = new TenantClient(url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), { env: {} });
  return {
    client,
    location: dataDir,
    close: async (keep) => {
      await client.close();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
