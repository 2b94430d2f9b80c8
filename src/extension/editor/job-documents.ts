// Which open documents are job files, and their parse, cached by document version and language. Core
// decides both (isJobFile, parseJobFile): the editor only keeps the answers. A document's language can
// change without a new version (a file opened before its language was known, or "Change Language
// Mode"), so an answer given for one language is never reused for another.
import * as vscode from 'vscode';
import { parseJobFile, type JobDocument } from '../../core/job/document';
import { isJobFile } from '../../core/job/layout';
import { JOB_LANGUAGE } from './job-language';

/** Files the user declared as jobs (`scanjobs.jobFiles.include`, globs relative to the workspace folder). */
function included(doc: vscode.TextDocument): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!folder) return false;
  const globs = vscode.workspace.getConfiguration('scanjobs.jobFiles', doc.uri).get<string[]>('include', []);
  return globs.some(
    (g) => vscode.languages.match({ pattern: new vscode.RelativePattern(folder, g) }, doc) > 0,
  );
}

interface Entry {
  version: number;
  languageId: string;
  isJob: boolean;
  parsed?: JobDocument;
}

export class JobDocuments {
  private readonly entries = new Map<string, Entry>();

  private entry(doc: vscode.TextDocument): Entry {
    const key = doc.uri.toString();
    let e = this.entries.get(key);
    if (!e || e.version !== doc.version || e.languageId !== doc.languageId) {
      const mayBeJson = doc.languageId === 'json' || doc.languageId === 'jsonc';
      e = {
        version: doc.version,
        languageId: doc.languageId,
        // A document in the job language is a job whatever it holds: the user or we chose so.
        isJob:
          doc.languageId === JOB_LANGUAGE ||
          (mayBeJson && (isJobFile(doc.uri.path, doc.getText()) || included(doc))),
      };
      this.entries.set(key, e);
    }
    return e;
  }

  isJob(doc: vscode.TextDocument): boolean {
    return this.entry(doc).isJob;
  }

  /** The parsed job file, or undefined when the document is not a job. */
  parsed(doc: vscode.TextDocument): JobDocument | undefined {
    const e = this.entry(doc);
    if (!e.isJob) return undefined;
    e.parsed ??= parseJobFile(doc.getText());
    return e.parsed;
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
  }

  /** Drops every answer (the settings that decide what a job file is changed). */
  forgetAll(): void {
    this.entries.clear();
  }
}

/** The document range of core offsets [start, end). */
export function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(Math.max(start, end)));
}

/** The range of offsets [start, end) in a text that is not open as a document (lines end as VS Code ends them). */
export function rangeIn(text: string, start: number, end: number): vscode.Range {
  const at = (offset: number) => {
    const before = text.slice(0, Math.min(offset, text.length));
    const breaks = before.match(/\r\n|\r|\n/g) ?? [];
    const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
    return new vscode.Position(breaks.length, before.length - lineStart);
  };
  return new vscode.Range(at(start), at(Math.max(start, end)));
}
