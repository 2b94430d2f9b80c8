// The history view of a job: one webview panel per tenant and job, fed by core's JobHistoryView over
// the extension's run history (run-history.ts), redrawn when that history is read again (a run of
// the job ended, or the tree listed runs). Same page rules as the details view: strict CSP, no
// remote content, the theme's colours.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { jobHistoryView, type JobHistoryView } from '../../../core/run-view';
import type { TenantSide } from '../side';
import { historyBody } from './history-html';
import { detailsPage } from './html';

export class JobHistoryPanel implements vscode.Disposable {
  view: JobHistoryView | undefined;
  body = '';
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly side: TenantSide,
    readonly tenant: string,
    readonly job: string,
    readonly panel: vscode.WebviewPanel,
    private readonly onDispose: () => void,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: { type?: string; action?: string }) => {
        if (m?.type !== 'action' || typeof m.action !== 'string') return;
        if (m.action === 'refresh') void this.refresh(true);
        else if (m.action.startsWith('open:'))
          void vscode.commands.executeCommand('scanjobs.openRun', { tenant, runId: m.action.slice(5) });
      }),
      panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.load()),
      panel.onDidDispose(() => this.dispose()),
      side.history.onDidChange((t) => t === tenant && this.render()),
    );
  }

  /** Reads the history (and, with `listing`, the tenant's runs into it first) and redraws. */
  async refresh(listing = false): Promise<void> {
    if (listing) {
      try {
        const client = await this.side.tenants.client(this.tenant);
        await this.side.history.recordListing(this.tenant, await client.runs.list({ job: this.job }));
      } catch (e) {
        this.side.log.warn(`History of ${this.job}: the tenant's runs could not be read (${String(e)})`);
      }
    }
    await this.side.history.list(this.tenant);
    this.render();
  }

  private render(): void {
    if (this.disposed) return;
    void this.side.history.list(this.tenant).then((runs) => {
      if (this.disposed) return;
      this.view = jobHistoryView(this.tenant, this.job, runs);
      this.body = historyBody(this.view);
      if (this.seq === 0) this.load();
      else void this.panel.webview.postMessage({ type: 'render', html: this.body, seq: ++this.seq });
    });
  }

  private load(): void {
    if (!this.body) return;
    this.seq = Math.max(1, this.seq);
    this.panel.webview.html = detailsPage({
      nonce: randomBytes(16).toString('base64'),
      cspSource: this.panel.webview.cspSource,
      title: this.panel.title,
      body: this.body,
      seq: this.seq,
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose();
  }
}

export class JobHistoryPanels implements vscode.Disposable {
  private readonly panels = new Map<string, JobHistoryPanel>();

  constructor(private readonly side: TenantSide) {}

  async show(tenant: string, job: string): Promise<JobHistoryPanel> {
    const key = `${tenant}/${job}`;
    let view = this.panels.get(key);
    if (view) view.panel.reveal();
    else {
      const panel = vscode.window.createWebviewPanel(
        'scanjobs.jobHistory',
        `${job} history`,
        { viewColumn: vscode.ViewColumn.Active },
        { enableScripts: true, localResourceRoots: [] },
      );
      panel.iconPath = vscode.Uri.joinPath(this.side.shell.context.extensionUri, 'media', 'scanjobs.svg');
      const created = new JobHistoryPanel(this.side, tenant, job, panel, () => this.panels.delete(key));
      this.panels.set(key, created);
      view = created;
    }
    await view.refresh(true);
    return view;
  }

  list(): JobHistoryPanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }
}
