// Run details (src/extension/tenant/run-details, issue 14 §1) in the real VS Code on the local
// tenant: a COMPLETED run with failed objects shows which objects failed and why (read back from the
// tenant independently: the users the script refuses), the script's log lines, a progress chart for a
// run this client followed, and the actions; an active run's view updates live until it is CANCELLED.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunDetails } from '../../../src/core/run-view';
import type { WatchEnd } from '../../../src/core/watch';
import { waitFor } from '../ext';
import { inspection, scanJob, slowScript, writeJob } from './support';

const ADMIN = {
  'x-openidm-username': 'openidm-admin',
  'x-openidm-password': 'openidm-admin',
  'accept-api-version': 'resource=1.0',
};

async function view(runId: string): Promise<{ details: RunDetails; body: string }> {
  const i = await inspection();
  const v = i.detailsViews().find((d) => d.runId === runId);
  assert.ok(v, `no details view of ${runId}`);
  return v;
}

describe('run details', () => {
  let url: string;

  before(async function () {
    this.timeout(60_000);
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows which objects failed and why, the script lines, the chart and the actions', async function () {
    this.timeout(90_000);
    // Users whose userName starts with "a" are refused (false is a failure, §5.6); the others log.
    const script =
      "if (input.userName.indexOf('a') === 0) { false; } else { logger.info('kept {}', input.userName); true; }";
    const uri = await writeJob('pickyScan', scanJob({ stateKey: 'picky', script, threads: 2 }));
    await vscode.commands.executeCommand('scanjobs.pushJob', uri);
    const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(end?.type, 'final');
    if (end.type !== 'final') return;
    const runId = end.run._id;

    // What the tenant holds, asked directly: the users the script refuses.
    const reply = await fetch(
      `${url}/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent('userName sw "a"')}&_fields=_id`,
      { headers: ADMIN },
    );
    const refused = ((await reply.json()) as { result: { _id: string }[] }).result.map(
      (u) => `managed/alpha_user/${u._id}`,
    );
    assert.ok(refused.length > 0, 'no seeded user starts with "a"');

    const opened = await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId });
    assert.deepEqual(opened, { tenant: 'local', runId });
    const { details, body } = await view(runId);
    assert.equal(details.job, 'pickyScan');
    assert.equal(details.outcome, 'completed-with-failures');
    assert.equal(details.headline, 'COMPLETED with failures');
    assert.equal(details.counts.failures, refused.length);
    assert.equal(details.failures.state, 'ready');
    if (details.failures.state !== 'ready') return;
    assert.deepEqual(details.failures.items.map((f) => f.objectId).sort(), refused.sort());
    for (const f of details.failures.items) assert.match(f.reason, /script returned boolean, not true/);
    assert.equal(details.log.state, 'ready');
    if (details.log.state !== 'ready') return;
    assert.equal(details.log.items.length, end.run.progress.successes);
    assert.ok(details.log.items.every((l) => /^kept \S+$/.test(l.message) && l.level === 'INFO'));
    assert.ok(!('unavailable' in details.chart), 'a followed run has a progress chart');
    assert.deepEqual(details.actions, { cancel: false, runAgain: true, openJob: true });
    assert.ok(details.durationMs !== undefined && details.rate !== undefined);
    // The page as sent: the buttons, the failed objects escaped, no Cancel for a finished run.
    assert.match(body, /data-action="copyRunId"/);
    assert.match(body, /data-action="runAgain"/);
    assert.match(body, /data-action="openJob"/);
    assert.doesNotMatch(body, /data-action="cancel"/);
    assert.ok(body.includes(refused[0]));
    assert.match(body, /<svg viewBox/);

    // Opening it again reveals the same view.
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId });
    const i = await inspection();
    assert.equal(i.detailsViews().filter((d) => d.runId === runId).length, 1);
  });

  it('opens from a Runs view item and copies the run id', async function () {
    this.timeout(30_000);
    const i = await inspection();
    const item = (await i.runsView()).find((r) => r.node.kind === 'run' && r.label.startsWith('pickyScan'));
    const node = item?.node;
    assert.ok(node && node.kind === 'run');
    await vscode.commands.executeCommand('scanjobs.copyRunId', node);
    assert.equal(await vscode.env.clipboard.readText(), node.run._id);
    await vscode.commands.executeCommand('scanjobs.openRun', node);
    assert.ok(i.detailsViews().some((d) => d.runId === node.run._id));
  });

  it('follows an active run live, offers Cancel, and shows it CANCELLED', async function () {
    this.timeout(90_000);
    const uri = await writeJob(
      'slowDetails',
      scanJob({ stateKey: 'slowd', script: slowScript(200), threads: 1 }),
    );
    await vscode.commands.executeCommand('scanjobs.pushJob', uri);
    const ended = vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    const i = await inspection();
    const active = await waitFor(
      'an active slowDetails run',
      async () =>
        (await i.runsView()).find(
          (r) => r.contextValue === 'run.active' && r.label.startsWith('slowDetails'),
        ),
      30_000,
    );
    assert.ok(active.node.kind === 'run');
    const runId = active.node.run._id;
    await vscode.commands.executeCommand('scanjobs.openRun', active.node);
    const first = await view(runId);
    assert.equal(first.details.active, true);
    assert.equal(first.details.actions.cancel, true);
    assert.match(first.body, /data-action="cancel"/);
    const processed = first.details.counts.processed;
    // Live: the view's counts move while the run is ACTIVE, without any command.
    await waitFor('the details view to show progress', async () => {
      const d = (await view(runId)).details;
      return d.counts.processed > processed ? d : undefined;
    });
    await vscode.commands.executeCommand('scanjobs.cancelRun', active.node);
    const end = await ended;
    assert.equal(end?.type === 'final' && end.run.progress.state, 'CANCELLED');
    const last = await waitFor('the details view to say CANCELLED', async () => {
      const v = await view(runId);
      return v.details.state === 'CANCELLED' ? v : undefined;
    });
    assert.equal(last.details.actions.cancel, false);
    assert.equal(last.details.ended?.source, 'seen');
    assert.ok(last.details.durationMs !== undefined);
    assert.doesNotMatch(last.body, /data-action="cancel"/);
  });
});
