// Before any tenant exists: the views are empty (their welcome shows), and every command that talks
// to a tenant is hidden from the palette by a `when` clause on scanjobs.tenantConnected, which is off.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { exportedApi } from '../../../src/extension/extension';
import { scanJobsApi, scanJobsExtension } from '../ext';
import { inspection, outputText } from './support';

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

  // Each tenant command by its palette title, written out here (not read from the manifest).
  const titled: [string, string][] = [
    ['pushJob', 'Push Job'],
    ['pullJob', 'Pull Job'],
    ['executeJob', 'Execute Job'],
    ['cancelRun', 'Cancel Run'],
    ['watchRun', 'Watch Run'],
    ['deleteJob', 'Delete Job'],
    ['pauseJob', 'Pause Job'],
    ['resumeJob', 'Resume Job'],
    ['triggerJob', 'Trigger Job'],
    ['diffJob', 'Diff with Tenant'],
    ['testConnection', 'Test Connection'],
  ];

  it('tells the user what to do when a tenant command runs anyway, for every tenant command', async () => {
    assert.deepEqual(
      titled.map(([c]) => c),
      tenantCommands,
    );
    for (const [command, title] of titled) {
      const before = scanJobsApi().shownMessages().length;
      // The registry turns the failure into an error message; the command itself resolves undefined.
      assert.equal(await vscode.commands.executeCommand(`scanjobs.${command}`), undefined);
      const shown = scanJobsApi().shownMessages().slice(before);
      assert.deepEqual(
        shown,
        [
          {
            level: 'error',
            text: `Scan Jobs: ${title}: no tenant is active. Add one, or start the local tenant, then run the command again.`,
            actions: ['Add Tenant', 'Start Local Tenant'],
          },
        ],
        `scanjobs.${command}`,
      );
    }
    const i = await inspection();
    assert.equal(i.polling(), 0);
    // Logged as a warning with its stack: the user can act on it.
    const log = await outputText(i, /Watch Run failed: no tenant is active/);
    assert.match(
      log,
      /\[warning\] Cancel Run failed: no tenant is active[^\n]*\nNoTenantError: [^\n]*\n\s+at /,
    );
  });

  it('logs a defect at error level with its stack', async () => {
    // A run node without its run: a defect-shaped failure (TypeError) in the command.
    await vscode.commands.executeCommand('scanjobs.watchRun', { kind: 'run', tenant: 'x', run: null });
    const [last] = scanJobsApi().shownMessages().slice(-1);
    assert.match(last.text, /^Scan Jobs: Watch Run: Cannot read properties of null/);
    const log = await outputText(await inspection(), /Watch Run failed unexpectedly/);
    assert.match(
      log,
      /\[error\] Watch Run failed unexpectedly: TypeError: Cannot read properties of null[^\n]*\n\s+at /,
    );
  });

  it('exports its test hooks only in test mode', () => {
    const hooks = () => {
      throw new Error('hooks asked for outside test mode');
    };
    assert.deepEqual(exportedApi(vscode.ExtensionMode.Production, 5, hooks), { activationMs: 5 });
    assert.deepEqual(exportedApi(vscode.ExtensionMode.Development, 5, hooks), { activationMs: 5 });
    assert.deepEqual(Object.keys(scanJobsApi()).sort(), [
      'activationMs',
      'answerShown',
      'contextKey',
      'loadedParts',
      'reloadScriptLinks',
      'shownMessages',
      'shownSteps',
      'tenantInspection',
    ]);
  });
});
