// Runs core's validateJob on an editor document. Script files beside the job are read from the
// editor when open (unsaved edits count) and from disk otherwise; only `file:` documents have them.
import * as vscode from 'vscode';
import type { JobDocument } from '../../core/job/document';
import { nodeFileAccess } from '../../core/job/file-access';
import { layoutOf, type FileAccess } from '../../core/job/layout';
import type { JobDiagnostic, JobLayout } from '../../core/job/types';
import { validateJob } from '../../core/job/validate';

const pathOf = (doc: vscode.TextDocument) => (doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path);

export function layoutFor(doc: vscode.TextDocument): JobLayout {
  return layoutOf(pathOf(doc));
}

export const editorFiles: FileAccess = {
  readFile(absPath) {
    const open = vscode.workspace.textDocuments.find(
      (d) => d.uri.scheme === 'file' && d.uri.fsPath === absPath,
    );
    return open ? open.getText() : nodeFileAccess.readFile(absPath);
  },
  realPath: (absPath) => nodeFileAccess.realPath?.(absPath),
};

export function checkJob(doc: vscode.TextDocument, parsed: JobDocument): JobDiagnostic[] {
  return validateJob({
    path: pathOf(doc),
    text: parsed.text,
    document: parsed,
    files: doc.uri.scheme === 'file' ? editorFiles : undefined,
  });
}
