// Restricted Mode (package.json capabilities.untrustedWorkspaces): this suite's workspace is not
// trusted. Job files are still checked, but nothing connects to a tenant or runs a job's script.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scanJobsApi, scanJobsExtension } from '../ext';

describe('Restricted Mode', () => {
  it('is where this suite runs', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('refuses every command that reaches a tenant or runs a script, and says why', async () => {
    await scanJobsExtension().activate();
    const manifest = scanJobsExtension().packageJSON as { contributes: { commands: { command: string }[] } };
    const editorOnly = new Set([
      'scanjobs.validateJob',
      'scanjobs.formatQueryFilter',
      'scanjobs.editScript',
      'scanjobs.extractScript',
      'scanjobs.inlineScript',
      'scanjobs.addScriptTypes',
      'scanjobs.openRule',
      'scanjobs.showOutput',
      'scanjobs.openExampleJob',
    ]);
    const refused: string[] = [];
    for (const { command } of manifest.contributes.commands) {
      if (editorOnly.has(command)) continue;
      const result = await vscode.commands.executeCommand<unknown>(command);
      if (result instanceof Object && /needs a trusted workspace/.test(String((result as Error).message)))
        refused.push(command);
      else assert.fail(`${command} ran in Restricted Mode (it returned ${String(result)})`);
    }
    for (const id of [
      'scanjobs.startLocalTenant',
      'scanjobs.pushJob',
      'scanjobs.executeJob',
      'scanjobs.addTenant',
    ])
      assert.ok(refused.includes(id), `${id} is refused`);
    assert.equal(scanJobsApi().contextKey('scanjobs.localTenantRunning'), false);
  });
});
