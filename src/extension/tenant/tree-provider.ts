// The two views over the tree model: Tenants (tenant → jobs → runs) and Runs (the active tenant's
// runs across jobs). They map nodes to TreeItems and pass the model's per-node changes on; while a
// view shows active runs it keeps them fresh, and it stops as soon as both views are hidden
// (getChildren may run for a hidden view, microsoft/vscode #39340, so visibility is checked here).
import * as vscode from 'vscode';
import type { TenantViews } from '../tenant-views';
import type { RunFollowing } from './run-follow';
import type { RunHistory } from './run-history';
import type { Tenants } from './tenants';
import { treeItem } from './tree-items';
import type { RunNode, TenantTreeModel, TreeNode } from './tree-model';

const isActiveRun = (n: TreeNode): n is RunNode =>
  n.kind === 'run' && (n.run.progress.state === 'ACTIVE' || n.run.progress.state === 'INITIALIZED');

abstract class ModelView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  protected readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  protected readonly disposables: vscode.Disposable[] = [this.emitter];
  view: vscode.TreeView<TreeNode> | undefined;

  constructor(
    protected readonly model: TenantTreeModel,
    protected readonly tenants: Tenants,
    protected readonly following: RunFollowing,
    protected readonly history?: RunHistory,
  ) {}

  abstract getTreeItem(node: TreeNode): vscode.TreeItem;
  protected abstract children(node: TreeNode | undefined): Promise<TreeNode[]>;

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const kids = await this.children(node);
    const runs = kids.filter((n): n is RunNode => n.kind === 'run');
    // Every run the views show is kept in the local history (docs/logs.md "History").
    if (runs.length)
      this.following.keep(
        runs[0].tenant,
        runs.map((n) => n.run),
      );
    const active = kids.filter(isActiveRun);
    if (active.length && this.view?.visible)
      await this.following
        .watchVisible(
          active[0].tenant,
          active.map((n) => n.run),
        )
        .catch(() => undefined);
    return kids;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export class TenantsView extends ModelView {
  constructor(model: TenantTreeModel, tenants: Tenants, following: RunFollowing, history?: RunHistory) {
    super(model, tenants, following, history);
    this.disposables.push(
      model.onDidChange((node) => this.emitter.fire(node)),
      tenants.onDidChange(() => this.emitter.fire(undefined)),
    );
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node, {
      active: this.tenants.active,
      sightings: this.following.sightings,
      history: this.history,
    });
  }

  protected children(node: TreeNode | undefined): Promise<TreeNode[]> {
    return this.model.children(node);
  }
}

export class RunsView extends ModelView {
  constructor(model: TenantTreeModel, tenants: Tenants, following: RunFollowing, history?: RunHistory) {
    super(model, tenants, following, history);
    // The Runs view is one flat list from the same cache: any run change redraws it without a request.
    this.disposables.push(
      model.onDidChange((node) => {
        if (!node || node.kind !== 'tenant' || node.tenant.name === tenants.active)
          this.emitter.fire(undefined);
      }),
      tenants.onDidChange(() => this.emitter.fire(undefined)),
    );
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node, {
      withJob: true,
      sightings: this.following.sightings,
      history: this.history,
    });
  }

  protected async children(node: TreeNode | undefined): Promise<TreeNode[]> {
    const active = this.tenants.active;
    if (node || !active) return [];
    if (this.view) this.view.description = active;
    return this.model.runsOf(active);
  }
}

/**
 * Attaches both providers to the views the shell created at activation (../tenant-views.ts); polling
 * for visible runs stops once neither is visible.
 */
export function createViews(
  views: TenantViews,
  model: TenantTreeModel,
  tenants: Tenants,
  following: RunFollowing,
  history?: RunHistory,
): vscode.Disposable[] {
  const tenantsView = new TenantsView(model, tenants, following, history);
  const runsView = new RunsView(model, tenants, following, history);
  tenantsView.view = views.tenants.view;
  runsView.view = views.runs.view;
  const onVisibility = () => {
    if (!views.tenants.view.visible && !views.runs.view.visible) following.stopVisible();
  };
  return [
    tenantsView,
    runsView,
    views.tenants.attach(tenantsView),
    views.runs.attach(runsView),
    views.tenants.view.onDidChangeVisibility(onVisibility),
    views.runs.view.onDidChangeVisibility(onVisibility),
  ];
}
