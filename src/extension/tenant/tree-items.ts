// How each model node looks (VS Code UX guidelines for views): an icon by kind and state, a short
// label, the details in the description, and a contextValue that the menus' `when` clauses match.
import * as vscode from 'vscode';
import { describeCron } from '../../core/job';
import { duration, shortId } from './run-lines';
import { jobOfRun } from '../../core/tenant';
import type { JobNode, RunNode, TenantNode, TreeNode } from './tree-model';

const ENV_COLOUR: Record<string, string> = {
  production: 'charts.red',
  staging: 'charts.yellow',
  development: 'charts.green',
};

const STATE_ICON: Record<string, [string, string | undefined]> = {
  INITIALIZED: ['clock', 'charts.blue'],
  ACTIVE: ['sync~spin', 'charts.blue'],
  COMPLETED: ['pass', 'testing.iconPassed'],
  CANCELLED: ['circle-slash', 'charts.orange'],
  ERROR: ['error', 'testing.iconFailed'],
};

export function treeItem(node: TreeNode, opts: { active?: string; withJob?: boolean } = {}): vscode.TreeItem {
  switch (node.kind) {
    case 'tenant':
      return tenantItem(node, opts.active === node.tenant.name);
    case 'job':
      return jobItem(node);
    case 'run':
      return runItem(node, opts.withJob ?? false);
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

/**
 * disabled: `enabled` false in the job; paused: its trigger is PAUSED (the scheduler's pause action,
 * idm-api.md §2.4, §3.1), which leaves `enabled` as it was.
 */
export function jobState(job: JobNode['job']): 'enabled' | 'paused' | 'disabled' {
  if (job.enabled === false || String(job.enabled) === 'false') return 'disabled';
  const paused = (job.triggers ?? []).some((t) => (t as { state?: unknown } | null)?.state === 'PAUSED');
  return paused ? 'paused' : 'enabled';
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

function runItem(node: RunNode, withJob: boolean): vscode.TreeItem {
  const run = node.run;
  const p = run.progress;
  const started = run.started ? new Date(run.started) : undefined;
  const startText =
    started && !Number.isNaN(started.getTime())
      ? started.toISOString().slice(0, 19).replace('T', ' ')
      : 'not started';
  const label = withJob ? `${jobOfRun(run) ?? '?'} · ${startText}` : startText;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = withJob ? `runs-view:${node.id}` : node.id;
  const took =
    run.started && run.ended ? duration(Date.parse(run.ended) - Date.parse(run.started)) : undefined;
  item.description = [
    p.state,
    `${p.processed}/${p.total}`,
    `${p.successes} ok`,
    `${p.failures} failed`,
    ...(took ? [took] : []),
  ].join(' · ');
  const [icon, colour] = STATE_ICON[p.state] ?? ['circle-outline', undefined];
  item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
  item.tooltip = new vscode.MarkdownString(
    `Run \`${run._id}\` (${shortId(run._id)})${run.name ? ` of ${run.name}` : ''}\n\n` +
      `${p.state}: ${p.processed}/${p.total} processed, ${p.successes} succeeded, ${p.failures} failed` +
      (p.state === 'COMPLETED' && p.processed < p.total
        ? `\n\n${p.total - p.processed} skipped or claimed by another run`
        : ''),
  );
  item.contextValue = p.state === 'ACTIVE' || p.state === 'INITIALIZED' ? 'run.active' : 'run.done';
  return item;
}
