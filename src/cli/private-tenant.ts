// The CLI's private tenant for a dry run: the emulator in this process, on 127.0.0.1 port 0, in a
// fresh temporary data folder, deleted afterwards unless kept (docs/preview.md). It listens on this
// machine only, so the samples never leave it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrivateTenant, PrivateTenantSetup } from '../core/preview';
import { IdmPasswordSignIn, TenantClient } from '../core/tenant';
import { startEmulator } from '../emulator/server';

export async function startPrivateTenant(
  setup: PrivateTenantSetup,
  log: (line: string) => void,
): Promise<PrivateTenant> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scanjobs-dry-run-'));
  let emulator;
  try {
    emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      managedObjects: setup.managedObjects,
      traceScriptCalls: true,
      log,
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const client = new TenantClient(emulator.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
    env: {},
  });
  return {
    client,
    location: dataDir,
    close: async (keep) => {
      await client.close();
      await emulator.close();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
