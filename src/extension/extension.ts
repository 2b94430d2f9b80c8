// Activation does almost nothing (DESIGN.md "Lazy and small"): it registers the command names and
// waits for the first JSON document before it loads the editor features, which decide with core's
// isJobFile whether a document is a job. The package.json activation events keep it asleep in
// workspaces without job files.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Shell } from './shell';
import type { TenantInspection } from './tenant/inspect';

export interface ScanJobsApi {
  /** How long activate() itself took, in milliseconds (read by bench/activation). */
  readonly activationMs: number;
  /** What the tenant side shows and holds, for tests; never a secret. */
  readonly tenantInspection: () => Promise<TenantInspection>;
}

const mayHoldJob = (doc: vscode.TextDocument): boolean =>
  doc.languageId === 'json' || doc.languageId === 'jsonc';

export function activate(context: vscode.ExtensionContext): ScanJobsApi {
  const started = performance.now();
  const shell = new Shell(context);
  registerCommands(shell);
  // The tenant views must have their providers when the Scan Jobs container opens; this sends no request.
  void shell.tenants();
  if (vscode.workspace.textDocuments.some(mayHoldJob)) void shell.editor();
  else {
    const waiting = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!mayHoldJob(doc)) return;
      waiting.dispose();
      void shell.editor();
    });
    context.subscriptions.push(waiting);
  }
  return {
    activationMs: performance.now() - started,
    tenantInspection: () => shell.tenants().then((side) => side.inspection()),
  };
}

export function deactivate(): void {}
