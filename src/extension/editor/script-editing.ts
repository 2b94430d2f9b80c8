// Edit Script: the inline script (a JSON string) opens as a real JavaScript file in the extension's
// storage, beside a jsconfig.json that brings in the script globals (types/idm-script.d.ts), and
// each save writes the script back into the job as a correctly escaped JSON string. Which job a
// script belongs to is also kept beside it (link.json), so a script tab VS Code restores after a
// reload still writes back on save and still shows its findings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { nodeAt, stringOf, type JsonPath } from '../../core/job/document';
import { encodeJsonString } from '../../core/job/json-string';
import { jobNameFromPath, layoutOf } from '../../core/job/layout';
import type { Shell } from '../shell';
import { targetDocument } from './job-commands';

interface ScriptLink {
  job: vscode.Uri;
  path: JsonPath;
}

const SOURCE = ['invokeContext', 'task', 'script', 'source'];
const links = new Map<string, ScriptLink>();
let saving: vscode.Disposable | undefined;

/** The job and script path an Edit Script document belongs to (this session's). */
export function scriptLink(script: vscode.Uri): Readonly<ScriptLink> | undefined {
  return links.get(script.toString());
}

/** The Edit Script documents of a job. */
export function scriptsOf(job: vscode.Uri): vscode.Uri[] {
  return [...links].filter(([, l]) => l.job.toString() === job.toString()).map(([k]) => vscode.Uri.parse(k));
}

const samePath = (a: JsonPath, b: JsonPath) => a.length === b.length && a.every((s, i) => s === b[i]);

/** A short stable folder name for a job, so editing it again reuses the same file. */
function folderName(job: vscode.Uri, path: JsonPath): string {
  let h = 0;
  for (const c of job.toString() + JSON.stringify(path)) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return (h >>> 0).toString(36);
}

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

  const folder = vscode.Uri.joinPath(
    shell.context.globalStorageUri,
    'scripts',
    folderName(doc.uri, job.path),
  );
  await vscode.workspace.fs.createDirectory(folder);
  const types = vscode.Uri.joinPath(shell.context.extensionUri, 'types', 'idm-script.d.ts');
  const jsconfig = {
    compilerOptions: { checkJs: true, target: 'es2020', lib: ['es2020'] },
    files: [types.fsPath],
    include: ['*.js'],
  };
  await vscode.workspace.fs.writeFile(
    vscode.Uri.joinPath(folder, 'jsconfig.json'),
    Buffer.from(JSON.stringify(jsconfig, null, 2)),
  );
  // Named after the job (its _id, else the name its file implies), not a generic script.js.
  const name = job.name ?? jobNameFromPath(doc.uri.fsPath, layoutOf(doc.uri.fsPath));
  const scriptUri = vscode.Uri.joinPath(folder, `${name.replace(/[^\w.-]/g, '_')}.js`);
  await vscode.workspace.fs.writeFile(scriptUri, Buffer.from(text, 'utf8'));
  const link: StoredLink = {
    script: scriptUri.path.split('/').pop()!,
    job: doc.uri.toString(),
    path: job.path,
  };
  await vscode.workspace.fs.writeFile(
    vscode.Uri.joinPath(folder, LINK_FILE),
    Buffer.from(JSON.stringify(link, null, 2)),
  );
  links.set(scriptUri.toString(), { job: doc.uri, path: job.path });
  listenForSaves(shell);
  const editor = await vscode.window.showTextDocument(scriptUri, { preview: false });
  // Already open, the document did not open again: check it now (its findings, script-findings.ts).
  void (await shell.editor()).scripts.check(editor.document);
  return scriptUri;
}

/** Beside each Edit Script file: which job and which script of it the file holds. */
const LINK_FILE = 'link.json';

interface StoredLink {
  /** The script file's name in its folder. */
  script: string;
  /** The job document's URI. */
  job: string;
  path: JsonPath;
}

function listenForSaves(shell: Shell): void {
  if (saving) return;
  saving = vscode.workspace.onDidSaveTextDocument((d) => void writeBack(shell, d));
  shell.context.subscriptions.push(saving);
}

/** The folder Edit Script files live in (the extension's global storage). */
export const scriptsFolder = (context: vscode.ExtensionContext): vscode.Uri =>
  vscode.Uri.joinPath(context.globalStorageUri, 'scripts');

/**
 * Reads back the links of earlier sessions' Edit Script files (their link.json), so a restored script
 * tab writes back on save and shows its findings. A folder without a readable link, or whose job file
 * is gone, is skipped: its script then only edits the copy, as any file would.
 */
export function restoreScriptLinks(shell: Shell): number {
  const root = scriptsFolder(shell.context);
  if (root.scheme !== 'file' || !existsSync(root.fsPath)) return 0;
  let restored = 0;
  for (const entry of readdirSync(root.fsPath, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = vscode.Uri.joinPath(root, entry.name);
    try {
      const stored = JSON.parse(
        readFileSync(vscode.Uri.joinPath(folder, LINK_FILE).fsPath, 'utf8'),
      ) as StoredLink;
      if (typeof stored.script !== 'string' || typeof stored.job !== 'string' || !Array.isArray(stored.path))
        continue;
      const job = vscode.Uri.parse(stored.job);
      if (job.scheme === 'file' && !existsSync(job.fsPath)) continue;
      const script = vscode.Uri.joinPath(folder, stored.script);
      if (!links.has(script.toString())) {
        links.set(script.toString(), { job, path: stored.path });
        restored++;
      }
    } catch {
      // no link (a folder from before links were kept) or an unreadable one: nothing to restore
    }
  }
  if (links.size) listenForSaves(shell);
  return restored;
}

/** Test hook: forgets this session's links, as a window reload does. */
export function forgetScriptLinks(): void {
  links.clear();
}

async function writeBack(shell: Shell, script: vscode.TextDocument): Promise<void> {
  const link = links.get(script.uri.toString());
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
