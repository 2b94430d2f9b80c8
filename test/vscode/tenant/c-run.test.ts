// The whole loop on the local tenant: Start Local Tenant, push a job, execute it, follow it to
// COMPLETED; the output channel holds the state lines, a progress line and the summary, plus the
// script's own log; the tree shows the job and its run (idm-api.md §4.1–4.3).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import { waitFor } from '../ext';
import { inspection, outputText, scanJob, tenantLensTitles, writeJob } from './support';

describe('push, execute and watch on the local tenant', () => {
  let url: string;

  before(async function () {
    this.timeout(60_000);
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
  });

  it('starts the local tenant as a child process and makes it the active tenant', async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const i = await inspection();
    assert.equal(i.contextKey('scanjobs.localTenantRunning'), true);
    assert.equal(i.activeTenant(), 'local');
    assert.equal(i.contextKey('scanjobs.tenantConnected'), true);
    const local = (await i.tenantsView()).find((r) => r.label === 'local');
    assert.ok(local);
    assert.equal(local.icon, 'server-process');
    assert.match(local.description, /^development · active · 127\.0\.0\.1:\d+$/);
    // the lenses now name the local tenant (they named sa-dev while that was active)
    const job = await writeJob('lensLocal', scanJob());
    assert.deepEqual(await tenantLensTitles(job), [
      '$(cloud-upload) Push to the local tenant',
      '$(play) Execute on the local tenant',
      '$(diff) Diff with the local tenant',
    ]);
  });

  it('pushes, executes and follows a run to COMPLETED, with the lines in the output', async function () {
    this.timeout(90_000);
    const script = 'logger.info("deactivating {}", objectID); true;';
    const uri = await writeJob('nightlySweep', scanJob({ stateKey: 'sweep', script, threads: 2 }));
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), 'nightlySweep');
    const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(end?.type, 'final');
    if (end.type !== 'final') return;
    const p = end.run.progress;
    assert.equal(p.state, 'COMPLETED');
    assert.ok(p.total > 0, 'the scan found no users');
    assert.equal(p.successes, p.total);
    const i = await inspection();
    assert.equal(i.polling(), 0, 'still polling after the run ended');

    const text = await outputText(i, /script log/);
    const id = end.run._id;
    assert.match(text, /\[info\] Created nightlySweep on local/);
    assert.match(text, new RegExp(`\\[info\\] Executed nightlySweep on local: run ${id}`));
    assert.match(text, /nightlySweep \S+ (INITIALIZED|ACTIVE|\S+ → COMPLETED|COMPLETED)/);
    assert.match(
      text,
      new RegExp(
        `nightlySweep ${id} COMPLETED in \\S+ \\S+: ${p.total}/${p.total} processed · ${p.total} ok · 0 failed`,
      ),
    );
    assert.match(
      text,
      new RegExp(
        `nightlySweep ${id.slice(0, 4)}…-${id.split('-').pop()} \\S+ \\d+/${p.total} \\(\\d+%\\) · \\d+ ok · 0 failed`,
      ),
    );
    assert.match(text, /\[script info\] \S+: deactivating /);
  });

  it('shows the job and its run in the Tenants view and the Runs view', async () => {
    const i = await inspection();
    const local = (await i.tenantsView()).find((r) => r.label === 'local');
    assert.ok(local);
    const jobs = await i.tenantsView(local.node);
    const job = jobs.find((j) => j.label === 'nightlySweep');
    assert.ok(job, `no nightlySweep among ${jobs.map((j) => j.label).join(', ')}`);
    assert.equal(job.contextValue, 'job.scan.enabled');
    assert.equal(job.icon, 'search');
    assert.match(job.description, /^enabled · next 2099-01-01 00:00 UTC$/);
    const runs = await waitFor('the run under the job', async () => {
      const r = await i.tenantsView(job.node);
      return r.length && r[0].node.kind === 'run' && r[0].description.startsWith('COMPLETED') ? r : undefined;
    });
    assert.match(runs[0].label, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(runs[0].description, /^COMPLETED · (\d+)\/\1 · \1 ok · 0 failed · \d+ (ms|s)$/);
    assert.equal(runs[0].icon, 'pass');
    assert.equal(runs[0].contextValue, 'run.done');
    const all = await i.runsView();
    assert.ok(
      all.some((r) => /^nightlySweep · \d{4}-/.test(r.label)),
      all.map((r) => r.label).join(', '),
    );
  });
});
