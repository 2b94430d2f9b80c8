// A read-only view of the tenant side for the in-editor tests (the extension's exported API): what
// the views show, which context keys hold, whether a secret exists. It never returns a secret.
import type * as vscode from 'vscode';
import type { JobHistoryView, RunDetails, RunSighting } from '../../core/run-view';
import type { ScriptLine } from '../../core/logs/types';
import type { HistoryRun } from '../../core/history';
import type { TenantSide } from './side';
import { treeItem } from './tree-items';
import type { TreeNode } from './tree-model';

export interface ShownItem {
  node: TreeNode;
  label: string;
  description: string;
  contextValue: string;
  icon: string | undefined;
}

export interface TenantInspection {
  hasSecret(tenant: string): Promise<boolean>;
  /** The Tenants view's children of a node (the roots without one), as TreeItems show them. */
  tenantsView(node?: TreeNode): Promise<ShownItem[]>;
  /** The Runs view's items for the active tenant. */
  runsView(): Promise<ShownItem[]>;
  contextKey(
    key: 'scanjobs.tenantConnected' | 'scanjobs.hasTenants' | 'scanjobs.localTenantRunning',
  ): boolean;
  activeTenant(): string | undefined;
  /** The Scan Jobs status item's text, as the status bar shows it (undefined while hidden). */
  statusText(): string | undefined;
  /** What this client saw of a run (samples, the end it saw, a cancel in flight). */
  sighting(tenant: string, runId: string): RunSighting | undefined;
  /** The open run details views: their run, the model they show and the HTML body sent. */
  detailsViews(): { tenant: string; runId: string; details: RunDetails; body: string }[];
  /**
   * Presses a button of an open run details view, as its page's message does (`runAgain`, `openJob`,
   * `cancel`, `copyRunId`, `history`); resolves with the command's result.
   */
  detailsAction(tenant: string, runId: string, action: string): Promise<unknown>;
  /** The open job history views: their job and the model they show. */
  historyViews(): { tenant: string; job: string; view: JobHistoryView | undefined; body: string }[];
  /** Runs being polled now, across tenants. */
  polling(): number;
  /** The script log lines this window saw of a followed run (docs/logs.md). */
  runLines(tenant: string, runId: string): readonly ScriptLine[];
  /** The tenant's local run history (docs/logs.md "History"), and the file it lives in. */
  history(tenant: string): Promise<{ file: string; runs: HistoryRun[] }>;
  /** Whether a log API key for the tenant is in SecretStorage (never the key). */
  hasLogKey(tenant: string): Promise<boolean>;
  /** Where the extension's log files (the output channel's among them) are written. */
  logFolder: vscode.Uri;
  /** The extension's global storage (the local tenant's data lives in `local-tenant/` there). */
  storage: vscode.Uri;
}

function shown(node: TreeNode, item: vscode.TreeItem): ShownItem {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const icon =
    item.iconPath && typeof item.iconPath === 'object' && 'id' in item.iconPath
      ? String(item.iconPath.id)
      : undefined;
  return {
    node,
    label,
    description: String(item.description ?? ''),
    contextValue: item.contextValue ?? '',
    icon,
  };
}

export function inspectionOf(side: TenantSide): TenantInspection {
  return {
    hasSecret: async (tenant) => (await side.store.secret(tenant)) !== undefined,
    tenantsView: async (node) => {
      const kids = await side.model.children(node);
      return kids.map((n) =>
        shown(
          n,
          treeItem(n, {
            active: side.tenants.active,
            sightings: side.following.sightings,
            history: side.history,
          }),
        ),
      );
    },
    runsView: async () => {
      const active = side.tenants.active;
      if (!active) return [];
      const kids = await side.model.runsOf(active);
      return kids.map((n) =>
        shown(n, treeItem(n, { withJob: true, sightings: side.following.sightings, history: side.history })),
      );
    },
    contextKey: (key) => side.shell.keys.get(key),
    activeTenant: () => side.tenants.active,
    statusText: () => side.statusText(),
    sighting: (tenant, runId) => side.following.sightings.get(tenant, runId),
    detailsViews: () =>
      side.details
        .list()
        .map((v) => ({ tenant: v.tenant, runId: v.details.runId, details: v.details, body: v.body })),
    detailsAction: async (tenant, runId, action) => {
      const view = side.details.list().find((v) => v.tenant === tenant && v.details.runId === runId);
      if (!view) throw new Error(`no run details view of ${runId} on ${tenant} is open`);
      return view.act(action);
    },
    historyViews: () =>
      side.jobHistory.list().map((v) => ({ tenant: v.tenant, job: v.job, view: v.view, body: v.body })),
    polling: () => side.following.polling,
    runLines: (tenant, runId) => side.following.linesOf(tenant, runId),
    history: async (tenant) => {
      const h = side.logs.history(tenant);
      return { file: h.path, runs: await h.list() };
    },
    hasLogKey: async (tenant) => (await side.logs.key(tenant)) !== undefined,
    logFolder: side.shell.context.logUri,
    storage: side.shell.context.globalStorageUri,
  };
}
