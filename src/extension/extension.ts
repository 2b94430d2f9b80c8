// Activation does almost nothing (DESIGN.md "Lazy and small"): it registers the command names and
// the tenant views' shells, sets the tenant context keys from settings and secrets, and waits for the
// first JSON document before it loads the editor features, which decide with core's isJobFile whether
// a document is a job. The tenant side loads when first needed (shell.ts); nothing is sent while
// idle. The package.json activation events keep it asleep in workspaces without job files.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import type { ContextKey } from './context-keys';
import { loadedParts } from './parts';
import { Shell } from './shell';
import type { TenantInspection } from './tenant/inspect';

export interface ScanJobsApi {
  /** How long activate() itself took, in milliseconds (read by bench/activation). */
  readonly activationMs: number;
  /** What the tenant side shows and holds, for tests; never a secret. Loads the tenant side. */
  readonly tenantInspection: () => Promise<TenantInspection>;
  /** A context key's value as last set, for tests (VS Code offers no way to read one back). */
  readonly contextKey: (key: ContextKey) => boolean;
  /** Which parts (bundles) have loaded so far, for tests and bench/activation. */
  readonly loadedParts: () => string[];
}

const mayHoldJob = (doc: vscode.TextDocument): boolean =>
  doc.languageId === 'json' || doc.languageId === 'jsonc';

export function activate(context: vscode.ExtensionContext): ScanJobsApi {
  const started = performance.now();
  const shell = new Shell(context);
  registerCommands(shell);
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
    contextKey: (key) => shell.keys.get(key),
    loadedParts,
  };
}

export function deactivate(): void {}
