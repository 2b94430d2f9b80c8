// Stop Local Tenant ends the child process: the address stops answering and the state follows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../ext';
import { inspection } from './support';

describe('Stop Local Tenant', () => {
  it('stops the process, and the tenant commands go away with it', async () => {
    const url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    const i = await inspection();
    // one status item names the local tenant and its port
    assert.equal(i.statusText(), `$(server-process) Local tenant :${new URL(url).port}`);
    // nothing in progress: it stops without asking
    assert.equal(await vscode.commands.executeCommand<boolean>('scanjobs.stopLocalTenant'), true);
    await waitFor(
      'the local tenant to be reported stopped',
      () => !i.contextKey('scanjobs.localTenantRunning'),
    );
    assert.equal(i.contextKey('scanjobs.tenantConnected'), false);
    assert.equal(i.activeTenant(), undefined);
    assert.ok(!(await i.tenantsView()).some((r) => r.label === 'local'));
    await assert.rejects(fetch(`${url}/openidm/info/ping`), 'the local tenant still answers');
    assert.equal(i.polling(), 0);
  });
});
