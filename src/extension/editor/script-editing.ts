// Edit Script: the inline script (a JSON string) opens as a real JavaScript file named after the job,
// `.scanjobs/scripts/<job>.js` in the job's workspace folder (script-links.ts: where, and which job
// each copy belongs to), beside a jsconfig.json that brings in the script globals
// (types/idm-script.d.ts); each save writes the script back into the job as a correctly escaped JSON
// string. The links are kept beside the copies, so a script tab VS Code restores after a reload still
// writes back on save and still shows its findings.
import * as vscode from 'vscode';
import { nodeAt, stringOf, type JsonPath } from '../../core/job/document';
import { encodeJsonString } from '../../core/job/json-string';
import { jobNameFromPath, layoutOf } from '../../core/job/layout';
import type { Shell } from '../shell';
import { targetDocument } from './job-commands';
import { forgetLinks, restoreLinks, samePath, scriptLink, useStorage, writeCopy } from './script-links';

export { scriptLink, scriptsOf } from './script-links';

const SOURCE = ['invokeContext', 'task', 'script', 'source'];
let saving: vscode.Disposable | undefined;

export async function editScript(shell: Shell, uri?: unknown, jobPath?: unknown): Promise<vscode.Uri> {
  const doc = await targetDocument(shell, uri);
  const parsed = (await shell.editor()).jobs.parsed(doc)!;
  const job = Array.isArray(jobPath)
    ? parsed.jobs.find((j) => samePath(j.path, jobPath as JsonPath))
    : parsed.jobs.find((j) => nodeAt(j.node, SOURCE)?.type === 'string');
  const source = job && nodeAt(job.node, SOURCE);
  if (!job || source?.type !== 'string')
    throw new Error('this job has no inline script (invokeContext.task.script.source)');
  const text = stringOf(parsed.text, source).value;
  if (text.startsWith('file://'))
    throw new Error(`the script lives in a file (${text}): open that file instead`);

  useStorage(shell.context);
  // Named after the job (its _id, else the name its file implies), not a generic script.js.
  const name = job.name ?? jobNameFromPath(doc.uri.fsPath, layoutOf(doc.uri.fsPath));
  const types = vscode.Uri.joinPath(shell.context.extensionUri, 'types', 'idm-script.d.ts');
  const scriptUri = await writeCopy({ job: doc.uri, path: job.path }, name, text, types);
  listenForSaves(shell);
  const editor = await vscode.window.showTextDocument(scriptUri, { preview: false });
  // Already open, the document did not open again: check it now (its findings, script-findings.ts).
  void (await shell.editor()).scripts.check(editor.document);
  return scriptUri;
}

function listenForSaves(shell: Shell): void {
  if (saving) return;
  saving = vscode.workspace.onDidSaveTextDocument((d) => void writeBack(shell, d));
  shell.context.subscriptions.push(saving);
}

/**
 * Reads back the links of the Edit Script copies open now (restored tabs), so they write back on save
 * and show their findings; copies opened later are linked when first asked about (scriptLink).
 * Resolves with how many links were read back.
 */
export function restoreScriptLinks(shell: Shell): number {
  useStorage(shell.context);
  listenForSaves(shell);
  return restoreLinks();
}

/** Test hook: forgets this session's links, as a window reload does. */
export function forgetScriptLinks(): void {
  forgetLinks();
}

async function writeBack(shell: Shell, script: vscode.TextDocument): Promise<void> {
  const link = scriptLink(script.uri);
  if (!link) return;
  try {
    const doc = await vscode.workspace.openTextDocument(link.job);
    const parsed = (await shell.editor()).jobs.parsed(doc);
    const job = parsed?.jobs.find((j) => samePath(j.path, link.path));
    const source = job && nodeAt(job.node, SOURCE);
    if (!parsed || source?.type !== 'string')
      throw new Error(`${vscode.workspace.asRelativePath(link.job)} no longer has this inline script`);
    const text = script.getText();
    // Unchanged: leave the job's bytes alone (its escaping style may differ from ours).
    if (stringOf(parsed.text, source).value === text) return;
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(
      doc.positionAt(source.offset),
      doc.positionAt(source.offset + source.length),
    );
    edit.replace(doc.uri, range, encodeJsonString(text));
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit was refused');
    await doc.save();
  } catch (e) {
    const text = `Scan Jobs: the script was not written back: ${e instanceof Error ? e.message : String(e)}`;
    shell.log.warn(`${text}\n${e instanceof Error ? e.stack : ''}`);
    shell.noteShown('error', text);
    void vscode.window.showErrorMessage(text);
  }
}
