// The Tenants and Runs views, created at activation so that VS Code finds their providers when the
// Scan Jobs container opens, without the tenant bundle (DESIGN.md "Lazy and small"): the first time
// VS Code asks what a view shows (it asks for visible views), the tenant side loads and attaches its
// providers, which answer from then on. A hidden view costs nothing.
import * as vscode from 'vscode';
import type { TreeNode } from './tenant/tree-model';

class DeferredTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private target: vscode.TreeDataProvider<TreeNode> | undefined;
  private forward: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => Promise<unknown>) {}

  attach(target: vscode.TreeDataProvider<TreeNode>): vscode.Disposable {
    this.target = target;
    this.forward = target.onDidChangeTreeData?.((e) => this.changed.fire(e));
    // Whatever VS Code asked before the provider was attached is asked again.
    this.changed.fire(undefined);
    return { dispose: () => this.forward?.dispose() };
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!this.target) await this.load();
    return (await this.target?.getChildren(node)) ?? [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // Every node came from the attached provider's getChildren.
    if (!this.target) throw new Error('the tenant views are not ready');
    return this.target.getTreeItem(node);
  }

  dispose(): void {
    this.forward?.dispose();
    this.changed.dispose();
  }
}

export interface DeferredView {
  readonly view: vscode.TreeView<TreeNode>;
  /** Hands the view to the tenant side's provider. */
  attach(provider: vscode.TreeDataProvider<TreeNode>): vscode.Disposable;
}

export interface TenantViews {
  tenants: DeferredView;
  runs: DeferredView;
}

/** Creates both views; `load` starts the tenant side, which attaches their providers. */
export function createTenantViews(
  load: () => Promise<unknown>,
  subscriptions: vscode.Disposable[],
): TenantViews {
  const make = (id: string, options: { showCollapseAll?: boolean }): DeferredView => {
    const tree = new DeferredTree(load);
    const view = vscode.window.createTreeView(id, { treeDataProvider: tree, ...options });
    subscriptions.push(tree, view);
    return { view, attach: (provider) => tree.attach(provider) };
  };
  return {
    tenants: make('scanjobs.tenants', { showCollapseAll: true }),
    runs: make('scanjobs.runs', {}),
  };
}
