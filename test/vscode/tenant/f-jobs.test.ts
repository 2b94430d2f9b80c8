// The job commands on the local tenant: the walkthrough's example job, Diff with Tenant, Pause,
// Resume, Trigger, Pull into another layout, and "Load more" paging of a tenant's jobs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readText } from '../builders';
import { waitFor, workspaceRoot } from '../ext';
import type { ShownItem } from '../../../src/extension/tenant/inspect';
import { inspection, scanJob, scriptJob } from './support';

const admin = { 'x-openidm-username': 'openidm-admin', 'x-openidm-password': 'openidm-admin' };

describe('job commands', () => {
  let url: string;
  before(async () => {
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
  });

  async function jobItem(name: string): Promise<ShownItem> {
    const i = await inspection();
    const local = (await i.tenantsView()).find((r) => r.label === 'local');
    assert.ok(local);
    const item = (await i.tenantsView(local.node)).find((j) => j.label === name);
    assert.ok(item, `no ${name} under the local tenant`);
    return item;
  }

  it('opens the example job in the workspace, pushes it and diffs it with the tenant', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.openExampleJob');
    assert.equal(uri.toString(), vscode.Uri.joinPath(workspaceRoot(), 'sunset.scanjob.json').toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), 'sunset');
    await vscode.commands.executeCommand('scanjobs.diffJob', uri);
    const tab = await waitFor('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.original.scheme, 'scanjobs-tenant');
    const remote = await vscode.workspace.openTextDocument(tab.original);
    const local = await vscode.workspace.openTextDocument(tab.modified);
    assert.equal(JSON.parse(remote.getText()).invokeContext.scan.object, 'managed/alpha_user');
    // Just pushed: the two sides are the same job.
    assert.deepEqual(JSON.parse(remote.getText()), JSON.parse(local.getText()));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('pauses and resumes a job from its tree node', async () => {
    await vscode.commands.executeCommand('scanjobs.pauseJob', (await jobItem('sunset')).node);
    let item = await jobItem('sunset');
    assert.equal(item.contextValue, 'job.scan.paused');
    assert.equal(item.description, 'paused');
    assert.equal(item.icon, 'debug-pause');
    await vscode.commands.executeCommand('scanjobs.resumeJob', item.node);
    item = await jobItem('sunset');
    assert.equal(item.contextValue, 'job.scan.enabled');
    assert.match(item.description, /^enabled · next \d{4}-\d\d-\d\d 02:00 UTC$/);
  });

  it('triggers a job, and its run appears under it', async () => {
    const i = await inspection();
    await vscode.commands.executeCommand('scanjobs.triggerJob', (await jobItem('sunset')).node);
    const runs = await waitFor('a run of sunset', async () => {
      await vscode.commands.executeCommand('scanjobs.refresh', (await jobItem('sunset')).node);
      const r = await i.tenantsView((await jobItem('sunset')).node);
      return r[0]?.node.kind === 'run' ? r : undefined;
    });
    assert.match(runs[0].description, /^(INITIALIZED|ACTIVE|COMPLETED) · \d+\/\d+/);
  });

  it('pulls a job into the fr-config-manager layout, its script in a file of its own', async () => {
    const main = await vscode.commands.executeCommand<vscode.Uri>(
      'scanjobs.pullJob',
      (await jobItem('sunset')).node,
      'fr-config-manager',
    );
    assert.equal(
      main.toString(),
      vscode.Uri.joinPath(workspaceRoot(), 'schedules/sunset/sunset.json').toString(),
    );
    const job = JSON.parse(await readText(main)) as {
      _id: string;
      invokeContext: { task: { script: { file?: string } } };
    };
    assert.equal(job._id, 'schedule/sunset');
    assert.equal(job.invokeContext.task.script.file, 'sunset.js');
    // The file `scanjobs pull` writes: no server fields, no repeat fields a cron job's read echoes as 0.
    for (const key of ['triggers', 'nextRunDate', 'repeatInterval', 'repeatCount'])
      assert.ok(!(key in job), `${key} in the pulled file`);
    const script = await readText(vscode.Uri.joinPath(workspaceRoot(), 'schedules/sunset/sunset.js'));
    assert.match(script, /openidm\.patch\(objectID, null, patch\)/);
  });

  it('shows a tenant with many jobs a page at a time, scan jobs first', async () => {
    const put = (name: string, body: unknown) =>
      fetch(`${url}/openidm/scheduler/job/${name}`, {
        method: 'PUT',
        headers: { ...admin, 'content-type': 'application/json', 'accept-api-version': 'resource=2.0' },
        body: JSON.stringify(body),
      }).then((r) => assert.ok(r.ok, `PUT ${name}: ${r.status}`));
    for (let n = 0; n < 55; n++)
      await put(`bulk-${String(n).padStart(2, '0')}`, scanJob({ stateKey: 'bulk' }));
    await put('aaa-script', scriptJob());
    const i = await inspection();
    const local = (await i.tenantsView()).find((r) => r.label === 'local');
    assert.ok(local);
    await vscode.commands.executeCommand('scanjobs.refresh', local.node);
    const first = await i.tenantsView(local.node);
    assert.equal(first.length, 51);
    assert.equal(first[50].label, 'Load more…');
    assert.ok(
      first.slice(0, 50).every((j) => j.contextValue.startsWith('job.scan')),
      'a non-scan job before the scan jobs',
    );
    await vscode.commands.executeCommand('scanjobs.loadMore', first[50].node);
    const all = await i.tenantsView(local.node);
    assert.ok(!all.some((j) => j.label === 'Load more…'), 'still a "Load more" after the last page');
    const last = all[all.length - 1];
    assert.equal(last.label, 'aaa-script');
    assert.equal(last.contextValue, 'job.other.disabled');
    assert.match(last.description, /^not a scan job \(script\) · disabled$/);
    assert.equal(new Set(all.map((j) => j.label)).size, all.length, 'a job listed twice');
  });
});
