// Runs inside the real VS Code's extension host for bench/run-details.ts: the local tenant on a data
// folder seeded with 100,000 users, a job over all of them executed and followed (so the details
// have a progress chart), then Open Run Details timed from the command to the page confirming it
// has painted the tenant's report (failed objects and log lines), a fresh panel each time. Prints one
// `BENCH {…}` line. Built from this tree, it also drives an older build of the extension (bench
// --baseline): it uses only the inspection API and the model's shape, which both have.
import { randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import * as vscode from 'vscode';
import type { WatchEnd } from '../src/core/watch';
import type { TenantInspection } from '../src/extension/tenant/inspect';
import { detailsBody } from '../src/extension/tenant/run-details/html';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<{ tenantInspection: () => Promise<TenantInspection> }>(
    'scanjobs.scanjobs',
  );
  if (!ext) throw new Error('scanjobs.scanjobs is not loaded');
  const api = await ext.activate();
  const i = await api.tenantInspection();
  // The prepared data (100,000 seeded users) becomes the local tenant's folder before it starts.
  cpSync(process.env.SCANJOBS_BENCH_DATA!, vscode.Uri.joinPath(i.storage, 'local-tenant').fsPath, {
    recursive: true,
    filter: (src) => !/lock/i.test(src),
  });
  const url = await vscode.commands.executeCommand('scanjobs.startLocalTenant');
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const job = vscode.Uri.joinPath(folder, 'bench', 'bigScan.scanjob.json');
  const script =
    "if (input.userName.indexOf('a') === 0) { false; } else { logger.info('kept {}', input.userName); true; }";
  const body = {
    enabled: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    persisted: true,
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: false,
      numberOfThreads: 4,
      scan: {
        _queryFilter: '!(/big/completed pr)',
        object: 'managed/alpha_user',
        taskState: { started: '/big/started', completed: '/big/completed' },
        recovery: { timeout: '10m' },
      },
      task: { script: { type: 'text/javascript', source: script } },
    },
  };
  await vscode.workspace.fs.writeFile(job, Buffer.from(JSON.stringify(body, null, 2)));
  await vscode.window.showTextDocument(job);
  const pushed = await vscode.commands.executeCommand('scanjobs.pushJob', job);
  const tRun = performance.now();
  const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', job);
  const runMs = performance.now() - tRun;
  if (end?.type !== 'final')
    throw new Error(
      `the run did not end: ${JSON.stringify({ url, pushed, end, active: i.activeTenant() })} ${String(end)}`,
    );
  const runId = end.run._id;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');

  // Each open of the details is followed by an open of an empty webview, the floor: what VS Code
  // takes to create any webview and paint a page at this moment, whatever the extension does.
  const openMs: number[] = [];
  const floorMs: number[] = [];
  for (let n = 0; n < 7; n++) {
    const t = performance.now();
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId });
    openMs.push(performance.now() - t);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    floorMs.push(await emptyWebview());
  }
  await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'local', runId });
  const view = i.detailsViews().find((v) => v.runId === runId);
  if (!view) throw new Error('no details view');
  const d = view.details;
  // The markup alone, in this host, for the same model (what each live redraw costs).
  const htmlMs: number[] = [];
  for (let n = 0; n < 7; n++) {
    const t = performance.now();
    detailsBody(d);
    htmlMs.push(performance.now() - t);
  }
  console.log(
    'BENCH ' +
      JSON.stringify({
        runMs,
        processed: d.counts.processed,
        total: d.counts.total,
        failures: d.counts.failures,
        failedObjects: d.failures.state === 'ready' ? d.failures.items.length + d.failures.more : 0,
        logLines: d.log.state === 'ready' ? d.log.items.length + d.log.more : 0,
        chart: !('unavailable' in d.chart),
        bodyBytes: view.body.length,
        openMs,
        floorMs,
        htmlMs,
      }),
  );
}

/** Milliseconds from creating a webview with a one-line page to its script reporting the next frame. */
async function emptyWebview(): Promise<number> {
  const t = performance.now();
  const panel = vscode.window.createWebviewPanel('scanjobs.benchFloor', 'empty', vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [],
  });
  const shown = new Promise<void>((resolve) => panel.webview.onDidReceiveMessage(() => resolve()));
  const nonce = randomBytes(16).toString('base64');
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';"></head><body><p>empty</p><script nonce="${nonce}">const v=acquireVsCodeApi();requestAnimationFrame(function(){setTimeout(function(){v.postMessage('shown');},0);});</script></body></html>`;
  await shown;
  const ms = performance.now() - t;
  panel.dispose();
  return ms;
}
