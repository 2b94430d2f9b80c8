// Runs inside the real VS Code's extension host for bench/activation.ts: activates the extension in
// a workspace without job files (so nothing activated it before), then opens the documentation's
// job and waits for the first diagnostics, and times loading a fresh copy of each bundle. Prints one
// `BENCH {…}` line.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // loadedParts is a test hook: the bench runs the extension in test mode, as the suites do.
  const ext = vscode.extensions.getExtension<{ activationMs: number; loadedParts?: () => string[] }>(
    'scanjobs.scanjobs',
  );
  if (!ext) throw new Error('scanjobs.scanjobs is not loaded');
  if (ext.isActive)
    throw new Error('the extension was already active: the probe needs a workspace without job files');
  const t0 = performance.now();
  const api = await ext.activate();
  const activateTotalMs = performance.now() - t0;

  const folder = vscode.workspace.workspaceFolders![0].uri;
  const job = vscode.Uri.joinPath(folder, 'bench', 'sunsetTask.scanjob.json');
  const published = process.env.SCANJOBS_PUBLISHED_JOB!;
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(job, '..'));
  await vscode.workspace.fs.copy(vscode.Uri.file(published), job);
  const t1 = performance.now();
  await vscode.window.showTextDocument(job);
  for (;;) {
    if (vscode.languages.getDiagnostics(job).some((d) => d.source === 'scanjobs')) break;
    if (performance.now() - t1 > 30000) throw new Error('no diagnostics within 30 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  const firstDiagnosticsMs = performance.now() - t1;
  // Which bundles activation and the open job loaded (the tenant side waits until it is needed).
  if (!api.loadedParts) throw new Error('the extension exports no test hooks: not in test mode');
  const partsLoaded = api.loadedParts();

  // What each bundle costs to load (read, compile, evaluate) in this host: a fresh copy of each,
  // so Node's module cache (which already holds the extension's own copies) does not answer.
  const loadMs: Record<string, number> = {};
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-load-'));
  for (const name of ['extension', 'extension-editor', 'extension-tenant']) {
    const copy = path.join(scratch, `${name}.js`);
    copyFileSync(path.join(ext.extensionPath, 'dist', `${name}.js`), copy);
    const t = performance.now();
    createRequire(copy)(copy);
    loadMs[name] = performance.now() - t;
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(
    'BENCH ' +
      JSON.stringify({
        activateMs: api.activationMs,
        activateTotalMs,
        firstDiagnosticsMs,
        loadMs,
        partsLoaded,
      }),
  );
}
