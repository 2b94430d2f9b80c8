// Stop Local Tenant ends the child process: the address stops answering and the state follows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../ext';
import { inspection } from './support';

describe('Stop Local Tenant', () => {
  it('stops the process, and the tenant commands go away with it', async () => {
    const url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    await vscode.commands.executeCommand('scanjobs.stopLocalTenant');
    const i = await inspection();
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
