// Cancel Run on a slow run ends it CANCELLED on the tenant (idm-api.md §4.3, §5.7), read back from
// the tenant itself, not from the extension's view of it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import { waitFor } from '../ext';
import { inspection, scanJob, slowScript, writeJob } from './support';

describe('cancel a run', () => {
  it('cancels a slow run from the tree and the tenant says CANCELLED', async function () {
    this.timeout(90_000);
    const url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    const uri = await writeJob(
      'slowSweep',
      scanJob({ stateKey: 'slow', script: slowScript(300), threads: 1 }),
    );
    await vscode.commands.executeCommand('scanjobs.pushJob', uri);
    const ended = vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    const i = await inspection();
    const active = await waitFor(
      'an active run in the Runs view',
      async () =>
        (await i.runsView()).find((r) => r.contextValue === 'run.active' && r.label.startsWith('slowSweep')),
      30_000,
    );
    assert.equal(active.node.kind, 'run');
    if (active.node.kind !== 'run') return;
    const runId = active.node.run._id;
    await vscode.commands.executeCommand('scanjobs.cancelRun', active.node);
    const end = await ended;
    assert.equal(end?.type, 'final');
    assert.equal(end.run?.progress.state, 'CANCELLED');
    assert.ok(
      (end.run?.progress.processed ?? 0) < (end.run?.progress.total ?? 0),
      'the run finished before it was cancelled',
    );

    const reply = await fetch(`${url}/openidm/taskscanner/${encodeURIComponent(runId)}`, {
      headers: {
        'x-openidm-username': 'openidm-admin',
        'x-openidm-password': 'openidm-admin',
        'accept-api-version': 'resource=1.0',
      },
    });
    assert.equal(reply.status, 200);
    const run = (await reply.json()) as { progress: { state: string } };
    assert.equal(run.progress.state, 'CANCELLED');
    assert.equal(i.polling(), 0);

    // The platform gives a cancelled run no end time (§4.2); this client saw it end, so the Runs view
    // shows how long it ran, and the run is no longer "Cancelling…".
    const item = await waitFor('the cancelled run in the Runs view', async () =>
      (await i.runsView()).find(
        (r) => r.node.kind === 'run' && r.node.run._id === runId && r.description.startsWith('CANCELLED'),
      ),
    );
    assert.match(
      item.description,
      /^CANCELLED · \d+\/\d+ · \d+ ok · 0 failed · \d+ (ms|s)$/,
      JSON.stringify(i.sighting('local', runId)),
    );
    assert.equal(item.icon, 'circle-slash');
  });
});
