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

export class JobCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: JobDiagnostics) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext) {
    const actions: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      const found = this.diagnostics.fixesFor(doc.uri, d);
      if (!found) continue;
      const job =
        found.job.toString() === doc.uri.toString()
          ? doc
          : await vscode.workspace.openTextDocument(found.job);
      const others = new Map<string, vscode.TextDocument>();
      for (const e of found.fixes.flatMap((f) => f.edits)) {
        if (e.path && !others.has(e.path))
          others.set(e.path, await vscode.workspace.openTextDocument(vscode.Uri.file(e.path)));
      }
      found.fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = fixEdit(fix, job, others);
        action.isPreferred = i === 0 && found.fixes.length === 1;
        actions.push(action);
      });
    }
    return actions;
  }
}
