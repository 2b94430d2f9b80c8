// The editor features, started on the first JSON document: job recognition, diagnostics, quick
// fixes, completion and hover in filters, CodeLens, and the context keys of the active editor.
import path from 'node:path';
import * as vscode from 'vscode';
import { findScript } from '../../core/job/script';
import type { Shell } from '../shell';
import { FilterCompletion } from './filter-completion';
import { JobCodeActions } from './job-code-actions';
import { JobCodeLens } from './job-codelens';
import { JobDiagnostics } from './job-diagnostics';
import { JobDocuments } from './job-documents';
import { JobHover } from './job-hover';
import { layoutFor } from './job-check';
import { JOB_FILE_LANGUAGES, JobLanguage } from './job-language';
import { registerJobJson } from './json-service';
import { restoreScriptLinks } from './script-editing';
import { scriptLink } from './script-links';
import { ScriptDiagnostics } from './script-findings';
import { ruleLinkBase } from '../rule-links';

export interface EditorFeatures {
  readonly jobs: JobDocuments;
  readonly diagnostics: JobDiagnostics;
  /** Findings in the scripts Edit Script opened. */
  readonly scripts: ScriptDiagnostics;
}

const JSON_DOCUMENTS: vscode.DocumentSelector = JOB_FILE_LANGUAGES.map((language) => ({ language }));

export function startEditorFeatures(shell: Shell): EditorFeatures {
  const { subscriptions } = shell.context;
  const jobs = new JobDocuments();
  // A code's link opens its rule rendered (rule-links.ts); the diagnostics add the code as fragment.
  const rulesDoc = ruleLinkBase(shell.context);
  const scripts = new ScriptDiagnostics(rulesDoc, shell.context.workspaceState);
  const diagnostics = new JobDiagnostics(jobs, rulesDoc, shell.context.workspaceState, (job, at) =>
    scripts.shownScript(job, at),
  );
  const language = new JobLanguage(jobs);
  /** Checks a document, unless it is a JSON job file that now reopens in the job language. */
  const validate = (doc: vscode.TextDocument) => {
    if (!language.adopt(doc)) diagnostics.validate(doc);
  };

  const updateKeys = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const parsed = doc && jobs.parsed(doc);
    shell.keys.set('scanjobs.jobFileActive', !!parsed);
    let inline = false;
    let inFile = false;
    for (const job of parsed?.jobs ?? []) {
      const script = findScript(parsed!.text, job, doc!.uri.fsPath, layoutFor(doc!)).script;
      if (script?.file) inFile = true;
      else if (script) inline = true;
    }
    shell.keys.set('scanjobs.scriptInline', inline);
    shell.keys.set('scanjobs.scriptInFile', inFile);
  };

  subscriptions.push(
    diagnostics,
    scripts,
    diagnostics.onDidUpdate((job) => scripts.jobChanged(job)),
    vscode.window.tabGroups.onDidChangeTabs((e) => scripts.tabsChanged(e)),
    // A script's tab opened or closed: its job's copies of the script findings become hints or not.
    scripts.onDidChangeShown((job) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === job.toString());
      if (doc) diagnostics.validate(doc);
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      validate(doc);
      scripts.schedule(doc);
      // A language change reopens the document without an active-editor event: the keys follow it.
      if (doc === vscode.window.activeTextEditor?.document) updateKeys();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      diagnostics.schedule(e.document);
      scripts.schedule(e.document);
      // A script file beside a job (layouts with `file`/`file://`): check the jobs of that folder tree.
      // (An Edit Script copy is checked by `scripts`; its job is not changed by typing in it.)
      if (
        e.document.languageId === 'javascript' &&
        e.document.uri.scheme === 'file' &&
        !scriptLink(e.document.uri)
      ) {
        for (const doc of vscode.workspace.textDocuments) {
          const dir = path.dirname(doc.uri.fsPath) + path.sep;
          if (doc.uri.scheme === 'file' && e.document.uri.fsPath.startsWith(dir) && jobs.isJob(doc))
            diagnostics.schedule(doc);
        }
      }
      if (e.document === vscode.window.activeTextEditor?.document) updateKeys();
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      diagnostics.clear(doc.uri);
      scripts.clear(doc.uri);
      jobs.forget(doc);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('scanjobs')) return;
      if (e.affectsConfiguration('scanjobs.jobFiles')) jobs.forgetAll();
      for (const doc of vscode.workspace.textDocuments) {
        diagnostics.validate(doc);
        scripts.schedule(doc);
      }
      updateKeys();
    }),
    vscode.window.onDidChangeActiveTextEditor(updateKeys),
    vscode.languages.registerCodeActionsProvider(JSON_DOCUMENTS, new JobCodeActions(diagnostics), {
      providedCodeActionKinds: JobCodeActions.kinds,
    }),
    vscode.languages.registerCodeActionsProvider({ language: 'javascript' }, scripts, {
      providedCodeActionKinds: ScriptDiagnostics.kinds,
    }),
    vscode.languages.registerCompletionItemProvider(
      JSON_DOCUMENTS,
      new FilterCompletion(shell, jobs),
      '/',
      ' ',
      '$',
    ),
    vscode.languages.registerHoverProvider(JSON_DOCUMENTS, new JobHover(jobs)),
    vscode.languages.registerCodeLensProvider(
      JSON_DOCUMENTS,
      new JobCodeLens(shell, jobs, diagnostics, scripts),
    ),
  );
  void registerJobJson(shell.context.extensionUri).then(
    (json) => subscriptions.push(json),
    (e: unknown) => shell.log.error(`the job files' JSON features did not start: ${String(e)}`),
  );
  // Script tabs restored from an earlier session write back and show findings again.
  restoreScriptLinks(shell);
  for (const doc of vscode.workspace.textDocuments) {
    validate(doc);
    scripts.schedule(doc);
  }
  updateKeys();
  return { jobs, diagnostics, scripts };
}
