// Scan Jobs: Preview Matches and Scan Jobs: Dry Run Job (docs/preview.md). Thin: read the job file as
// Push does, hand it to core with the active tenant (and, for a dry run, a private tenant started as a
// child process), render the result. Nothing is written to the tenant.
import * as vscode from 'vscode';
import { DRY_RUN_SAMPLE_DEFAULT, DRY_RUN_SAMPLE_MAX, dryRun, previewMatches } from '../../core/preview';
import type { DryRunReport, Preview } from '../../core/preview';
import type { Shell } from '../shell';
import { readLocalJob, targetUri } from '../tenant/job-source';
import { PreviewDocuments } from './documents';
import { dryRunMarkdown, outcome, previewMarkdown } from './render';
import { startPrivateTenant } from './private-tenant';

let documents: PreviewDocuments | undefined;

function docs(shell: Shell): PreviewDocuments {
  if (!documents) {
    documents = new PreviewDocuments();
    shell.context.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(PreviewDocuments.scheme, documents),
    );
  }
  return documents;
}

async function show(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

/** Options a test or another command may pass after the CodeLens's (uri, job path); none from menus. */
function argsOf<T>(extra: unknown): Partial<T> {
  return extra !== null && typeof extra === 'object' && !Array.isArray(extra) ? (extra as Partial<T>) : {};
}

interface PreviewArgs {
  sample?: number;
  now?: string;
}

export async function previewMatchesCommand(
  shell: Shell,
  arg?: unknown,
  jobPath?: unknown,
  extra?: unknown,
): Promise<Preview | undefined> {
  const options = argsOf<PreviewArgs>(extra);
  const side = await shell.tenants();
  const tenant = side.requireTenant();
  const local = await readLocalJob(targetUri(arg), jobPath);
  const client = await side.tenants.client(tenant);
  const preview = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Previewing ${local.name} on ${tenant}…`,
      cancellable: true,
    },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return previewMatches(client, local.body, {
        now: options.now ? new Date(options.now) : undefined,
        sample: options.sample,
        signal: abort.signal,
      });
    },
  );
  side.log.info(
    `Preview of ${local.name} on ${tenant}: ${preview.matched} matched (${preview.exact ? 'exact' : 'estimate'}), ` +
      `${preview.wouldProcess} would be processed, ${preview.claimed} claimed, ${preview.completed} completed`,
  );
  await show(
    docs(shell).set(`/${tenant}/${local.name}.preview.md`, previewMarkdown(preview, tenant, local.name)),
  );
  return preview;
}

interface DryRunArgs {
  sample?: number;
  keep?: boolean;
  /** Open VS Code's diff editor for this object when the run is done (else the user picks one). */
  diff?: string;
}

export async function dryRunCommand(
  shell: Shell,
  arg?: unknown,
  jobPath?: unknown,
  extra?: unknown,
): Promise<DryRunReport | undefined> {
  const options = argsOf<DryRunArgs>(extra);
  const side = await shell.tenants();
  const tenant = side.requireTenant();
  const local = await readLocalJob(targetUri(arg), jobPath);
  const client = await side.tenants.client(tenant);
  const setting = vscode.workspace
    .getConfiguration('scanjobs.dryRun')
    .get<number>('sample', DRY_RUN_SAMPLE_DEFAULT);
  const sample = Math.min(Math.max(1, options.sample ?? setting), DRY_RUN_SAMPLE_MAX);
  const host = shell.context.asAbsolutePath('dist/emulator-host.js');
  const report = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Dry run of ${local.name} on objects read from ${side.tenants.where(tenant)}`,
      cancellable: false,
    },
    (progress) =>
      dryRun(client, local.body, (setup) => startPrivateTenant(host, setup, (l) => side.log.trace(l)), {
        sample,
        keep: options.keep === true,
        jobName: local.name,
        progress: (message) => progress.report({ message }),
      }),
  );
  side.log.info(
    `Dry run of ${local.name} from ${tenant}: ${report.sampled} object(s), ${report.totals.processed} processed, ` +
      `${report.totals.successes} succeeded, ${report.totals.failures} failed; ${report.sourceReads} GET(s) to ${tenant}, no writes`,
  );
  const d = docs(shell);
  const base = `/${tenant}/${local.name}.dry-run`;
  await show(d.set(`${base}.md`, dryRunMarkdown(report, local.name)));
  const changed = report.results.filter((r) => r.changes.length > 0);
  const openDiff = async (id: string) => {
    const r = report.results.find((x) => x.id === id);
    if (!r) throw new Error(`the dry run has no object '${id}'`);
    const left = d.set(`${base}/${id}.before.json`, `${JSON.stringify(r.before, null, 2)}\n`);
    const right = d.set(`${base}/${id}.after.json`, r.after ? `${JSON.stringify(r.after, null, 2)}\n` : '');
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      `${id}: before ↔ after (dry run, ${outcome(r)})`,
    );
  };
  if (options.diff !== undefined) await openDiff(options.diff);
  else if (changed.length > 0) {
    void vscode.window
      .showInformationMessage(
        `Dry run of ${local.name}: ${report.totals.successes} succeeded, ${report.totals.failures} failed, ${changed.length} object(s) changed on the copy.`,
        'Show a Diff…',
      )
      .then(async (pick) => {
        if (!pick) return;
        const chosen = await vscode.window.showQuickPick(
          changed.map((r) => ({
            label: r.id,
            description: outcome(r),
            detail: r.changes.map((c) => c.path).join(', '),
          })),
          { title: 'Before ↔ after of one object' },
        );
        if (chosen) await openDiff(chosen.label);
      });
  }
  return report;
}
