// Job files get a language of their own, `scanjob-json`: JSON's grammar (syntaxes/scanjob-json.
// tmLanguage.json includes source.json) and JSON's editing features (json-service.ts), but not VS
// Code's JSON language server, whose validation would report a second, coarser copy of problems we
// already mark exactly: an invalid escape underlined over the whole string (issue 16 item 5). Other
// JSON files keep that server. `*.scanjob.json` gets the language from package.json; other job files
// (found by content: conf/schedule-*.json, fr-config-manager, Frodo, scanjobs.jobFiles.include) are
// switched when first seen, once per file and session, so a user who picks JSON again with Change
// Language Mode keeps it.
import * as vscode from 'vscode';
import type { JobDocuments } from './job-documents';

export const JOB_LANGUAGE = 'scanjob-json';

/** The languages a job file may be open in. */
export const JOB_FILE_LANGUAGES: readonly string[] = [JOB_LANGUAGE, 'json', 'jsonc'];

export class JobLanguage {
  /** Documents already in the job language once (switched by us or opened so). */
  private readonly seen = new Set<string>();

  constructor(private readonly jobs: JobDocuments) {}

  /**
   * Gives a JSON job document the job language; true when it did, and the document is then closed
   * and reopened in that language (its open event follows). Only files on disk and untitled ones:
   * views of a tenant's job (Diff with Tenant) keep the language they were opened with.
   */
  adopt(doc: vscode.TextDocument): boolean {
    const key = doc.uri.toString();
    if (doc.languageId === JOB_LANGUAGE) {
      this.seen.add(key);
      return false;
    }
    if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    if (this.seen.has(key) || !this.jobs.isJob(doc)) return false;
    this.seen.add(key);
    void vscode.languages.setTextDocumentLanguage(doc, JOB_LANGUAGE);
    return true;
  }
}
