// Extract Script to File and Inline Script: core computes the edits in the job layout's own
// convention (fr-config-manager `file`, Frodo `file://`, IDM `script/<name>.js`); the editor writes
// the script file, applies the edits and saves the job, so the files on disk agree with each other.
import * as vscode from 'vscode';
import { extractScript as extract, inlineScript as inline, type TextEdit } from '../../core/job';
import type { Shell } from '../shell';
import { editorFiles } from './job-check';
import { targetDocument } from './job-commands';

async function applyAndSave(doc: vscode.TextDocument, edits: TextEdit[]): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits)
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new Error(`the edit to ${vscode.workspace.asRelativePath(doc.uri)} was refused`);
  await doc.save();
}

async function fileDocument(shell: Shell, arg: unknown): Promise<vscode.TextDocument> {
  const doc = await targetDocument(shell, arg);
  if (doc.uri.scheme !== 'file')
    throw new Error('scripts can be moved to and from files only for job files on disk');
  return doc;
}

export async function extractScript(shell: Shell, uri?: unknown): Promise<vscode.Uri> {
  const doc = await fileDocument(shell, uri);
  const result = extract({ path: doc.uri.fsPath, text: doc.getText(), files: editorFiles });
  if (!result.ok) throw new Error(result.message);
  const file = vscode.Uri.file(result.file.path);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
  await vscode.workspace.fs.writeFile(file, Buffer.from(result.file.text, 'utf8'));
  await applyAndSave(doc, result.edits);
  await vscode.window.showTextDocument(file, { preview: false });
  return file;
}

export async function inlineScript(shell: Shell, uri?: unknown): Promise<vscode.Uri> {
  const doc = await fileDocument(shell, uri);
  const result = inline({ path: doc.uri.fsPath, text: doc.getText(), files: editorFiles });
  if (!result.ok) throw new Error(result.message);
  await applyAndSave(doc, result.edits);
  const obsolete = vscode.Uri.file(result.obsolete);
  void vscode.window
    .showInformationMessage(
      `The script is now inline; ${vscode.workspace.asRelativePath(obsolete)} is no longer used.`,
      'Delete It',
    )
    .then((choice) => (choice ? vscode.workspace.fs.delete(obsolete) : undefined));
  return obsolete;
}
