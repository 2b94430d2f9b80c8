// Script findings in the script's own editor (issue 16 item 4). Edit Script opens a job's inline
// script as `<job>.js`; the script rules' findings (script-syntax, script-not-true, script-throw,
// rhino-compat, …) are shown there too, at their place in the script text, for the text being typed
// (core scriptFindings checks the job with that text as its script and maps positions back through
// the JSON string's escapes), with the quick fixes that edit only the script. Checked when the script
// opens, after typing stops (scanjobs.validation.delay) and when its job changes; cleared once nothing
// is found, and when the script's tab closes (its document can stay open in the extension host for a
// while after that, so the document's close comes too late).
// One problem, one count (issue 16 item 5): while a script's tab shows its findings, the job's own
// copies of them are hints (JobDiagnostics asks shownScript), which VS Code neither lists in Problems
// nor counts; the job's CodeLens counts the script's (scriptProblems).
import * as vscode from 'vscode';
import type { JsonPath } from '../../core/job/document';
import { scriptFindings } from '../../core/job/script-findings';
import type { Fix } from '../../core/job/types';
import { editorFiles, validationPlatform } from './job-check';
import { diagnosticOf } from './job-diagnostics';
import { samePath, scriptLink, scriptsOf } from './script-links';

/** Whether an editor tab shows the document. */
function inTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key),
  );
}

interface Shown {
  diagnostic: vscode.Diagnostic;
  fixes: Fix[];
}

export class ScriptDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('scanjobs-script');
  private readonly shown = new Map<string, Shown[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the job whose script's findings changed (were set or cleared). */
  readonly onDidUpdate = this.changed.event;
  private readonly tabs = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the job one of whose scripts' tabs opened or closed. */
  readonly onDidChangeShown = this.tabs.event;

  constructor(
    private readonly rulesDoc: vscode.Uri,
    private readonly state?: vscode.Memento,
  ) {}

  private get settings() {
    const c = vscode.workspace.getConfiguration('scanjobs.validation');
    return { enable: c.get<boolean>('enable', true), delay: c.get<number>('delay', 300) };
  }

  /**
   * The Edit Script copy of a job's script whose tab is open, where its findings are shown and
   * counted, or undefined (validation off, no tab).
   */
  shownScript(job: vscode.Uri, path: JsonPath): vscode.Uri | undefined {
    if (!this.settings.enable) return undefined;
    return scriptsOf(job).find((uri) => samePath(scriptLink(uri)!.path, path) && inTab(uri));
  }

  /** Our findings shown in the open script tabs of a job (each counted once: the job has hints). */
  scriptProblems(job: vscode.Uri): vscode.Diagnostic[] {
    return scriptsOf(job)
      .filter(inTab)
      .flatMap((uri) => this.collection.get(uri) ?? []);
  }

  /** Checks an Edit Script document after the validation delay; other documents are ignored. */
  schedule(script: vscode.TextDocument): void {
    if (!scriptLink(script.uri)) return;
    const key = script.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(script);
      }, this.settings.delay),
    );
  }

  /** Checks the open Edit Script documents of a job again (the job changed). */
  jobChanged(job: vscode.Uri): void {
    for (const uri of scriptsOf(job)) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) this.schedule(doc);
    }
  }

  async check(script: vscode.TextDocument): Promise<void> {
    const link = scriptLink(script.uri);
    if (!link || script.isClosed) return;
    if (!this.settings.enable || !inTab(script.uri)) return this.clear(script.uri);
    let job: vscode.TextDocument;
    try {
      job = await vscode.workspace.openTextDocument(link.job);
    } catch {
      return this.clear(script.uri); // the job file is gone
    }
    if (script.isClosed || !inTab(script.uri)) return this.clear(script.uri);
    const onDisk = job.uri.scheme === 'file';
    const found = scriptFindings({
      path: onDisk ? job.uri.fsPath : job.uri.path,
      text: job.getText(),
      job: link.path,
      script: script.getText(),
      files: onDisk ? editorFiles : undefined,
      platform: this.state && validationPlatform(this.state),
    });
    if (!found?.length) return this.clear(script.uri);
    const shown = found.map((d) => ({
      diagnostic: diagnosticOf(
        d,
        new vscode.Range(script.positionAt(d.start), script.positionAt(d.end)),
        this.rulesDoc,
      ),
      fixes: d.fixes ?? [],
    }));
    this.shown.set(script.uri.toString(), shown);
    this.collection.set(
      script.uri,
      shown.map((s) => s.diagnostic),
    );
    this.changed.fire(link.job);
  }

  /** Tabs opened or closed: a script whose last tab closed loses its findings; a reopened one is checked. */
  tabsChanged(e: vscode.TabChangeEvent): void {
    for (const key of [...this.shown.keys()]) {
      const uri = vscode.Uri.parse(key);
      if (!inTab(uri)) this.clear(uri);
    }
    for (const tab of e.opened) {
      if (!(tab.input instanceof vscode.TabInputText)) continue;
      const key = tab.input.uri.toString();
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (doc) this.schedule(doc);
    }
    // The job shows its script's findings as hints while a tab shows them, in full otherwise.
    const jobs = new Map<string, vscode.Uri>();
    for (const tab of [...e.opened, ...e.closed]) {
      const link = tab.input instanceof vscode.TabInputText ? scriptLink(tab.input.uri) : undefined;
      if (link) jobs.set(link.job.toString(), link.job);
    }
    for (const job of jobs.values()) this.tabs.fire(job);
  }

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    ctx: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (ctx.only && !ctx.only.intersects(vscode.CodeActionKind.QuickFix)) return [];
    const shown = this.shown.get(doc.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      const s = shown.find((x) => x.diagnostic.range.isEqual(d.range) && x.diagnostic.message === d.message);
      s?.fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits)
          action.edit.replace(
            doc.uri,
            new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)),
            e.newText,
          );
        // as on the job: core lists a problem's fixes best first
        action.isPreferred = i === 0;
        actions.push(action);
      });
    }
    return actions;
  }

  clear(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    const had = this.shown.delete(uri.toString());
    this.collection.delete(uri);
    const link = had ? scriptLink(uri) : undefined;
    if (link) this.changed.fire(link.job);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    this.changed.dispose();
    this.tabs.dispose();
  }
}
