// Before any tenant exists: the views are empty (their welcome shows), and every command that talks
// to a tenant is hidden from the palette by a `when` clause on scanjobs.tenantConnected, which is off.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanJobsExtension } from '../ext';
import { inspection } from './support';

const tenantCommands = [
  'pushJob',
  'pullJob',
  'executeJob',
  'cancelRun',
  'watchRun',
  'deleteJob',
  'pauseJob',
  'resumeJob',
  'triggerJob',
  'diffJob',
  'testConnection',
];

describe('tenant side with no tenant', () => {
  it('has no tenant, no connection and empty views', async () => {
    const i = await inspection();
    assert.equal(i.contextKey('scanjobs.hasTenants'), false);
    assert.equal(i.contextKey('scanjobs.tenantConnected'), false);
    assert.equal(i.activeTenant(), undefined);
    assert.deepEqual(await i.tenantsView(), []);
    assert.deepEqual(await i.runsView(), []);
    assert.equal(i.polling(), 0);
  });

  it('offers the tenant commands in the palette only while a tenant is connected', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(scanJobsExtension().extensionPath, 'package.json'), 'utf8'),
    ) as { contributes: { menus: { commandPalette: { command: string; when?: string }[] } } };
    const palette = new Map(manifest.contributes.menus.commandPalette.map((m) => [m.command, m.when ?? '']));
    for (const c of tenantCommands) {
      const when = palette.get(`scanjobs.${c}`);
      assert.ok(
        when?.includes('scanjobs.tenantConnected'),
        `scanjobs.${c} is offered without a connected tenant (${when})`,
      );
    }
  });

  it('tells the user what to do when a tenant command runs anyway', async () => {
    const { executeCommand } = await import('vscode').then((v) => v.commands);
    // The registry turns the failure into an error message; the command itself resolves undefined.
    assert.equal(await executeCommand('scanjobs.cancelRun'), undefined);
    const i = await inspection();
    assert.equal(i.polling(), 0);
  });
});
