// Add Tenant with a service account: the JWK goes to SecretStorage and nowhere else (not settings, not
// the settings file, not any log), and the tenant signs in with it (idm-api.md §6.2).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readText } from '../builders';
import { scanJobsApi, waitFor, workspaceRoot } from '../ext';
import {
  extensionHostLogs,
  inspection,
  scanJob,
  startServiceAccountTenant,
  tenantLensTitles,
  writeJob,
  type ServiceAccountTenant,
} from './support';

describe('Add Tenant', () => {
  let tenant: ServiceAccountTenant;
  before(async () => {
    tenant = await startServiceAccountTenant();
  });
  after(() => tenant?.stop());

  it('keeps the key in SecretStorage only, and signs in with it', async () => {
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: 'sa-dev',
      baseUrl: tenant.url,
      signIn: 'service-account',
      serviceAccountId: tenant.accountId,
      environment: 'staging',
      secret: tenant.jwk,
    });
    assert.equal(name, 'sa-dev');
    const i = await inspection();
    assert.equal(await i.hasSecret('sa-dev'), true);
    assert.equal(i.activeTenant(), 'sa-dev');
    assert.equal(i.contextKey('scanjobs.tenantConnected'), true);
    // every lens that writes or runs names the tenant it acts on
    const job = await writeJob('lensCheck', scanJob());
    assert.deepEqual(await tenantLensTitles(job), [
      '$(cloud-upload) Push to sa-dev',
      '$(play) Execute on sa-dev',
      '$(diff) Diff with sa-dev',
    ]);
    assert.equal(i.contextKey('scanjobs.hasTenants'), true);

    const saved = vscode.workspace.getConfiguration('scanjobs').get<Record<string, unknown>[]>('tenants');
    assert.deepEqual(saved, [
      {
        name: 'sa-dev',
        baseUrl: tenant.url,
        signIn: 'service-account',
        serviceAccountId: tenant.accountId,
        environment: 'staging',
      },
    ]);

    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'sa-dev'), true);

    const privatePart = (JSON.parse(tenant.jwk) as { d: string }).d;
    const settingsFile = await readText(vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json'));
    assert.ok(settingsFile.includes(tenant.accountId), 'the profile is in the workspace settings file');
    assert.ok(!settingsFile.includes(privatePart), 'the private key is in the settings file');
    const logs = extensionHostLogs(i);
    assert.ok(logs.length > 0, 'no extension host log files found');
    assert.ok(
      logs.some((l) => l.text.includes('Added tenant sa-dev')),
      'our output channel log was not found',
    );
    for (const l of logs) {
      assert.ok(!l.text.includes(privatePart), `the private key is in ${l.file}`);
      assert.ok(!l.text.includes('"kty"'), `a JWK is in ${l.file}`);
    }
  });

  it('shows the tenant with its environment in the Tenants view', async () => {
    const i = await inspection();
    const roots = await i.tenantsView();
    const sa = roots.find((r) => r.label === 'sa-dev');
    assert.ok(sa, `no sa-dev in ${roots.map((r) => r.label).join(', ')}`);
    assert.match(sa.description, /^staging · active · 127\.0\.0\.1:\d+$/);
    assert.equal(sa.contextValue, 'tenant.active');
    assert.equal(sa.icon, 'cloud');
  });

  it('follows the setting: a profile removed from settings leaves the view and the connection', async () => {
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', [], vscode.ConfigurationTarget.Workspace);
    const i = await inspection();
    await waitFor(
      'sa-dev to leave the view',
      async () => !(await i.tenantsView()).some((r) => r.label === 'sa-dev'),
    );
    assert.equal(i.contextKey('scanjobs.tenantConnected'), false);
    assert.equal(i.activeTenant(), undefined);
  });

  it("stores this editor's key for a profile shared in the workspace settings, leaving the profile as written", async () => {
    const shared = {
      name: 'team-sa',
      baseUrl: tenant.url,
      signIn: 'service-account',
      serviceAccountId: tenant.accountId,
      environment: 'development',
    };
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', [shared], vscode.ConfigurationTarget.Workspace);
    const i = await inspection();
    await waitFor('the shared tenant in the view', async () =>
      (await i.tenantsView()).some((r) => r.label === 'team-sa'),
    );
    assert.equal(await i.hasSecret('team-sa'), false);
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      ...shared,
      secret: tenant.jwk,
    });
    assert.equal(name, 'team-sa');
    assert.equal(await i.hasSecret('team-sa'), true);
    assert.deepEqual(vscode.workspace.getConfiguration('scanjobs').get('tenants'), [shared]);
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'team-sa'), true);
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', [], vscode.ConfigurationTarget.Workspace);
  });

  it('refuses a password in the tenant URL, saying where it goes, and stores nothing', async () => {
    const password = 'Url-pa55word';
    const before = vscode.workspace.getConfiguration('scanjobs').get('tenants');
    const name = await vscode.commands.executeCommand('scanjobs.addTenant', {
      name: 'in-url',
      baseUrl: tenant.url.replace('http://', `http://admin:${password}@`),
      signIn: 'idm-password',
      username: 'admin',
      environment: 'development',
      secret: 'elsewhere-secret',
    });
    assert.equal(name, undefined);
    const [shown] = scanJobsApi().shownMessages().slice(-1);
    assert.match(
      shown.text,
      /^Scan Jobs: Add Tenant: 'http:\/\/\*\*\*@127\.0\.0\.1:\d+' holds a user name or password/,
    );
    assert.match(shown.text, /secret storage/);
    assert.ok(!shown.text.includes(password), shown.text);
    const i = await inspection();
    assert.equal(await i.hasSecret('in-url'), false);
    assert.deepEqual(vscode.workspace.getConfiguration('scanjobs').get('tenants'), before);
    for (const l of extensionHostLogs(i))
      assert.ok(!l.text.includes(password), `the password is in ${l.file}`);
  });
});
