// A followed run's script log lines in the output channel, read through the local tenant's log API
// (AIC's /monitoring/logs, docs/logs.md), and the run kept in the history in global storage.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import { waitFor } from '../ext';
import { inspection, outputText, scanJob, writeJob } from './support';

describe('script log lines of a followed run (local tenant)', () => {
  let url: string;
  before(async function () {
    this.timeout(60_000);
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
  });

  it('streams the run’s logger lines into the output channel, each once, and keeps them for the views', async function () {
    this.timeout(90_000);
    const script = "logger.warn('audit ' + input.userName); true;";
    const uri = await writeJob('auditTrail', scanJob({ stateKey: 'audit', script, threads: 1 }));
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), 'auditTrail');
    const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(end?.type, 'final');
    if (end.type !== 'final') return;
    const total = end.run.progress.total;
    assert.ok(total > 0);
    const i = await inspection();
    const text = await outputText(
      i,
      new RegExp(`auditTrail ${end.run._id} script log \\(${total} script lines shown above`),
    );
    const streamed = text
      .split('\n')
      .filter((l) => /\[warning\] +\[script warn\] auditTrail: audit \S+$/.test(l));
    assert.equal(streamed.length, total, text);
    assert.equal(new Set(streamed.map((l) => l.replace(/^.*audit /, ''))).size, total);
    const lines = i.runLines('local', end.run._id);
    assert.equal(lines.length, total);
    assert.ok(lines.every((l) => l.level === 'WARN' && l.message.startsWith('audit ')));
  });

  it('keeps the run in the history in global storage, with samples and no secret', async () => {
    const i = await inspection();
    const { file, runs } = await waitFor('the run in the history', async () => {
      const h = await i.history('local');
      return h.runs.some((r) => r.job === 'auditTrail' && r.state === 'COMPLETED') ? h : undefined;
    });
    assert.match(file, /globalStorage|global-storage|User/);
    const run = runs.find((r) => r.job === 'auditTrail')!;
    assert.ok(run.samples.length >= 1);
    const text = readFileSync(file, 'utf8');
    assert.ok(!/openidm-admin|secret|password|token/i.test(text), 'no credential in the history file');
  });

  it('keeps a run it did not follow once the Runs view lists it', async function () {
    this.timeout(60_000);
    const admin = { 'x-openidm-username': 'openidm-admin', 'x-openidm-password': 'openidm-admin' };
    const started = await fetch(`${url}/openidm/taskscanner?_action=execute&name=auditTrail`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
    });
    const runId = ((await started.json()) as { _id: string })._id;
    await waitFor('the run to end on the tenant', async () => {
      const r = (await (await fetch(`${url}/openidm/taskscanner/${runId}`, { headers: admin })).json()) as {
        progress: { state: string };
      };
      return r.progress.state === 'COMPLETED';
    });
    await vscode.commands.executeCommand('scanjobs.runs.focus');
    await vscode.commands.executeCommand('scanjobs.refresh');
    const i = await inspection();
    await waitFor('the listed run in the history', async () =>
      (await i.history('local')).runs.some((r) => r.runId === runId && r.state === 'COMPLETED'),
    );
  });

  it('with scanjobs.logs.markScriptLines, a pushed job’s lines carry its name; the file is unchanged', async function () {
    this.timeout(90_000);
    const config = vscode.workspace.getConfiguration('scanjobs');
    await config.update('logs.markScriptLines', true, vscode.ConfigurationTarget.Workspace);
    try {
      const script = "logger.info('marked ' + input.userName); true;";
      const uri = await writeJob('markedTrail', scanJob({ stateKey: 'marked', script, threads: 1 }));
      const before = (await vscode.workspace.fs.readFile(uri)).toString();
      assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), 'markedTrail');
      const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
      assert.equal(end?.type, 'final');
      if (end.type !== 'final') return;
      const i = await inspection();
      const lines = await waitFor('the marked lines', () => {
        const l = i.runLines('local', end.run._id);
        return l.length === end.run.progress.total ? l : undefined;
      });
      assert.ok(lines.every((l) => l.job === 'markedTrail' && l.message.startsWith('marked ')));
      assert.equal((await vscode.workspace.fs.readFile(uri)).toString(), before);
    } finally {
      await config.update('logs.markScriptLines', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
