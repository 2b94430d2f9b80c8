// Activation does almost nothing (DESIGN.md "Lazy and small"): it registers the command names and
// the tenant views' shells, sets the tenant context keys from settings and secrets, and waits for the
// first JSON document before it loads the editor features, which decide with core's isJobFile whether
// a document is a job. The tenant side loads when first needed (shell.ts); nothing is sent while
// idle. The package.json activation events keep it asleep in workspaces without job files.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { JOB_FILE_LANGUAGES } from './editor/job-language';
import { isScriptCopy } from './editor/script-links';
import type { ContextKey } from './context-keys';
import type { ShownStep } from './multi-step';
import { loadPart, loadedParts } from './parts';
import { registerRuleLinks } from './rule-links';
import { Shell } from './shell';
import type { TenantInspection } from './tenant/inspect';

/** Hooks for the in-editor tests and bench/activation; exported only in test mode. Never a secret. */
export interface ScanJobsTestHooks {
  /** What the tenant side shows and holds. Loads the tenant side. */
  readonly tenantInspection: () => Promise<TenantInspection>;
  /** A context key's value as last set (VS Code offers no way to read one back). */
  readonly contextKey: (key: ContextKey) => boolean;
  /** Which parts (bundles) have loaded so far. */
  readonly loadedParts: () => string[];
  /** The notifications commands showed, newest last (VS Code offers no way to read them back). */
  readonly shownMessages: () => { level: 'error' | 'warning' | 'info'; text: string; actions?: string[] }[];
  /**
   * Does what picking `action` on the notification at `index` of shownMessages() does (a test cannot
   * click a notification from the extension host); resolves with what that action resolved with.
   */
  readonly answerShown: (index: number, action: string) => Promise<unknown>;
  /**
   * Forgets which job each Edit Script file belongs to and reads it back from the files, as a window
   * reload does; resolves with how many links were read back. Loads the editor part.
   */
  readonly reloadScriptLinks: () => Promise<number>;
  /**
   * The steps of multi-step inputs (Add Tenant, Edit Tenant) shown so far, newest last: title, step,
   * question and the answer offered (never a password's). Loads the tenant side.
   */
  readonly shownSteps: () => Promise<readonly ShownStep[]>;
}

export interface ScanJobsApi extends Partial<ScanJobsTestHooks> {
  /** How long activate() itself took, in milliseconds (read by bench/activation). */
  readonly activationMs: number;
}

const mayHoldJob = (doc: vscode.TextDocument): boolean => JOB_FILE_LANGUAGES.includes(doc.languageId);

/** An Edit Script copy (script-links.ts), e.g. a tab restored after a reload: its save writes back. */
const editScriptFile = (context: vscode.ExtensionContext, doc: vscode.TextDocument): boolean =>
  isScriptCopy(doc.uri, vscode.Uri.joinPath(context.globalStorageUri, 'scripts'));

export function activate(context: vscode.ExtensionContext): ScanJobsApi {
  const started = performance.now();
  const shell = new Shell(context);
  registerCommands(shell);
  registerRuleLinks(context);
  const wanted = (doc: vscode.TextDocument) => mayHoldJob(doc) || editScriptFile(context, doc);
  if (vscode.workspace.textDocuments.some(wanted)) void shell.editor();
  else {
    const waiting = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!wanted(doc)) return;
      waiting.dispose();
      void shell.editor();
    });
    context.subscriptions.push(waiting);
  }
  return exportedApi(context.extensionMode, performance.now() - started, () => ({
    tenantInspection: () => shell.tenants().then((side) => side.inspection()),
    contextKey: (key) => shell.keys.get(key),
    loadedParts,
    shownMessages: () =>
      shell.shown.map(({ level, text, actions }) => (actions ? { level, text, actions } : { level, text })),
    reloadScriptLinks: async () => {
      await shell.editor();
      const { forgetScriptLinks, restoreScriptLinks } = await loadPart('editor');
      forgetScriptLinks();
      return restoreScriptLinks(shell);
    },
    shownSteps: async () => (await loadPart('tenant')).shownSteps(),
    answerShown: async (index, action) => {
      const shown = shell.shown.at(index);
      if (!shown?.actions?.includes(action))
        throw new Error(`notification ${index} offers no '${action}': ${JSON.stringify(shown)}`);
      return shown.act?.(action);
    },
  }));
}

/**
 * The API activate() returns. Test hooks only when VS Code runs the extension for tests
 * (`--extensionTestsPath`): an installed extension exposes no internals to other extensions.
 */
export function exportedApi(
  mode: vscode.ExtensionMode,
  activationMs: number,
  hooks: () => ScanJobsTestHooks,
): ScanJobsApi {
  return mode === vscode.ExtensionMode.Test ? { activationMs, ...hooks() } : { activationMs };
}

export function deactivate(): void {}
