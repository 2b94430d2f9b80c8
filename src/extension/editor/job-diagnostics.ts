// Problems in open job files: core's validateJob, run on open and after typing stops (debounced),
// shown with exact ranges and rule codes that link to the rule's section in docs/rules.md. The quick
// fixes core attaches are kept beside each diagnostic for JobCodeActions. A finding in a script whose
// Edit Script tab is open is shown and counted there (script-findings.ts); the job keeps it as a hint,
// which VS Code neither lists in Problems nor counts, pointing at the script (issue 16 item 5).
import * as vscode from 'vscode';
import { nodeAt, type JobDocument, type JsonPath } from '../../core/job/document';
import { JsonString } from '../../core/job/json-string';
import { SCRIPT_PATH } from '../../core/job/script';
import type { Fix, JobDiagnostic } from '../../core/job/types';
import { checkJob, editorFiles, validationPlatform } from './job-check';
import { rangeIn, rangeOf, type JobDocuments } from './job-documents';

const SEVERITY: Record<JobDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A finding as VS Code shows it: our source, its rule code linked to the rule's section. */
export function diagnosticOf(d: JobDiagnostic, range: vscode.Range, rulesDoc: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  diagnostic.source = 'scanjobs';
  diagnostic.code = { value: d.code, target: rulesDoc.with({ fragment: d.code }) };
  return diagnostic;
}

interface Shown {
  diagnostic: vscode.Diagnostic;
  fixes: Fix[];
  /** The job file the fixes' offsets refer to. */
  job: vscode.Uri;
}

export class JobDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('scanjobs');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per file showing problems: what is shown there, for code actions. */
  private readonly shown = new Map<string, Shown[]>();
  /** Per job file: the other files (scripts) it put problems on. */
  private readonly spill = new Map<string, string[]>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a job file's problems were recomputed. */
  readonly onDidUpdate = this.changed.event;

  constructor(
    private readonly jobs: JobDocuments,
    private readonly rulesDoc: vscode.Uri,
    private readonly state?: vscode.Memento,
    /** The open Edit Script tab of a job's script, where its findings are shown and counted. */
    private readonly shownScript: (job: vscode.Uri, path: JsonPath) => vscode.Uri | undefined = () =>
      undefined,
  ) {}

  /** The inside of each inline script whose findings an open script tab shows (offsets in the job). */
  private scriptsShown(doc: vscode.TextDocument, parsed: JobDocument) {
    const shown: { start: number; end: number; script: vscode.Uri; str: JsonString }[] = [];
    for (const job of parsed.jobs) {
      const source = nodeAt(job.node, [...SCRIPT_PATH, 'source']);
      const script = source?.type === 'string' ? this.shownScript(doc.uri, job.path) : undefined;
      if (source && script)
        shown.push({
          start: source.offset + 1,
          end: source.offset + source.length - 1,
          script,
          str: JsonString.decode(parsed.text, source.offset, source.length),
        });
    }
    return shown;
  }

  private get settings() {
    const c = vscode.workspace.getConfiguration('scanjobs.validation');
    return { enable: c.get<boolean>('enable', true), delay: c.get<number>('delay', 300) };
  }

  /** Validates after the configured delay; a newer call for the same document replaces it. */
  schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validate(doc);
      }, this.settings.delay),
    );
  }

  validate(doc: vscode.TextDocument): JobDiagnostic[] {
    if (doc.isClosed) return [];
    const parsed = this.jobs.parsed(doc);
    if (!parsed || !this.settings.enable) {
      this.clear(doc.uri);
      return [];
    }
    const found = checkJob(doc, parsed, this.state && validationPlatform(this.state));
    const scripts = this.scriptsShown(doc, parsed);
    const byFile = new Map<string, { uri: vscode.Uri; shown: Shown[] }>();
    byFile.set(doc.uri.toString(), { uri: doc.uri, shown: [] });
    for (const d of found) {
      // A problem in a script file beside the job (`path`) goes on that file.
      const uri = d.path ? vscode.Uri.file(d.path) : doc.uri;
      const target = d.path
        ? vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString())
        : doc;
      // A script file that is not open: placed in the text core read from disk.
      const range = target
        ? rangeOf(target, d.start, d.end)
        : rangeIn(editorFiles.readFile(d.path!) ?? '', d.start, d.end);
      const diagnostic = diagnosticOf(d, range, this.rulesDoc);
      const shownIn = d.path ? undefined : scripts.find((s) => d.start >= s.start && d.end <= s.end);
      const script = shownIn?.script;
      if (shownIn && script) {
        // Listed, counted and fixed in the script's tab; here a hint that says where, at the place in
        // the script the job's text puts it (the tab's unsaved edits may have moved it since).
        diagnostic.severity = vscode.DiagnosticSeverity.Hint;
        const name = script.path.slice(script.path.lastIndexOf('/') + 1);
        const { str } = shownIn;
        const at = rangeIn(str.value, str.indexAt(d.start), str.indexAt(d.end));
        diagnostic.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(script, at),
            `shown and counted in ${name}, where the script is being edited`,
          ),
        ];
      }
      const entry = byFile.get(uri.toString()) ?? { uri, shown: [] };
      entry.shown.push({ diagnostic, fixes: script ? [] : (d.fixes ?? []), job: doc.uri });
      byFile.set(uri.toString(), entry);
    }
    for (const old of this.spill.get(doc.uri.toString()) ?? []) {
      if (!byFile.has(old)) this.clearKey(old);
    }
    for (const [key, { uri, shown }] of byFile) {
      this.shown.set(key, shown);
      this.collection.set(
        uri,
        shown.map((s) => s.diagnostic),
      );
    }
    this.spill.set(
      doc.uri.toString(),
      [...byFile.keys()].filter((k) => k !== doc.uri.toString()),
    );
    this.changed.fire(doc.uri);
    return found;
  }

  /** The fixes for a diagnostic shown in `uri` (matched by code and range). */
  fixesFor(uri: vscode.Uri, d: vscode.Diagnostic): { fixes: Fix[]; job: vscode.Uri } | undefined {
    const codeOf = (x: vscode.Diagnostic) => (typeof x.code === 'object' ? x.code.value : x.code);
    const s = this.shown
      .get(uri.toString())
      ?.find(
        (x) =>
          codeOf(x.diagnostic) === codeOf(d) &&
          x.diagnostic.range.isEqual(d.range) &&
          x.diagnostic.message === d.message,
      );
    return s && s.fixes.length ? { fixes: s.fixes, job: s.job } : undefined;
  }

  /**
   * Clears a job file's problems and those it put on its script files. A script file that another
   * job's check put problems on keeps them (opening or closing it is no reason to drop them).
   */
  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const k of this.spill.get(key) ?? []) this.clearKey(k);
    this.spill.delete(key);
    if (![...this.spill.values()].some((targets) => targets.includes(key))) this.clearKey(key);
  }

  private clearKey(key: string): void {
    this.shown.delete(key);
    this.collection.delete(vscode.Uri.parse(key));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    this.changed.dispose();
  }
}
