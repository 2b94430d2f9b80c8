// The local job a command acts on (Push, Execute, Diff): the active editor's job file, an explorer
// selection, or a CodeLens's (uri, job path). Read from the open document when there is one, so
// unsaved edits are what gets pushed; resolved through core exactly as the CLI's push does.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import {
  jobNameFromPath,
  layoutOf,
  nodeFileAccess,
  parseJobFile,
  resolveJob,
  validateJob,
  type JsonPath,
} from '../../core/job';

export interface LocalJob {
  uri: vscode.Uri;
  name: string;
  /** The job as pushed: script inlined, server fields left out, `persisted` defaulted (idm-api.md §8.2). */
  body: Record<string, unknown>;
  errors: string[];
}

/** Which file: the argument a menu or lens passed, else the active editor's document. */
export function targetUri(arg: unknown): vscode.Uri {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri;
  throw new Error('Open a job file (or select one in the Explorer) first');
}

export async function readLocalJob(uri: vscode.Uri, jobPath?: unknown): Promise<LocalJob> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const path = uri.fsPath;
  const doc = parseJobFile(text);
  const index = Array.isArray(jobPath)
    ? Math.max(
        0,
        doc.jobs.findIndex((j) => sameJsonPath(j.path, jobPath as JsonPath)),
      )
    : 0;
  const entry = doc.jobs[index];
  if (!entry) throw new Error(`${basename(path)} holds no scheduler job`);
  const resolved = resolveJob({ path, text, files: nodeFileAccess, jobIndex: index });
  if (!resolved.ok) throw new Error(`${basename(path)}: ${resolved.message}`);
  const { _id: _ignored, ...body } = resolved.job;
  if (body.persisted === undefined) body.persisted = true;
  const errors = validateJob({ path, text, files: nodeFileAccess })
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.message} [${d.code}]`);
  return { uri, name: entry.name ?? jobNameFromPath(path, layoutOf(path)), body, errors };
}

function sameJsonPath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
