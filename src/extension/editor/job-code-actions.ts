// Quick fixes: the edits core attached to a diagnostic, offered as code actions. An edit with a
// `path` changes the script file beside the job (core resolved it inside the job's folder).
import * as vscode from 'vscode';
import type { Fix } from '../../core/job/types';
import type { JobDiagnostics } from './job-diagnostics';

export function fixEdit(
  fix: Fix,
  job: vscode.TextDocument,
  others: Map<string, vscode.TextDocument>,
): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) {
    const target = e.path ? others.get(e.path) : job;
    if (!target) continue;
    edit.replace(
      target.uri,
      new vscode.Range(target.positionAt(e.start), target.positionAt(e.end)),
      e.newText,
    );
  }
  return edit;
}

/** Fix All: the preferred fix of every problem in the document, as one edit (source.fixAll.scanjobs). */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('scanjobs');

export class JobCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly diagnostics: JobDiagnostics) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext) {
    const actions: vscode.CodeAction[] = [];
    // The lightbulb asks for everything; Ctrl+. on a problem for quick fixes; "Fix All" and
    // editor.codeActionsOnSave for source.fixAll.
    const wantsQuickFix = !ctx.only || ctx.only.intersects(vscode.CodeActionKind.QuickFix);
    const wantsFixAll = !ctx.only || ctx.only.intersects(FIX_ALL_KIND);
    if (wantsQuickFix) {
      for (const d of ctx.diagnostics) {
        const found = await this.fixes(doc, d);
        if (!found) continue;
        found.fixes.forEach((fix, i) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [d];
          action.edit = fixEdit(fix, found.job, found.others);
          // core lists a problem's fixes best first: the first is the one to apply (Ctrl+. / auto fix)
          action.isPreferred = i === 0;
          actions.push(action);
        });
      }
    }
    if (wantsFixAll) {
      const all = await this.fixAll(doc);
      if (all) actions.push(all);
    }
    return actions;
  }

  private async fixes(doc: vscode.TextDocument, d: vscode.Diagnostic) {
    const found = this.diagnostics.fixesFor(doc.uri, d);
    if (!found || found.fixes.length === 0) return undefined;
    const job =
      found.job.toString() === doc.uri.toString() ? doc : await vscode.workspace.openTextDocument(found.job);
    const others = new Map<string, vscode.TextDocument>();
    for (const e of found.fixes.flatMap((f) => f.edits)) {
      if (e.path && !others.has(e.path))
        others.set(e.path, await vscode.workspace.openTextDocument(vscode.Uri.file(e.path)));
    }
    return { fixes: found.fixes, job, others };
  }

  /**
   * One action with the first fix of every problem of the document that has one, skipping a fix whose
   * edits overlap one already taken (they would conflict; running Fix All again applies it then).
   */
  private async fixAll(doc: vscode.TextDocument): Promise<vscode.CodeAction | undefined> {
    const taken: { uri: string; range: vscode.Range }[] = [];
    const edit = new vscode.WorkspaceEdit();
    const fixed: vscode.Diagnostic[] = [];
    for (const d of vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'scanjobs')) {
      const found = await this.fixes(doc, d);
      if (!found) continue;
      const one = fixEdit(found.fixes[0], found.job, found.others);
      const parts = one
        .entries()
        .flatMap(([uri, edits]) =>
          edits.map((e) => ({ uri: uri.toString(), range: e.range, e, target: uri })),
        );
      if (
        parts.some((p) => taken.some((t) => t.uri === p.uri && t.range.intersection(p.range) !== undefined))
      )
        continue;
      for (const p of parts) {
        taken.push({ uri: p.uri, range: p.range });
        edit.replace(p.target, p.range, p.e.newText);
      }
      fixed.push(d);
    }
    if (fixed.length === 0) return undefined;
    const action = new vscode.CodeAction(
      `Fix all Scan Jobs problems (${fixed.length} ${fixed.length === 1 ? 'fix' : 'fixes'})`,
      FIX_ALL_KIND,
    );
    action.diagnostics = fixed;
    action.edit = edit;
    return action;
  }
}
