// A job's history view (issue 14 §3) in the real VS Code: runs this client saw are kept in the
// extension's global storage, and the view charts them; its durations are checked against the
// tenant's own run records, and a cancelled run (no end on the platform, idm-api.md §4.2) keeps the
// end this client saw.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import { waitFor, workspaceRoot } from '../ext';
import { inspection, scanJob, slowScript, writeJob } from './support';

const ADMIN = {
  'x-openidm-username': 'openidm-admin',
  'x-openidm-password': 'openidm-admin',
  'accept-api-version': 'resource=1.0',
};

describe('job history', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("charts the job's runs: durations as the tenant recorded them, a cancelled run's end as seen", async function () {
    this.timeout(120_000);
    const url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    const uri = await writeJob(
      'historyScan',
      scanJob({ stateKey: 'hist', script: slowScript(5), threads: 2 }),
    );
    await vscode.commands.executeCommand('scanjobs.pushJob', uri);
    const first = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(first?.type, 'final');
    // A second run finds nothing left to do (§5.4: completed objects are not scanned again).
    const second = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(second?.type, 'final');

    // A third run of another state key, cancelled: the same job name, from a file in another folder
    // (the open editor of the first file would still hold its old text for a moment).
    const slow = vscode.Uri.joinPath(workspaceRoot(), 'jobs', 'slow', 'historyScan.scanjob.json');
    const slowJob = scanJob({ stateKey: 'hist2', script: slowScript(200), threads: 1 });
    await vscode.workspace.fs.writeFile(slow, Buffer.from(JSON.stringify(slowJob, null, 2), 'utf8'));
    await vscode.window.showTextDocument(slow, { preview: false });
    await vscode.commands.executeCommand('scanjobs.pushJob', slow);
    const third = vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', slow);
    const i = await inspection();
    const active = await waitFor(
      'the slow run active',
      async () =>
        (await i.runsView()).find(
          (r) => r.contextValue === 'run.active' && r.label.startsWith('historyScan'),
        ),
      30_000,
    ).catch(async (e: Error) => {
      const shown = (await i.runsView()).map((r) => `${r.label} ${r.description} ${r.contextValue}`);
      throw new Error(`${e.message}; the Runs view shows:\n${shown.join('\n')}`);
    });
    await vscode.commands.executeCommand('scanjobs.cancelRun', active.node);
    const cancelled = await third;
    assert.equal(cancelled?.type === 'final' && cancelled.run.progress.state, 'CANCELLED');

    const opened = await vscode.commands.executeCommand('scanjobs.showJobHistory', {
      tenant: 'local',
      job: 'historyScan',
    });
    assert.deepEqual(opened, { tenant: 'local', job: 'historyScan' });
    const h = await waitFor('the history view with three runs', async () => {
      const v = i.historyViews().find((x) => x.job === 'historyScan');
      return v?.view && v.view.runs.length === 3 ? v : undefined;
    });
    const view = h.view!;
    assert.ok(!('unavailable' in view.charts));
    // The tenant's own records of the two completed runs, read directly.
    for (const end of [first, second]) {
      if (end?.type !== 'final') continue;
      const reply = await fetch(`${url}/openidm/taskscanner/${encodeURIComponent(end.run._id)}`, {
        headers: ADMIN,
      });
      const rec = (await reply.json()) as { started: string; ended: string; progress: { processed: number } };
      const point = view.runs.find((p) => p.runId === end.run._id);
      assert.ok(point, `run ${end.run._id} is not in the history`);
      assert.equal(point.durationMs, Date.parse(rec.ended) - Date.parse(rec.started));
      assert.equal(point.processed, rec.progress.processed);
    }
    const c = view.runs.find((p) => cancelled?.type === 'final' && p.runId === cancelled.run._id);
    assert.equal(c?.state, 'CANCELLED');
    assert.ok(c?.ended, 'the cancelled run keeps the end this client saw');
    assert.ok((c?.durationMs ?? -1) >= 0);
    assert.match(h.body, /<svg viewBox/g);
    assert.equal(h.body.match(/<figure class="chart">/g)?.length, 3);
    assert.match(h.body, new RegExp(`data-action="open:${first?.type === 'final' ? first.run._id : ''}"`));
  });
});
