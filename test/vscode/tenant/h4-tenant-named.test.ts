// Every write or run says which tenant it went to (issue 16 item 1): the notification after Push,
// Pause, Resume, Trigger, Pull and Cancel names the tenant, as its prompts do.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scanJobsApi, waitFor } from '../ext';
import type { JobNode } from '../../../src/extension/tenant/tree-model';
import { inspection, scanJob, slowScript, writeJob } from './support';

/** Runs a command and returns the texts of the notifications it showed. */
async function told(command: string, ...args: unknown[]): Promise<{ result: unknown; texts: string[] }> {
  const before = scanJobsApi().shownMessages().length;
  const result = await vscode.commands.executeCommand(command, ...args);
  return {
    result,
    texts: scanJobsApi()
      .shownMessages()
      .slice(before)
      .map((m) => m.text),
  };
}

describe('the tenant named in what commands tell', () => {
  before(async () => {
    await vscode.commands.executeCommand('scanjobs.startLocalTenant');
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'local');
  });

  /**
   * A job as the Tenants view hands it to a command (its node; the view itself may show the job only
   * after "Load more" once earlier suites have filled the local tenant).
   */
  const jobNode = (name: string): JobNode => ({
    kind: 'job',
    id: `job:local:${name}`,
    tenant: 'local',
    job: { _id: name } as JobNode['job'],
    scan: true,
  });

  it('says where a push, pause, resume, trigger and pull went', async () => {
    const uri = await writeJob('named', scanJob({ stateKey: 'h4' }));
    assert.deepEqual(await told('scanjobs.pushJob', uri), {
      result: 'named',
      texts: ['Scan Jobs: created named on local.'],
    });
    assert.deepEqual((await told('scanjobs.pushJob', uri)).texts, [
      'Scan Jobs: named on local is already up to date.',
    ]);
    assert.deepEqual((await told('scanjobs.pauseJob', jobNode('named'))).texts, [
      'Scan Jobs: Paused named on local.',
    ]);
    assert.deepEqual((await told('scanjobs.resumeJob', jobNode('named'))).texts, [
      'Scan Jobs: Resumed named on local.',
    ]);
    assert.deepEqual((await told('scanjobs.triggerJob', jobNode('named'))).texts, [
      'Scan Jobs: Triggered named on local.',
    ]);
    const pulled = await told('scanjobs.pullJob', jobNode('named'), 'fr-config-manager');
    assert.ok(pulled.result instanceof vscode.Uri);
    assert.equal(pulled.texts.length, 1, JSON.stringify(pulled.texts));
    assert.match(pulled.texts[0], /^Scan Jobs: Pulled named from local into \S+named\S* and \S+\.$/);
  });

  it('says which tenant was asked to cancel a run', async function () {
    this.timeout(90_000);
    const uri = await writeJob(
      'namedSlow',
      scanJob({ stateKey: 'h4slow', threads: 1, script: slowScript(300) }),
    );
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), 'namedSlow');
    const ended = vscode.commands.executeCommand('scanjobs.executeJob', uri);
    const i = await inspection();
    const active = await waitFor(
      'an active run in the Runs view',
      async () =>
        (await i.runsView()).find((r) => r.contextValue === 'run.active' && r.label.startsWith('namedSlow')),
      30_000,
    );
    assert.equal(active.node.kind, 'run');
    if (active.node.kind !== 'run') return;
    const runId = active.node.run._id;
    // As Retry and the end notification name a run: { tenant, runId }.
    const { texts } = await told('scanjobs.cancelRun', { tenant: 'local', runId });
    // The run's short id: its first four characters, then (for a local run id) its counter.
    assert.equal(texts.length, 1, JSON.stringify(texts));
    assert.match(
      texts[0],
      new RegExp(`^Scan Jobs: asked local to cancel run ${runId.slice(0, 4)}…(-\\d+)?\\.$`),
    );
    await ended;
  });
});
