// Set Log API Key: the key and secret go to SecretStorage and nowhere else (not settings, not the
// settings file, not any log), and an empty id removes them (docs/logs.md "Log API key").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readText } from '../builders';
import { workspaceRoot } from '../ext';
import { extensionHostLogs, inspection } from './support';

describe('Set Log API Key', () => {
  it('keeps the log key in SecretStorage only, and removes it on request', async () => {
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: 'logs-dev',
      baseUrl: 'http://127.0.0.1:9',
      signIn: 'idm-password',
      username: 'auditor',
      environment: 'development',
      secret: 'auditor-password-1',
    });
    assert.equal(name, 'logs-dev');
    const i = await inspection();
    assert.equal(await i.hasLogKey('logs-dev'), false);
    const key = { id: 'log-key-id-4711aa', secret: 'log-key-secret-0815bb' };
    await vscode.commands.executeCommand('scanjobs.setLogApiKey', { tenant: 'logs-dev', ...key });
    assert.equal(await i.hasLogKey('logs-dev'), true);
    assert.equal(await i.hasLogKey('local'), true, 'the local tenant has its own');

    const settings = JSON.stringify(vscode.workspace.getConfiguration('scanjobs').inspect('tenants'));
    const settingsFile = await readText(vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json'));
    for (const text of [settings, settingsFile, ...extensionHostLogs(i).map((l) => l.text)]) {
      assert.ok(!text.includes(key.id) && !text.includes(key.secret), 'the log key leaked');
    }

    await vscode.commands.executeCommand('scanjobs.setLogApiKey', { tenant: 'logs-dev', id: '' });
    assert.equal(await i.hasLogKey('logs-dev'), false);
  });

  after(async () => {
    // Leave the tenants as the next suites expect them: the profile goes from the settings.
    const config = vscode.workspace.getConfiguration('scanjobs');
    const list = config.inspect<{ name: string }[]>('tenants')?.workspaceValue ?? [];
    await config.update(
      'tenants',
      list.filter((t) => t.name !== 'logs-dev'),
      vscode.ConfigurationTarget.Workspace,
    );
  });
});
