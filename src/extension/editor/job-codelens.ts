// Lenses over each job: Validate (with the current problem count) and Edit Script, plus the tenant
// commands, shown only while their context key holds (CodeLens has no `when` clause, so the lens
// list reads the same keys the menus use).
import * as vscode from 'vscode';
import { nodeAt } from '../../core/job/document';
import type { ContextKey } from '../context-keys';
import type { Shell } from '../shell';
import type { JobDiagnostics } from './job-diagnostics';
import type { JobDocuments } from './job-documents';
import type { ScriptDiagnostics } from './script-findings';

interface LensSpec {
  command: string;
  title: string;
  when?: ContextKey;
}

/**
 * Tenant lenses; their commands come with the tenant side, which sets scanjobs.tenantConnected. Each
 * names the tenant it acts on ({tenant}), so a switch of the active tenant shows on the lens.
 */
export const tenantLenses: LensSpec[] = [
  {
    command: 'scanjobs.pushJob',
    title: '$(cloud-upload) Push to {tenant}',
    when: 'scanjobs.tenantConnected',
  },
  { command: 'scanjobs.executeJob', title: '$(play) Execute on {tenant}', when: 'scanjobs.tenantConnected' },
  { command: 'scanjobs.diffJob', title: '$(diff) Diff with {tenant}', when: 'scanjobs.tenantConnected' },
];

/** How a lens names a tenant: the local tenant is called 'local', which reads badly alone. */
export const tenantLabel = (name: string): string => (name === 'local' ? 'the local tenant' : name);

/** "1 error", "2 errors": counts in words with the right number. */
export const countOf = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Lenses above `_queryFilter` while a tenant is connected (reads only: docs/preview.md). */
export const filterLenses: LensSpec[] = [
  { command: 'scanjobs.previewMatches', title: '$(search) Preview Matches' },
  { command: 'scanjobs.dryRunJob', title: '$(beaker) Dry Run' },
];

export class JobCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly shell: Shell,
    private readonly jobs: JobDocuments,
    private readonly diagnostics: JobDiagnostics,
    private readonly scripts: ScriptDiagnostics,
  ) {
    shell.keys.onDidChange(() => this.changed.fire());
    shell.onDidChangeActiveTenant(() => this.changed.fire());
    diagnostics.onDidUpdate(() => this.changed.fire());
    scripts.onDidUpdate(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('scanjobs.codeLens').get<boolean>('enable', true)) return [];
    const parsed = this.jobs.parsed(doc);
    if (!parsed) return [];
    // Every source's problems (VS Code's JSON check too), so the count agrees with the tab and the
    // Problems view; and the script findings an open Edit Script tab shows for this file's jobs, which
    // the job keeps only as hints meanwhile (counted once, the same whether that tab is open or not).
    const problems = [...vscode.languages.getDiagnostics(doc.uri), ...this.scripts.scriptProblems(doc.uri)];
    const errors = problems.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = problems.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    const status =
      errors + warnings === 0
        ? '$(check) Validate'
        : `$(warning) Validate (${countOf(errors, 'error')}, ${countOf(warnings, 'warning')})`;
    const lenses: vscode.CodeLens[] = [];
    for (const job of parsed.jobs) {
      const at = new vscode.Range(doc.positionAt(job.node.offset), doc.positionAt(job.node.offset));
      const args = [doc.uri, job.path];
      lenses.push(
        new vscode.CodeLens(at, { command: 'scanjobs.validateJob', title: status, arguments: args }),
      );
      const source = nodeAt(job.node, ['invokeContext', 'task', 'script', 'source']);
      if (source?.type === 'string' && !String(source.value).startsWith('file://')) {
        lenses.push(
          new vscode.CodeLens(at, {
            command: 'scanjobs.editScript',
            title: '$(code) Edit Script',
            arguments: args,
          }),
        );
      }
      const tenant = this.shell.activeTenant;
      for (const spec of tenantLenses) {
        if ((!spec.when || this.shell.keys.get(spec.when)) && tenant !== undefined) {
          const title = spec.title.replace('{tenant}', tenantLabel(tenant));
          lenses.push(new vscode.CodeLens(at, { command: spec.command, title, arguments: args }));
        }
      }
      // Above the filter: what it matches on the tenant now, and the job tried on a copy (docs/preview.md).
      const filter = nodeAt(job.node, ['invokeContext', 'scan', '_queryFilter']);
      if (filter && tenant !== undefined && this.shell.keys.get('scanjobs.tenantConnected')) {
        const line = new vscode.Range(doc.positionAt(filter.offset), doc.positionAt(filter.offset));
        for (const spec of filterLenses)
          lenses.push(
            new vscode.CodeLens(line, { command: spec.command, title: spec.title, arguments: args }),
          );
      }
    }
    return lenses;
  }
}
