// An active tenant that does not answer shows as unreachable in the status item (issue 16 item 1),
// and as reachable again once it answers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { inspection } from './support';
import { closedPort } from '../../support/closed-port';

describe('an unreachable active tenant', () => {
  after(async () => {
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('says so in the status item once a read of it fails', async () => {
    const port = await closedPort();
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: 'gone',
      baseUrl: `http://127.0.0.1:${port}`,
      signIn: 'idm-password',
      username: 'openidm-admin',
      environment: 'development',
      secret: 'openidm-admin',
    });
    assert.equal(name, 'gone');
    const i = await inspection();
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'gone');
    assert.equal(i.activeTenant(), 'gone');
    // (the local tenant's port follows when it runs)
    assert.match(i.statusText() ?? '', /^\$\(cloud\) gone( · |$)/);
    // the Tenants view reads its jobs, which fails
    const root = (await i.tenantsView()).find((r) => r.label === 'gone');
    assert.ok(root);
    const kids = await i.tenantsView(root.node);
    assert.ok(
      kids.some((k) => /refused|ECONNREFUSED|connect/i.test(`${k.label} ${k.description}`)),
      JSON.stringify(kids),
    );
    // (the local tenant's port follows when it runs: f-jobs leaves it running); the last text the
    // item showed is in the failure message
    const unreachable = /^\$\(warning\) gone unreachable( · \$\(server-process\) Local tenant :\d+)?$/;
    let last: string | undefined;
    for (let waited = 0; waited < 15_000 && !unreachable.test(last ?? ''); waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      last = i.statusText();
    }
    assert.match(last ?? '(hidden)', unreachable);
  });
});
