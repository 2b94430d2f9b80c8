// Add Tenant into the user settings, Edit Tenant, and what a failed connection offers (issue 16 item 3).
// The guided steps themselves are driven by hand in test/ui/tenant-sidebar.test.ts; here the scripted
// arguments the walkthrough and automation use, against a real service-account tenant.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as vscode from 'vscode';
import { readText } from '../builders';
import { scanJobsApi, workspaceRoot } from '../ext';
import { inspection, startServiceAccountTenant, type ServiceAccountTenant } from './support';

const tenantsIn = (scope: 'workspaceValue' | 'globalValue'): unknown[] =>
  vscode.workspace.getConfiguration('scanjobs').inspect<unknown[]>('tenants')?.[scope] ?? [];

describe('Edit Tenant', () => {
  let tenant: ServiceAccountTenant;
  before(async () => {
    tenant = await startServiceAccountTenant();
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', undefined, vscode.ConfigurationTarget.Global);
    await tenant?.stop();
  });

  it('adds a tenant to the user settings when asked, leaving the workspace settings alone', async () => {
    const workspaceBefore = tenantsIn('workspaceValue');
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: 'mine',
      baseUrl: tenant.url,
      signIn: 'service-account',
      serviceAccountId: tenant.accountId,
      environment: 'development',
      secret: tenant.jwk,
      settings: 'user',
    });
    assert.equal(name, 'mine');
    assert.deepEqual(tenantsIn('globalValue'), [
      {
        name: 'mine',
        baseUrl: tenant.url,
        signIn: 'service-account',
        serviceAccountId: tenant.accountId,
        environment: 'development',
      },
    ]);
    assert.deepEqual(tenantsIn('workspaceValue'), workspaceBefore);
    const settingsFile = await readText(
      vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json'),
    ).catch(() => '');
    assert.ok(!settingsFile.includes('"mine"'), settingsFile);
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'mine'), true);
  });

  it('changes the environment where the profile lives, keeping the stored key', async () => {
    const name = await vscode.commands.executeCommand<string>('scanjobs.editTenant', {
      name: 'mine',
      environment: 'production',
    });
    assert.equal(name, 'mine');
    assert.deepEqual(tenantsIn('globalValue'), [
      {
        name: 'mine',
        baseUrl: tenant.url,
        signIn: 'service-account',
        serviceAccountId: tenant.accountId,
        environment: 'production',
      },
    ]);
    const i = await inspection();
    assert.equal(await i.hasSecret('mine'), true);
    const row = (await i.tenantsView()).find((r) => r.label === 'mine');
    assert.match(row?.description ?? '', /^production · /);
    // the key kept is the one that signs in
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'mine'), true);
  });

  it('offers Retry, Edit Tenant and Show Output when the connection fails', async () => {
    const stranger = JSON.stringify(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    );
    assert.equal(
      await vscode.commands.executeCommand('scanjobs.editTenant', { name: 'mine', secret: stranger }),
      'mine',
    );
    const before = scanJobsApi().shownMessages().length;
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'mine'), undefined);
    const shown = scanJobsApi().shownMessages().slice(before);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0].text, /^Scan Jobs: Test Connection on mine: /);
    assert.deepEqual(shown[0].actions, ['Retry', 'Edit Tenant', 'Show Output']);
    assert.ok(
      !shown[0].text.includes((JSON.parse(stranger) as { d: string }).d),
      'the key is in the message',
    );
    // Edit Tenant with the right key fixes it.
    await vscode.commands.executeCommand('scanjobs.editTenant', { name: 'mine', secret: tenant.jwk });
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'mine'), true);
  });

  it('refuses to edit a tenant that is not saved, naming it', async () => {
    const before = scanJobsApi().shownMessages().length;
    assert.equal(await vscode.commands.executeCommand('scanjobs.editTenant', 'nowhere'), undefined);
    const [shown] = scanJobsApi().shownMessages().slice(before);
    assert.match(
      shown.text,
      /^Scan Jobs: Edit Tenant: No tenant named 'nowhere' in the scanjobs.tenants setting/,
    );
  });
});
