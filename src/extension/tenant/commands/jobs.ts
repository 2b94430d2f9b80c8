// Job commands: push (with the diff and the production guard), pull, diff, delete, pause, resume,
// trigger (idm-api.md §3.1). Each write re-reads nothing it does not need and refreshes only the
// tenant's node in the tree.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import {
  PULL_LAYOUTS,
  PULL_LAYOUT_GLOBS,
  applyTextEdits,
  extractScript,
  jobForFile,
  nodeFileAccess,
  pullBaseOf,
  pulledJobFile,
  type PullLayout,
} from '../../../core/job';
import {
  diffJob,
  formatJobChanges,
  jobState,
  jobsToOffer,
  noJobsMessage,
  SCAN_JOB_FILTER,
  type JobPick,
} from '../../../core/tenant';
import type { Shell } from '../../shell';
import { markJobLogging, unmarkJobLogging } from '../../../core/logs/marker';
import { confirmWrite } from '../guard';
import { readLocalJob, targetUri } from '../job-source';
import type { TenantSide } from '../side';
import { LOCAL_NAME } from '../local-tenant';
import { TenantDocuments, forDiff } from '../tenant-documents';
import type { JobNode } from '../tree-model';

const isJobNode = (arg: unknown): arg is JobNode => (arg as JobNode | undefined)?.kind === 'job';

/**
 * The tenant job a command acts on: a tree node, or one picked from the active tenant. `title` words
 * the pick's title around the tenant, e.g. "Delete which job on staging (https://…)?".
 */
export async function targetJob(
  side: TenantSide,
  arg: unknown,
  title: (where: string) => string,
  pick: JobPick = 'any',
): Promise<{ tenant: string; job: string } | undefined> {
  if (isJobNode(arg)) return { tenant: arg.tenant, job: arg.job._id };
  const tenant = side.requireTenant();
  const client = await side.tenants.client(tenant);
  const page = await client.jobs.query({
    filter: pick === 'scan' ? SCAN_JOB_FILTER : 'true',
    pageSize: 500,
    fields: ['_id', 'enabled', 'invokeService', 'triggers'],
    sortKeys: ['_id'],
  });
  const jobs = jobsToOffer(page.result, pick);
  if (jobs.length === 0) throw new Error(noJobsMessage(pick, tenant));
  const chosen = await vscode.window.showQuickPick(
    jobs.map((j) => ({ label: j._id, description: jobState(j) === 'enabled' ? undefined : jobState(j) })),
    { title: title(side.tenants.where(tenant)), matchOnDescription: true },
  );
  return chosen ? { tenant, job: chosen.label } : undefined;
}

/** The tenant's copy of a job: on OpenIDM the config schedule a push writes (idm-api.md §4.4). */
async function readRemote(
  side: TenantSide,
  tenant: string,
  job: string,
): Promise<Record<string, unknown> | undefined> {
  const client = await side.tenants.client(tenant);
  const openidm = await client.isOpenIdm(side.tenants.platform(tenant));
  return (await client.readPushedJob(job, openidm))?.job;
}

export async function pushJob(shell: Shell, arg?: unknown, jobPath?: unknown): Promise<string | undefined> {
  const side = await shell.tenants();
  const tenant = side.requireTenant();
  const local = await readLocalJob(targetUri(arg), jobPath);
  const where = side.tenants.where(tenant);
  if (local.errors.length) {
    const n = local.errors.length;
    const go = await vscode.window.showWarningMessage(
      `Push ${local.name} to ${where} anyway? It has ${n === 1 ? 'an error' : `${n} errors`}: ${local.errors[0]}`,
      { modal: true },
      'Push Anyway',
    );
    if (go !== 'Push Anyway') return undefined;
  }
  // Where the user agreed (scanjobs.logs.markScriptLines), the pushed script's logger lines carry
  // the job's marker (docs/logs.md "Markers"); the file itself is never changed.
  if (vscode.workspace.getConfiguration('scanjobs', local.uri).get<boolean>('logs.markScriptLines'))
    local.body = markJobLogging(local.body, local.name).job;
  const client = await side.tenants.client(tenant);
  // OpenIDM's execute reads only config schedules (idm-api.md §4.4): push writes one there.
  const openidm = await client.isOpenIdm(side.tenants.platform(tenant));
  const path = openidm ? `/openidm/config/schedule/${local.name}` : `/openidm/scheduler/job/${local.name}`;
  const remote = (await client.readPushedJob(local.name, openidm))?.job;
  const changes = remote ? diffJob(local.body, remote) : [];
  if (remote && changes.length === 0) {
    shell.notify('info', `Scan Jobs: ${local.name} on ${tenant} is already up to date.`);
    return local.name;
  }
  const summary = remote ? formatJobChanges(changes).slice(0, 15).join('\n') : `creates ${path}`;
  if (side.tenants.isProduction(tenant)) {
    await showDiff(side, tenant, local.name, local.body, local.uri);
    if (!(await confirmWrite(side.tenants, tenant, `Push ${local.name}`, summary))) return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pushing ${local.name} to ${where}…` },
    async (): Promise<{ created: boolean }> =>
      openidm
        ? client.scheduleConfigs.upsert(local.name, local.body)
        : client.jobs.upsert(local.name, local.body),
  );
  side.log.info(
    `${result.created ? 'Created' : 'Updated'} ${local.name} on ${tenant}${remote ? ` (${changes.length} change(s))` : ''}`,
  );
  if (openidm)
    side.log.info(`  ${tenant} is OpenIDM, whose execute reads only config schedules: wrote ${path}`);
  for (const line of remote ? formatJobChanges(changes) : []) side.log.info(`  ${line}`);
  side.model.refresh(side.model.tenantNode(tenant));
  shell.notify('info', `Scan Jobs: ${result.created ? 'created' : 'updated'} ${local.name} on ${tenant}.`);
  return local.name;
}

async function showDiff(
  side: TenantSide,
  tenant: string,
  job: string,
  body: Record<string, unknown>,
  file: vscode.Uri,
): Promise<void> {
  const right = side.documents.setLocal(tenant, job, forDiff(body));
  await side.documents.fetch(tenant, job);
  // Which tenant (the local tenant is named 'local', which read as "local ↔ local") and which file.
  const where = tenant === LOCAL_NAME ? 'the local tenant' : `tenant ${tenant}`;
  await vscode.commands.executeCommand(
    'vscode.diff',
    TenantDocuments.uri(tenant, job),
    right,
    `${job}: ${where} ↔ ${basename(file.path)}`,
    { preview: true },
  );
}

export async function diffJobWithTenant(shell: Shell, arg?: unknown, jobPath?: unknown): Promise<void> {
  const side = await shell.tenants();
  const tenant = side.requireTenant();
  const local = await readLocalJob(targetUri(arg), jobPath);
  await showDiff(side, tenant, local.name, local.body, local.uri);
}

const LAYOUTS = PULL_LAYOUTS.map(({ layout, files }) => ({ label: layout, layout, description: files }));

export async function pullJob(
  shell: Shell,
  arg?: unknown,
  layoutArg?: unknown,
): Promise<vscode.Uri | undefined> {
  const side = await shell.tenants();
  const target = await targetJob(side, arg, (where) => `Pull which job from ${where}?`);
  if (!target) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('Open a folder first: a pulled job is written into the workspace');
  // The layouts this workspace already keeps jobs in come first, and a pull lands beside them.
  const existing = new Map<PullLayout, vscode.Uri>();
  for (const { layout } of PULL_LAYOUTS) {
    const [found] = await vscode.workspace.findFiles(PULL_LAYOUT_GLOBS[layout], '**/node_modules/**', 1);
    if (found) existing.set(layout, found);
  }
  const choices = [
    ...LAYOUTS.filter((l) => existing.has(l.layout)).map((l) => ({
      ...l,
      detail: `used in this workspace: ${vscode.workspace.asRelativePath(existing.get(l.layout)!)}`,
    })),
    ...LAYOUTS.filter((l) => !existing.has(l.layout)),
  ];
  const layout =
    choices.find((l) => l.label === layoutArg) ??
    (await vscode.window.showQuickPick(choices, { title: `Pull ${target.job} from ${target.tenant} as` }));
  if (!layout) return undefined;
  const remote = await readRemote(side, target.tenant, target.job);
  if (!remote) throw new Error(`${target.job} does not exist on ${target.tenant}`);
  // The same file `scanjobs pull` writes (core/job/pull-layout.ts).
  // A script pushed with markers comes back as the user wrote it (docs/logs.md "Markers").
  const main = pulledJobFile(layout.layout, target.job, jobForFile(unmarkJobLogging(remote)));
  const near = existing.get(layout.layout);
  const base = near ? vscode.Uri.file(pullBaseOf(layout.layout, near.fsPath)) : folder.uri;
  const mainUri = vscode.Uri.joinPath(base, ...main.rel.split('/'));
  const files = [{ uri: mainUri, text: main.text }];
  if (layout.label !== 'scanjob') {
    const extracted = extractScript({ path: mainUri.fsPath, text: main.text, files: nodeFileAccess });
    if (extracted.ok) {
      files[0].text = applyTextEdits(main.text, extracted.edits);
      files.push({ uri: vscode.Uri.file(extracted.file.path), text: extracted.file.text });
    }
  }
  for (const f of files) {
    const exists = await vscode.workspace.fs.stat(f.uri).then(
      () => true,
      () => false,
    );
    if (exists) {
      const ok = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(f.uri)} exists. Overwrite it?`,
        { modal: true },
        'Overwrite',
      );
      if (ok !== 'Overwrite') return undefined;
    }
  }
  for (const f of files) await vscode.workspace.fs.writeFile(f.uri, new TextEncoder().encode(f.text));
  const said = `Pulled ${target.job} from ${target.tenant} into ${files.map((f) => vscode.workspace.asRelativePath(f.uri)).join(' and ')}`;
  side.log.info(said);
  shell.notify('info', `Scan Jobs: ${said}.`);
  await vscode.window.showTextDocument(mainUri);
  return mainUri;
}

async function jobWrite(
  shell: Shell,
  arg: unknown,
  verb: string,
  act: (side: TenantSide, tenant: string, job: string) => Promise<string>,
  pick: JobPick = 'any',
): Promise<void> {
  const side = await shell.tenants();
  const why =
    verb === 'Trigger'
      ? ' (fires its schedule once through the scheduler; the run is not followed: Execute runs and follows it)'
      : '';
  const target = await targetJob(side, arg, (where) => `${verb} which job on ${where}?${why}`, pick);
  if (!target) return;
  if (!(await confirmWrite(side.tenants, target.tenant, `${verb} ${target.job}`))) return;
  const said = await act(side, target.tenant, target.job);
  side.log.info(said);
  side.model.refresh(side.model.tenantNode(target.tenant));
  shell.notify('info', `Scan Jobs: ${said}.`);
}

export async function deleteJob(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  const target = await targetJob(side, arg, (where) => `Delete which job from ${where}?`);
  if (!target) return;
  const ok = await vscode.window.showWarningMessage(
    `Delete ${target.job} from ${side.tenants.where(target.tenant)}? Its schedule stops; a pull first keeps a copy.`,
    { modal: true },
    'Delete',
  );
  if (ok !== 'Delete') return;
  if (!(await confirmWrite(side.tenants, target.tenant, `Delete ${target.job}`))) return;
  const client = await side.tenants.client(target.tenant);
  await client.jobs.delete(target.job);
  side.log.info(`Deleted ${target.job} from ${target.tenant}`);
  side.model.refresh(side.model.tenantNode(target.tenant));
  shell.notify('info', `Scan Jobs: deleted ${target.job} from ${target.tenant}.`);
}

const action = (verb: string, call: 'pause' | 'resume' | 'trigger') => (shell: Shell, arg?: unknown) =>
  jobWrite(
    shell,
    arg,
    verb,
    async (side, tenant, job) => {
      const client = await side.tenants.client(tenant);
      const ok = await client.jobs[call](job);
      if (!ok) throw new Error(`${tenant} did not ${call} ${job} (the reply said success: false)`);
      if (call === 'trigger') side.model.forgetRuns(tenant);
      return `${verb === 'Trigger' ? 'Triggered' : `${verb}d`} ${job} on ${tenant}`;
    },
    call === 'resume' ? 'paused' : call === 'pause' ? 'not-paused' : 'any',
  );

export const pauseJob = action('Pause', 'pause');
export const resumeJob = action('Resume', 'resume');
export const triggerJob = action('Trigger', 'trigger');

/** The walkthrough's second step: the documentation's sunset job, copied into the workspace. */
export async function openExampleJob(shell: Shell): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const source = vscode.Uri.file(shell.context.asAbsolutePath('examples/sunset.scanjob.json'));
  if (!folder) {
    await vscode.window.showTextDocument(source, { preview: false });
    return source;
  }
  const target = vscode.Uri.joinPath(folder.uri, 'sunset.scanjob.json');
  const exists = await vscode.workspace.fs.stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) await vscode.workspace.fs.copy(source, target);
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}
