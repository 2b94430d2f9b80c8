// Run commands: execute (palette, tree, CodeLens), cancel (tree, the progress bar, a pick of active
// runs), watch (idm-api.md §4.3, §8.2).
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../core/watch';
import type { Shell } from '../../shell';
import { confirmWrite } from '../guard';
import { readLocalJob } from '../job-source';
import { shortId } from '../run-lines';
import type { TenantSide } from '../side';
import { jobOfRun } from '../../../core/tenant';
import type { RunNode, TreeNode } from '../tree-model';
import { LOCAL_NAME } from '../local-tenant';
import { targetJob } from './jobs';

async function cancelOnTenant(side: TenantSide, tenant: string, runId: string): Promise<void> {
  try {
    if (!(await confirmWrite(side.tenants, tenant, `Cancel run ${shortId(runId)}`))) return;
    // "Cancelling…" from the click until a poll shows the tenant's final state (§4.3, §5.7: the run
    // stays ACTIVE until its workers see the cancel flag).
    await side.following.cancelRequested(tenant, runId);
    const client = await side.tenants.client(tenant);
    const result = await client.runs.cancel(runId);
    // §4.3: cancelling a completed run answers 200 with FAILURE, not an HTTP error.
    if (result.status === 'FAILURE') {
      side.following.cancelSettled(tenant, runId);
      side.log.warn(`Run ${runId} on ${tenant} had already completed: nothing to cancel`);
      side.shell.notify('warning', `Scan Jobs: run ${shortId(runId)} on ${tenant} had already completed.`);
    } else {
      side.following.sightings.cancelAccepted(tenant, runId);
      side.log.info(`Asked ${tenant} to cancel run ${runId}`);
      side.shell.notify('info', `Scan Jobs: asked ${tenant} to cancel run ${shortId(runId)}.`);
    }
  } catch (e) {
    side.following.cancelSettled(tenant, runId);
    // Also reached from a progress notification's Cancel, outside any command: reported as Cancel Run
    // of this run, which Retry asks for again.
    side.shell.reportFailure(
      {
        command: 'scanjobs.cancelRun',
        args: [{ tenant, runId }],
        tenant: { name: tenant, editable: tenant !== LOCAL_NAME },
      },
      e,
    );
  }
}

/**
 * Executes a job and follows its run. Arguments: a tree job node; a CodeLens's (uri, job path); a
 * job name; or nothing (a pick of the active tenant's scan jobs). Resolves with the run's end.
 */
export async function executeJob(
  shell: Shell,
  arg?: unknown,
  jobPath?: unknown,
): Promise<WatchEnd | undefined> {
  const side = await shell.tenants();
  let target: { tenant: string; job: string } | undefined;
  let location: 'view' | 'notification' = 'notification';
  if ((arg as TreeNode | undefined)?.kind === 'job') location = 'view';
  if (arg instanceof vscode.Uri)
    target = { tenant: side.requireTenant(), job: (await readLocalJob(arg, jobPath)).name };
  else if (typeof arg === 'string') target = { tenant: side.requireTenant(), job: arg };
  else
    target = await targetJob(
      side,
      arg,
      (where) =>
        `Execute which job on ${where}? (runs its scan now and follows the run; Trigger fires its schedule instead)`,
      'scan',
    );
  if (!target) return undefined;
  const { tenant, job } = target;
  if (!(await confirmWrite(side.tenants, tenant, `Execute ${job}`))) return undefined;
  const client = await side.tenants.client(tenant);
  const started = await client.runs.execute(job);
  if (started.note) side.log.warn(started.note);
  if (started.executedAs)
    side.log.info(
      `${tenant} found no config named '${job}', so the run was started as '${started.executedAs}' (OpenIDM executes config schedules)`,
    );
  side.log.info(`Executed ${job} on ${tenant}: run ${started.runId}`);
  side.model.forgetRuns(tenant);
  const jobNode = side.model.findJobNode(tenant, job);
  if (jobNode) side.model.refresh(jobNode);
  return side.following.follow(tenant, started.runId, job, {
    location,
    cancel: (t, id) => cancelOnTenant(side, t, id),
  });
}

async function pickActiveRun(
  side: TenantSide,
  title: (where: string) => string,
): Promise<{ tenant: string; runId: string; job: string } | undefined> {
  const tenant = side.requireTenant();
  side.model.forgetRuns(tenant);
  const runs = await side.model.activeRuns(tenant);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`Scan Jobs: no run is active on ${tenant}.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: `${jobOfRun(r) ?? '?'} ${shortId(r._id)}`,
      description: `${r.progress.state} ${r.progress.processed}/${r.progress.total}`,
      detail: r._id,
      run: r,
    })),
    { title: title(side.tenants.where(tenant)) },
  );
  return pick ? { tenant, runId: pick.run._id, job: jobOfRun(pick.run) ?? pick.run._id } : undefined;
}

/**
 * The run a command acts on: a tree run node, `{ tenant, runId }` (Retry, the end notification), or one
 * picked from the active tenant's active runs.
 */
async function targetRun(
  side: TenantSide,
  arg: unknown,
  title: (where: string) => string,
): Promise<{ tenant: string; runId: string; job: string } | undefined> {
  const node = arg as RunNode | undefined;
  if (isRunRef(arg)) {
    const client = await side.tenants.client(arg.tenant);
    const run = await client.runs.read(arg.runId);
    return { tenant: arg.tenant, runId: arg.runId, job: client.runs.jobOf(run) ?? arg.runId };
  }
  if (node?.kind !== 'run') return pickActiveRun(side, title);
  return { tenant: node.tenant, runId: node.run._id, job: node.job ?? jobOfRun(node.run) ?? node.run._id };
}

export async function cancelRun(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  const target = await targetRun(side, arg, (where) => `Cancel which run on ${where}?`);
  if (target) await cancelOnTenant(side, target.tenant, target.runId);
}

export async function watchRun(shell: Shell, arg?: unknown): Promise<WatchEnd | undefined> {
  const side = await shell.tenants();
  const target = await targetRun(side, arg, (where) => `Watch which run on ${where}?`);
  if (!target) return undefined;
  side.log.show(true);
  return side.following.follow(target.tenant, target.runId, target.job, {
    location: (arg as RunNode | undefined)?.kind === 'run' ? 'view' : 'notification',
    cancel: (t, id) => cancelOnTenant(side, t, id),
  });
}

/** A run named by a caller other than the tree: the end notification, a test, another command. */
interface RunRef {
  tenant: string;
  runId: string;
}
const isRunRef = (arg: unknown): arg is RunRef =>
  typeof (arg as RunRef | undefined)?.tenant === 'string' && typeof (arg as RunRef).runId === 'string';

/**
 * Opens a run's details (src/extension/tenant/run-details). Arguments: a tree run node, `{ tenant,
 * runId }`, a run id on the active tenant, or nothing (a pick of the active tenant's runs). Resolves
 * once the page shows what the tenant could tell.
 */
export async function openRun(shell: Shell, arg?: unknown): Promise<RunRef | undefined> {
  const side = await shell.tenants();
  const node = arg as RunNode | undefined;
  let target: (RunRef & { seed?: RunNode['run'] }) | undefined;
  if (node?.kind === 'run') target = { tenant: node.tenant, runId: node.run._id, seed: node.run };
  else if (isRunRef(arg)) target = { tenant: arg.tenant, runId: arg.runId };
  else if (typeof arg === 'string' && arg) target = { tenant: side.requireTenant(), runId: arg };
  else target = await pickRun(side);
  if (!target) return undefined;
  const view = await side.details.show(target.tenant, target.runId, target.seed);
  await view.reportLoaded;
  await view.whenShown();
  return { tenant: target.tenant, runId: target.runId };
}

async function pickRun(side: TenantSide): Promise<RunRef | undefined> {
  const tenant = side.requireTenant();
  await side.model.runs(tenant); // a tenant that cannot be read fails the command, with its reason
  const nodes = (await side.model.runsOf(tenant)).filter((n): n is RunNode => n.kind === 'run');
  if (nodes.length === 0) {
    void vscode.window.showInformationMessage(`Scan Jobs: no runs on ${tenant}.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    nodes.map((n) => ({
      label: `${jobOfRun(n.run) ?? '?'} ${shortId(n.run._id)}`,
      description: `${n.run.progress.state} ${n.run.progress.processed}/${n.run.progress.total}`,
      detail: n.run.started ?? undefined,
      runId: n.run._id,
    })),
    { title: `Open which run of ${side.tenants.where(tenant)}?` },
  );
  return pick ? { tenant, runId: pick.runId } : undefined;
}

export async function copyRunId(shell: Shell, arg?: unknown): Promise<void> {
  const node = arg as RunNode | undefined;
  const runId = node?.kind === 'run' ? node.run._id : isRunRef(arg) ? arg.runId : undefined;
  if (!runId) return;
  await vscode.env.clipboard.writeText(runId);
  vscode.window.setStatusBarMessage(`Scan Jobs: copied run id ${runId}`, 3000);
}

/**
 * Opens a job's history view: its last runs as charts of duration, throughput and failures.
 * Arguments: a tree job node, `{ tenant, job }`, or nothing (a pick of the active tenant's scan jobs).
 */
export async function showJobHistory(
  shell: Shell,
  arg?: unknown,
): Promise<{ tenant: string; job: string } | undefined> {
  const side = await shell.tenants();
  const ref = arg as { tenant?: unknown; job?: unknown } | undefined;
  const target =
    typeof ref?.tenant === 'string' && typeof ref.job === 'string'
      ? { tenant: ref.tenant, job: ref.job }
      : await targetJob(side, arg, (where) => `History of which job on ${where}?`, 'scan');
  if (!target) return undefined;
  await side.jobHistory.show(target.tenant, target.job);
  return target;
}
