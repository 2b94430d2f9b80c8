// Stuck-run detection (issue 14 §3; core/watch/stall.ts) in the real VS Code on the local tenant over
// HTTP. A job whose scan names a collection the tenant does not have stays ACTIVE with nothing counted,
// as the platform leaves it (idm-api.md §4.2; the local tenant reproduces it unless --strict): the
// extension raises exactly one notification for it, with Cancel Run and Open Details, however many
// views follow the run. The buttons are clicked in test/ui/stuck-run.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scanJobsApi, waitFor } from '../ext';
import { inspection, scanJob } from './support';

const ADMIN = {
  'x-openidm-username': 'openidm-admin',
  'x-openidm-password': 'openidm-admin',
  'accept-api-version': 'resource=1.0',
};

describe('stuck-run detection', () => {
  let url: string;
  const config = () => vscode.workspace.getConfiguration('scanjobs');

  before(async function () {
    this.timeout(60_000);
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    // The floor (default 120 s) made short for the test; the run has no pace of its own (nothing is
    // ever counted) and the job no history, so the floor alone decides (stall.ts).
    await config().update('watch.stallAfterSeconds', 2, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await config().update('watch.stallAfterSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function tenantRun(runId: string): Promise<{ progress: { state: string; processed: number } }> {
    const reply = await fetch(`${url}/openidm/taskscanner/${encodeURIComponent(runId)}`, { headers: ADMIN });
    return (await reply.json()) as { progress: { state: string; processed: number } };
  }

  const hung = (job: string) =>
    scanJobsApi()
      .shownMessages()
      .filter((m) => m.level === 'warning' && m.text.startsWith(`Scan Jobs: ${job} on local looks hung`));

  it('raises one notification with Cancel Run and Open Details for a run that stays ACTIVE', async function () {
    this.timeout(120_000);
    // Put over REST: the editor would flag the missing collection before a push.
    const job = scanJob({ stateKey: 'stuck', object: 'managed/no_such_object', threads: 1 });
    const put = await fetch(`${url}/openidm/scheduler/job/stuckScan`, {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(job),
    });
    assert.ok(put.ok, `PUT the job: ${put.status}`);
    assert.deepEqual(hung('stuckScan'), []);
    void vscode.commands.executeCommand('scanjobs.executeJob', 'stuckScan');
    const i = await inspection();
    const active = await waitFor(
      'the stuck run in the Runs view',
      async () =>
        (await i.runsView()).find((r) => r.contextValue === 'run.active' && r.label.startsWith('stuckScan')),
      30_000,
    );
    assert.ok(active.node.kind === 'run');
    const runId = active.node.run._id;

    const [told] = await waitFor(
      'the stuck-run notification',
      () => (hung('stuckScan').length ? hung('stuckScan') : undefined),
      60_000,
    );
    assert.deepEqual(told.actions, ['Cancel Run', 'Open Details']);
    // Its likely cause, from the run's shape: nothing counted, so the query never returned.
    assert.match(told.text, /looks hung: nothing processed for .+ \(0\/0\)\. Its query never returned/);
    // The tenant still has it ACTIVE: the notification said so, it did not end anything.
    assert.equal((await tenantRun(runId)).progress.state, 'ACTIVE');

    // A second follower (the details view) and several more thresholds of the frozen run raise no
    // second one. (A wait, not a timed assertion: a slow machine can only make it see fewer polls.)
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId });
    assert.ok(i.detailsViews().some((d) => d.runId === runId && d.details.active));
    const shownDuration = () => i.detailsViews().find((d) => d.runId === runId)?.details.durationMs ?? 0;
    const openedAt = shownDuration();
    await new Promise((r) => setTimeout(r, 8_000));
    assert.equal(i.polling() > 0, true, 'the run is still followed');
    assert.equal(hung('stuckScan').length, 1);
    // Its counts never move, yet the page's duration does (the page is redrawn while the run is active).
    assert.ok(shownDuration() > openedAt, `duration shown: ${openedAt} ms, then ${shownDuration()} ms`);

    // Clean up: cancel it on the tenant (the button's own command), so later suites see no active run.
    await vscode.commands.executeCommand('scanjobs.cancelRun', active.node);
    await waitFor(
      'the run CANCELLED on the tenant',
      async () => (await tenantRun(runId)).progress.state === 'CANCELLED',
      30_000,
    );
  });
});
