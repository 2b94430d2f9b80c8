// How each model node looks (VS Code UX guidelines for views): an icon by kind and state, a short
// label, the details in the description, and a contextValue that the menus' `when` clauses match.
import * as vscode from 'vscode';
import { describeCron } from '../../core/job';
import { duration, shortId } from './run-lines';
import { jobOfRun, jobState } from '../../core/tenant';
import {
  outcomeText,
  runDurationMs,
  runEnd,
  runOutcome,
  type RunOutcome,
  type RunSightings,
} from '../../core/run-view';
import type { HistoryRun } from '../../core/history';
import type { JobNode, RunNode, TenantNode, TreeNode } from './tree-model';

const ENV_COLOUR: Record<string, string> = {
  production: 'charts.red',
  staging: 'charts.yellow',
  development: 'charts.green',
};

// COMPLETED with failed objects gets its own icon and colour: the green check would say all went
// well (issue 14, ux/12-failed-run-green-check.png).
const OUTCOME_ICON: Record<RunOutcome, [string, string | undefined]> = {
  initialized: ['clock', 'charts.blue'],
  active: ['sync~spin', 'charts.blue'],
  cancelling: ['loading~spin', 'charts.orange'],
  completed: ['pass', 'testing.iconPassed'],
  'completed-with-failures': ['warning', 'list.warningForeground'],
  cancelled: ['circle-slash', 'charts.orange'],
  error: ['error', 'testing.iconFailed'],
};

export interface TreeItemOptions {
  /** The active tenant's name. */
  active?: string;
  /** Runs view: the job's name before the start time. */
  withJob?: boolean;
  /** What this client saw of runs: a cancel in flight, the end of a cancelled run. */
  sightings?: RunSightings;
  /** What this client kept from earlier sessions: the end it saw of a cancelled run. */
  history?: { get(tenant: string, runId: string): HistoryRun | undefined };
  now?: number;
}

export function treeItem(node: TreeNode, opts: TreeItemOptions = {}): vscode.TreeItem {
  switch (node.kind) {
    case 'tenant':
      return tenantItem(node, opts.active === node.tenant.name);
    case 'job':
      return jobItem(node);
    case 'run':
      return runItem(node, opts);
    case 'more': {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'more';
      item.command = { command: 'scanjobs.loadMore', title: 'Load more', arguments: [node] };
      return item;
    }
    case 'notice': {
      const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.error ? 'warning' : 'info');
      item.tooltip = node.message;
      item.contextValue = node.error ? 'notice.error' : 'notice';
      return item;
    }
  }
}

function tenantItem(node: TenantNode, active: boolean): vscode.TreeItem {
  const t = node.tenant;
  const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.description = `${t.environment}${active ? ' · active' : ''} · ${t.baseUrl.replace(/^https?:\/\//, '')}`;
  item.iconPath = new vscode.ThemeIcon(
    t.local ? 'server-process' : 'cloud',
    new vscode.ThemeColor(ENV_COLOUR[t.environment] ?? 'foreground'),
  );
  item.tooltip = new vscode.MarkdownString(`**${t.name}** (${t.environment})\n\n${t.baseUrl}`);
  item.contextValue = `tenant${t.local ? '.local' : ''}${active ? '.active' : ''}`;
  return item;
}

function nextRun(job: JobNode['job']): string | undefined {
  if (typeof job.nextRunDate === 'string' && job.nextRunDate) {
    const d = new Date(job.nextRunDate);
    if (!Number.isNaN(d.getTime())) return `next ${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
  return undefined;
}

function jobItem(node: JobNode): vscode.TreeItem {
  const job = node.job;
  const state = jobState(job);
  const item = new vscode.TreeItem(
    job._id,
    node.scan ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  const parts: string[] = [state];
  if (!node.scan)
    parts.unshift(
      `not a scan job (${String(job.invokeService ?? 'no invokeService').replace(/^org\.forgerock\.openidm\./, '')})`,
    );
  const next = state === 'enabled' ? nextRun(job) : undefined;
  if (next) parts.push(next);
  item.description = parts.join(' · ');
  item.iconPath = new vscode.ThemeIcon(
    node.scan ? (state === 'enabled' ? 'search' : 'debug-pause') : 'symbol-event',
    state === 'enabled' ? undefined : new vscode.ThemeColor('disabledForeground'),
  );
  const schedule = typeof job.schedule === 'string' && job.schedule ? job.schedule : undefined;
  let when = '';
  if (schedule) {
    try {
      when = ` — ${describeCron(schedule)}`;
    } catch {
      when = '';
    }
  }
  item.tooltip = new vscode.MarkdownString(
    `**${job._id}**${node.scan ? '' : ' (not a scan job)'}\n\n${schedule ? `\`${schedule}\`${when}` : 'no schedule'}`,
  );
  item.contextValue = `job.${node.scan ? 'scan' : 'other'}.${state}`;
  return item;
}

function runItem(node: RunNode, opts: TreeItemOptions): vscode.TreeItem {
  const run = node.run;
  const p = run.progress;
  const seen = opts.sightings?.get(node.tenant, run._id);
  // The end this client saw: in this session, or kept in the run history from an earlier one.
  const kept = opts.history?.get(node.tenant, run._id);
  const keptEnd = kept?.ended && kept.state === p.state ? Date.parse(kept.ended) : NaN;
  const seenEnd = seen?.endSeenAt ?? (Number.isNaN(keptEnd) ? undefined : keptEnd);
  const outcome = runOutcome(run, opts.sightings?.isCancelling(node.tenant, run._id) ?? false);
  const started = run.started ? new Date(run.started) : undefined;
  const startText =
    started && !Number.isNaN(started.getTime())
      ? started.toISOString().slice(0, 19).replace('T', ' ')
      : 'not started';
  const label = opts.withJob ? `${node.job ?? jobOfRun(run) ?? '?'} · ${startText}` : startText;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = opts.withJob ? `runs-view:${node.id}` : node.id;
  const active = p.state === 'ACTIVE' || p.state === 'INITIALIZED';
  // A CANCELLED or ERROR run never gets `ended` (idm-api.md §4.2): its duration is up to when this
  // client saw it end, when it did.
  const tookMs = active ? undefined : runDurationMs(run, seenEnd, opts.now ?? Date.now());
  item.description = [
    outcomeText(run, outcome),
    `${p.processed}/${p.total}`,
    `${p.successes} ok`,
    `${p.failures} failed`,
    ...(tookMs !== undefined ? [duration(tookMs)] : []),
  ].join(' · ');
  const [icon, colour] = OUTCOME_ICON[outcome];
  item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
  const end = active ? undefined : runEnd(run, seenEnd);
  const notes: string[] = [];
  if (outcome === 'completed-with-failures')
    notes.push(
      `${p.failures} object${p.failures === 1 ? '' : 's'} failed: open the run to see which and why`,
    );
  if (outcome === 'cancelling') notes.push('Cancel asked for; waiting for the tenant to confirm');
  if (p.state === 'COMPLETED' && p.processed < p.total)
    notes.push(`${p.total - p.processed} skipped or claimed by another run`);
  if (end?.source === 'seen')
    notes.push(
      `Ended by ${new Date(end.at).toISOString().slice(11, 19)} UTC (seen by this client: the platform records no end time for a ${p.state} run)`,
    );
  else if (!active && !end)
    notes.push(
      `No end time: the platform records none for a ${p.state} run, and this client did not see it end`,
    );
  item.tooltip = new vscode.MarkdownString(
    `Run \`${run._id}\` (${shortId(run._id)})${run.name ? ` of ${run.name}` : ''}\n\n` +
      `${p.state}: ${p.processed}/${p.total} processed, ${p.successes} succeeded, ${p.failures} failed` +
      notes.map((n) => `\n\n${n}`).join(''),
  );
  item.contextValue = active ? (outcome === 'cancelling' ? 'run.cancelling' : 'run.active') : 'run.done';
  item.command = { command: 'scanjobs.openRun', title: 'Open Run Details', arguments: [node] };
  return item;
}
