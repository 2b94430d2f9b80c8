// Validate Job and Format Query Filter: run on the active job file (or the one a CodeLens names).
import * as vscode from 'vscode';
import { parseFilter, printReadable } from '../../core/queryfilter';
import type { Shell } from '../shell';
import { filterAt, filtersIn, type FilterString } from './filter-at';

/** The job document a command acts on: the CodeLens argument, else the active editor's. */
export async function targetDocument(shell: Shell, arg: unknown): Promise<vscode.TextDocument> {
  const doc =
    arg instanceof vscode.Uri
      ? await vscode.workspace.openTextDocument(arg)
      : vscode.window.activeTextEditor?.document;
  if (!doc) throw new Error('open a job file first');
  const features = await shell.editor();
  if (!features.jobs.isJob(doc))
    throw new Error(`${vscode.workspace.asRelativePath(doc.uri)} is not a scan job file`);
  return doc;
}

export async function validateJob(shell: Shell, uri?: unknown): Promise<number> {
  const doc = await targetDocument(shell, uri);
  const found = (await shell.editor()).diagnostics.validate(doc);
  const errors = found.filter((d) => d.severity === 'error').length;
  const name = vscode.workspace.asRelativePath(doc.uri);
  if (found.length === 0) void vscode.window.showInformationMessage(`${name}: no problems found.`);
  else void vscode.commands.executeCommand('workbench.actions.view.problems');
  return errors;
}

/** Rewrites the filter under the cursor (or every filter in the file) in the readable form. */
export async function formatQueryFilter(shell: Shell, uri?: unknown): Promise<boolean> {
  const doc = await targetDocument(shell, uri);
  const parsed = (await shell.editor()).jobs.parsed(doc)!;
  const editor = vscode.window.activeTextEditor;
  const under =
    editor?.document === doc ? filterAt(parsed, doc.offsetAt(editor.selection.active)) : undefined;
  const targets: FilterString[] = under ? [under] : filtersIn(parsed);
  if (targets.length === 0) throw new Error('this job has no _queryFilter to format');
  const edit = new vscode.WorkspaceEdit();
  for (const f of targets) {
    const result = parseFilter(f.str.value);
    if (!result.ok)
      throw new Error(`the filter cannot be formatted until it parses: ${result.error.message}`);
    const start = doc.positionAt(f.node.offset);
    const end = doc.positionAt(f.node.offset + f.node.length);
    edit.replace(doc.uri, new vscode.Range(start, end), JSON.stringify(printReadable(result.ast)));
  }
  return vscode.workspace.applyEdit(edit);
}
