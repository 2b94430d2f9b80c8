// The tenant side of the extension, started by Shell.tenants() when first needed (a tenant view shown,
// a tenant command, filter completion with a connected tenant): settings and secrets, the local
// tenant process, the tree model and its views, run following, and two status-bar items. Starting it
// sends no request; requests begin when a view is expanded or a command runs.
import * as vscode from 'vscode';
import { NoTenantError } from '../errors';
import type { Shell } from '../shell';
import { inspectionOf, type TenantInspection } from './inspect';
import { LOCAL_NAME, LocalTenant } from './local-tenant';
import { RunFollowing } from './run-follow';
import { RunDetailsPanels } from './run-details/panel';
import { JobHistoryPanels } from './run-details/history-panel';
import { RunHistory } from './run-history';
import { TenantDocuments } from './tenant-documents';
import { TenantStore } from './tenant-store';
import { Tenants } from './tenants';
import { TenantLogs } from './tenant-logs';
import { createViews } from './tree-provider';
import { TenantTreeModel } from './tree-model';

export class TenantSide implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly store: TenantStore;
  readonly local: LocalTenant;
  readonly tenants: Tenants;
  readonly model: TenantTreeModel;
  readonly following: RunFollowing;
  /** Log API keys, script log lines and the run history of each tenant (docs/logs.md). */
  readonly logs: TenantLogs;
  readonly documents: TenantDocuments;
  readonly details: RunDetailsPanels;
  readonly history: RunHistory;
  readonly jobHistory: JobHistoryPanels;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly tenantStatus: vscode.StatusBarItem;
  /** Tenants whose last read failed, with why: the status item says so for the active one. */
  private readonly unreachable = new Map<string, string>();

  constructor(readonly shell: Shell) {
    const context = shell.context;
    this.log = shell.log;
    this.store = new TenantStore(context.secrets);
    this.local = new LocalTenant(
      context.asAbsolutePath('dist/emulator-host.js'),
      vscode.Uri.joinPath(context.globalStorageUri, 'local-tenant'),
      this.log,
    );
    this.tenants = new Tenants(shell, this.store, this.local, this.log);
    this.history = new RunHistory((name) => this.logs.history(name), this.log);
    this.model = new TenantTreeModel(
      () => this.tenants.entries(),
      (name) => this.tenants.client(name),
      {
        onReach: (tenant, failure) => {
          if (this.unreachable.get(tenant) === failure) return;
          if (failure === undefined) this.unreachable.delete(tenant);
          else this.unreachable.set(tenant, failure);
          this.updateStatus();
        },
      },
    );
    this.logs = new TenantLogs(this.tenants, context.secrets, context.globalStorageUri, this.log);
    this.following = new RunFollowing(
      this.tenants,
      this.model,
      this.log,
      this.logs,
      (level, text, actions) => shell.noteShown(level, text, actions),
      (run, e) => shell.reportFailure(run, e),
    );
    this.documents = new TenantDocuments(this.tenants);
    this.details = new RunDetailsPanels(this);
    this.jobHistory = new JobHistoryPanels(this);

    // One status item: the active tenant (and the local tenant's port while it runs); a click opens
    // a menu of actions, so nothing is stopped by a single click.
    this.tenantStatus = vscode.window.createStatusBarItem(
      'scanjobs.activeTenant',
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.tenantStatus.name = 'Scan Jobs: Tenants';
    this.tenantStatus.command = 'scanjobs.tenantMenu';

    this.disposables.push(
      this.tenants,
      this.local,
      this.following,
      this.details,
      this.jobHistory,
      this.history,
      this.tenantStatus,
      ...createViews(shell.views, this.model, this.tenants, this.following, this.history),
      vscode.workspace.registerTextDocumentContentProvider(TenantDocuments.scheme, this.documents),
      this.tenants.onDidChange(() => this.updateStatus()),
      this.history.onDidChange((tenant) => this.model.touchRuns(tenant)),
    );
  }

  async start(): Promise<this> {
    await this.tenants.reload();
    this.updateStatus();
    return this;
  }

  private updateStatus(): void {
    const active = this.tenants.active;
    const entry = active ? this.tenants.entry(active) : undefined;
    const port = this.local.url ? new URL(this.local.url).port : undefined;
    const local = port ? ` · $(server-process) Local tenant :${port}` : '';
    const localTip = this.local.url ? `\nThe local tenant runs at ${this.local.url}.` : '';
    const failure = active ? this.unreachable.get(active) : undefined;
    if (entry && failure !== undefined) {
      this.tenantStatus.text = `$(warning) ${entry.name} unreachable${entry.local ? '' : local}`;
      this.tenantStatus.tooltip = `Scan Jobs: the active tenant ${entry.name} (${entry.baseUrl}) did not answer: ${failure}${localTip}\nClick for tenant actions (Test Connection, switch tenant).`;
      this.tenantStatus.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.tenantStatus.show();
    } else if (entry) {
      const icon = entry.local ? 'server-process' : 'cloud';
      this.tenantStatus.text = entry.local
        ? `$(${icon}) Local tenant :${port}`
        : `$(${icon}) ${entry.name}${local}`;
      this.tenantStatus.tooltip = `Scan Jobs: active tenant ${entry.name} (${entry.environment}, ${entry.baseUrl}).${localTip}\nClick for tenant actions.`;
      this.tenantStatus.backgroundColor =
        entry.environment === 'production'
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : undefined;
      this.tenantStatus.show();
    } else if (this.tenants.entries().length > 0) {
      this.tenantStatus.text = `$(cloud) Select tenant${local}`;
      this.tenantStatus.tooltip = `Scan Jobs: no active tenant.${localTip}\nClick for tenant actions.`;
      this.tenantStatus.backgroundColor = undefined;
      this.tenantStatus.show();
    } else this.tenantStatus.hide();
  }

  /** What the status item shows, for the tests. */
  statusText(): string | undefined {
    return this.tenantStatus.text || undefined;
  }

  /** The tenant a command acts on: the node's, else the active one; says what to do when none. */
  requireTenant(name?: string): string {
    const tenant = name ?? this.tenants.active;
    if (!tenant) throw new NoTenantError();
    return tenant;
  }

  inspection(): TenantInspection {
    return inspectionOf(this);
  }

  get localName(): string {
    return LOCAL_NAME;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
