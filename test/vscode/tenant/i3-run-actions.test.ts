// The run details view's Run Again and Open Job (issue 14 §1) in the real VS Code on the local tenant,
// pressed as the page's buttons press them (the same action names, through the panel). What they did is
// read back from the tenant over HTTP: a new run of the same job there, and the tenant's own copy of a
// job that has no file in the workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import { waitFor } from '../ext';
import { inspection, scanJob, writeJob } from './support';

const ADMIN = {
  'x-openidm-username': 'openidm-admin',
  'x-openidm-password': 'openidm-admin',
  'accept-api-version': 'resource=1.0',
};

interface TenantRun {
  _id: string;
  name: string | null;
  progress: { state: string; processed: number };
}

describe('run details actions: Run Again and Open Job', () => {
  let url: string;

  before(async function () {
    this.timeout(60_000);
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function tenantRuns(): Promise<TenantRun[]> {
    const reply = await fetch(`${url}/openidm/taskscanner`, { headers: ADMIN });
    return ((await reply.json()) as { tasks: TenantRun[] }).tasks;
  }

  async function finishedRun(uri: vscode.Uri): Promise<string> {
    const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(end?.type === 'final' && end.run.progress.state, 'COMPLETED');
    return end.type === 'final' ? end.run._id : '';
  }

  it('Run Again starts a new run of the same job on the same tenant and follows it', async function () {
    this.timeout(120_000);
    const uri = await writeJob('againScan', scanJob({ stateKey: 'again', threads: 2 }));
    await vscode.commands.executeCommand('scanjobs.pushJob', uri);
    const firstId = await finishedRun(uri);
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId: firstId });
    const i = await inspection();
    const before = (await tenantRuns()).map((r) => r._id);
    assert.ok(before.includes(firstId));

    const again = (await i.detailsAction('local', firstId, 'runAgain')) as WatchEnd | undefined;
    assert.equal(again?.type, 'final', 'Run Again followed the new run to its end');
    if (again?.type !== 'final') return;
    assert.notEqual(again.run._id, firstId);
    // The tenant itself holds exactly one new run, of this job, completed.
    const after = await tenantRuns();
    const added = after.filter((r) => !before.includes(r._id));
    assert.deepEqual(
      added.map((r) => r._id),
      [again.run._id],
    );
    assert.equal(added[0].name?.replace(/^schedule\//, ''), 'againScan');
    assert.equal(added[0].progress.state, 'COMPLETED');
    // The new run is in the Runs view, and its own details open.
    await waitFor('the new run in the Runs view', async () =>
      (await i.runsView()).some((r) => r.node.kind === 'run' && r.node.run._id === again.run._id),
    );
  });

  it("Open Job opens the job's file in the workspace", async function () {
    this.timeout(90_000);
    const uri = await writeJob('openMine', scanJob({ stateKey: 'openmine', threads: 1 }));
    await vscode.commands.executeCommand('scanjobs.pushJob', uri);
    const runId = await finishedRun(uri);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId });
    const i = await inspection();
    const editor = (await i.detailsAction('local', runId, 'openJob')) as vscode.TextEditor | undefined;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  });

  it("Open Job opens the tenant's copy when no file in the workspace holds the job", async function () {
    this.timeout(90_000);
    // Put on the tenant directly (as another tool would): no file of this name exists here.
    const job = scanJob({ stateKey: 'remoteonly', script: "logger.info('remote'); true;", threads: 1 });
    const put = await fetch(`${url}/openidm/scheduler/job/remoteOnlyScan`, {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(job),
    });
    assert.ok(put.ok, `PUT the job: ${put.status}`);
    const found = await vscode.workspace.findFiles('**/remoteOnlyScan*');
    assert.deepEqual(found, []);
    const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', 'remoteOnlyScan');
    assert.equal(end?.type, 'final');
    if (end?.type !== 'final') return;
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId: end.run._id });
    const i = await inspection();
    const editor = (await i.detailsAction('local', end.run._id, 'openJob')) as vscode.TextEditor | undefined;
    assert.ok(editor, 'Open Job opened an editor');
    assert.equal(editor.document.uri.scheme, 'scanjobs-tenant');
    assert.equal(editor.document.uri.path, '/local/remoteOnlyScan.json');
    // The document is the tenant's job as the tenant serves it.
    const served = (await (
      await fetch(`${url}/openidm/scheduler/job/remoteOnlyScan`, { headers: ADMIN })
    ).json()) as { invokeContext: unknown; schedule: string };
    const shown = JSON.parse(editor.document.getText()) as { invokeContext: unknown; schedule: string };
    assert.deepEqual(shown.invokeContext, served.invokeContext);
    assert.equal(shown.schedule, served.schedule);
  });
});
