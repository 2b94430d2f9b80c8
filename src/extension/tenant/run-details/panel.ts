// The run details view: one webview panel per run (opened again, it is revealed), fed by core's
// RunDetails and rendered by html.ts. While the run is active it follows it (one shared watcher per
// run) and redraws at most every 300 ms; the page has a strict Content-Security-Policy (a nonce for
// its one script and style, nothing remote) and takes every colour from the editor's theme.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  MAX_FILTER_LENGTH,
  localReportSource,
  remoteReportSource,
  runDetails,
  type RunDetails,
  type RunReport,
  type RunReportHandle,
} from '../../../core/run-view';
import type { RunRecord } from '../../../core/tenant';
import type { TenantSide } from '../side';
import { TenantDocuments } from '../tenant-documents';
import type { JobNode, RunNode } from '../tree-model';
import {
  NO_FILTERS,
  detailsBody,
  detailsPage,
  type DetailsFilters,
  type DetailsPages,
  type PagedPart,
} from './html';

/**
 * How long the page's first HTML waits for the tenant's report. VS Code loads the webview's own frame
 * meanwhile (200 ms and more), so a report read in that time is in the first page painted, with no
 * second render; a slower tenant gets the page without it first, then the report.
 */
const FIRST_PAGE_WAIT_MS = 150;

/** How often an active run's page is redrawn when nothing else changes (its duration, its rate). */
const CLOCK_MS = 5000;

const LOADING: RunReport = {
  failures: { state: 'loading', message: 'Reading what the tenant can tell…' },
  log: { state: 'loading', message: 'Reading the log lines…' },
};

export class RunDetailsPanel implements vscode.Disposable {
  readonly key: string;
  details: RunDetails;
  /** The page's HTML body as last sent. */
  body = '';
  /** Which page of the failed objects and of the log lines the view shows. */
  pages: DetailsPages = { failures: 0, log: 0 };
  /** What each list is filtered by, as typed in its filter box. */
  filters: DetailsFilters = NO_FILTERS;
  private run: RunRecord;
  private report: RunReport = LOADING;
  private seq = 0;
  private renderedSeq = -1;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** While the run is active: redraws now and then so its duration and rate move on even when its counts do not. */
  private clock: ReturnType<typeof setInterval> | undefined;
  private handle: RunReportHandle | undefined;
  /** Reads of the report started (a key change starts another); only the latest one's answers count. */
  private reads = 0;
  private stopFollow: (() => void) | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Whether the page's HTML has been set; until then a redraw only updates `body`. */
  private loaded = false;
  private visible = true;
  private firstPageTimer: ReturnType<typeof setTimeout> | undefined;
  /** The latest read of the report has given its first answer. */
  reportLoaded: Promise<void>;

  constructor(
    private readonly side: TenantSide,
    readonly tenant: string,
    run: RunRecord,
    readonly panel: vscode.WebviewPanel,
    private readonly onDispose: () => void,
  ) {
    this.key = `${tenant}/${run._id}`;
    this.run = run;
    this.details = this.build();
    this.body = detailsBody(this.details, this.pages, this.filters);
    this.firstPageTimer = setTimeout(() => this.load(), FIRST_PAGE_WAIT_MS);
    this.disposables.push(
      // A hidden webview is discarded and rebuilt from `html` when shown again: give it the latest.
      // Only on the way back from hidden (not when it merely becomes active), and only once loaded.
      panel.onDidChangeViewState((e) => {
        const visible = e.webviewPanel.visible;
        if (visible && !this.visible && this.loaded) this.load();
        this.visible = visible;
      }),
      panel.webview.onDidReceiveMessage(
        (m: {
          type?: string;
          seq?: number;
          action?: string;
          part?: string;
          from?: number;
          text?: unknown;
        }) => {
          if (m?.type === 'rendered' && typeof m.seq === 'number') this.rendered(m.seq);
          else if (m?.type === 'action' && typeof m.action === 'string') void this.act(m.action);
          else if (m?.type === 'page' && isPagedPart(m.part) && Number.isFinite(m.from))
            this.showPage(m.part, m.from as number);
          else if (m?.type === 'filter' && isPagedPart(m.part) && typeof m.text === 'string')
            void this.filter(m.part, m.text);
        },
      ),
      panel.onDidDispose(() => this.dispose()),
      side.following.sightings.onDidChange((t, id) => {
        if (t !== tenant || id !== this.run._id) return;
        const seen = side.following.sightings.get(t, id)?.run;
        if (seen) this.run = seen;
        this.handle?.refresh(this.run);
        this.schedule();
      }),
    );
    this.reportLoaded = this.readReport();
    this.clock = setInterval(() => {
      const state = this.run.progress.state;
      if (state !== 'ACTIVE' && state !== 'INITIALIZED') {
        clearInterval(this.clock);
        this.clock = undefined;
      } else if (this.panel.visible) this.schedule();
    }, CLOCK_MS);
    // A log key set or removed (the page's Set Log API Key, or the palette): read the lines again.
    this.disposables.push(
      side.logs.onDidChangeKey((t) => {
        // Fired once the key is stored; the tenant's log client is made again with it.
        if (t !== tenant || this.disposed) return;
        this.handle?.stop();
        this.report = LOADING;
        this.redraw();
        this.reportLoaded = this.readReport();
      }),
    );
    if (this.details.active)
      void side.following.observe(tenant, run._id).then(
        (stop) => (this.disposed ? stop() : (this.stopFollow = stop)),
        () => undefined,
      );
  }

  /** Starts reading what the tenant can tell (failed objects, log lines); resolves at its first answer. */
  private readReport(): Promise<void> {
    const side = this.side;
    const tenant = this.tenant;
    return side.tenants.client(tenant).then(
      async (c) => {
        // The local tenant's own run log names failed objects; others: the log API on the shared tail.
        const source = side.tenants.entry(tenant)?.local
          ? localReportSource(c)
          : remoteReportSource((window, listener) => side.logs.followRun(tenant, window, listener), {
              noLogApi: (await side.logs.client(tenant)).noLogApi,
              job: this.details.job,
            });
        const generation = ++this.reads;
        const handle = source.report(this.run, (r) => {
          if (generation !== this.reads) return; // an earlier read, replaced after a key change
          this.report = r;
          this.schedule();
        });
        this.handle = handle;
        const first = await handle.first;
        if (generation !== this.reads) return;
        this.report = first;
        this.redraw();
      },
      (e: unknown) => {
        const message = `Could not reach ${tenant}: ${e instanceof Error ? e.message : String(e)}`;
        this.report = {
          failures: { state: 'unavailable', message },
          log: { state: 'unavailable', message },
        };
        this.redraw();
      },
    );
  }

  /** The whole page with the current body (a fresh nonce each time). */
  private load(): void {
    if (this.disposed) return;
    clearTimeout(this.firstPageTimer);
    this.loaded = true;
    this.renderedSeq = this.seq - 1;
    this.panel.webview.html = detailsPage({
      nonce: randomBytes(16).toString('base64'),
      cspSource: this.panel.webview.cspSource,
      title: this.panel.title,
      body: this.body,
      seq: this.seq,
    });
  }

  private build(): RunDetails {
    const sightings = this.side.following.sightings;
    return runDetails({
      tenant: this.tenant,
      run: this.run,
      sighting: sightings.get(this.tenant, this.run._id),
      history: this.side.history.get(this.tenant, this.run._id),
      failures: this.report.failures,
      log: this.report.log,
      now: Date.now(),
    });
  }

  /** Redraws soon, at most every 300 ms while updates keep coming. */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.redraw();
    }, 300);
  }

  /** Draws the page of `part` that holds item `from` now, and brings that list into view. */
  showPage(part: PagedPart, from: number): Promise<void> {
    this.pages = { ...this.pages, [part]: Math.max(0, Math.floor(from)) };
    this.redraw(part);
    return this.whenShown();
  }

  /**
   * Shows only the items of `part` whose text holds `text` (ignoring case; '' shows all), from the
   * first page of those; the page's filter box sends it as the user types.
   */
  filter(part: PagedPart, text: string): Promise<void> {
    const query = text.slice(0, MAX_FILTER_LENGTH);
    if (query !== this.filters[part]) {
      this.filters = { ...this.filters, [part]: query };
      this.pages = { ...this.pages, [part]: 0 };
      this.redraw();
    }
    return this.whenShown();
  }

  private redraw(reveal?: PagedPart): void {
    if (this.disposed) return;
    this.details = this.build();
    const body = detailsBody(this.details, this.pages, this.filters);
    // The same body again (a report read twice, a poll that changed nothing): the page has it.
    if (body === this.body && !reveal && this.loaded) return;
    this.body = body;
    // The first page not set yet (waiting for the report): set it now, with this body.
    if (!this.loaded) return this.load();
    void this.panel.webview.postMessage({ type: 'render', html: body, seq: ++this.seq, reveal });
  }

  /** Resolves once the page has shown the latest body sent (its script says so). */
  whenShown(): Promise<void> {
    const seq = this.seq;
    if (this.renderedSeq >= seq || !this.panel.visible) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  private rendered(seq: number): void {
    this.renderedSeq = Math.max(this.renderedSeq, seq);
    const ready = this.waiters.filter((w) => w.seq <= this.renderedSeq);
    this.waiters = this.waiters.filter((w) => w.seq > this.renderedSeq);
    for (const w of ready) w.resolve();
  }

  /**
   * A button of the page (the webview's `action` message, or the tests' inspection, which sends the
   * same name). Resolves with what the command gave: Run Again's run end, Open Job's editor.
   */
  async act(action: string): Promise<unknown> {
    const d = this.details;
    switch (action) {
      case 'copyRunId':
        await vscode.env.clipboard.writeText(d.runId);
        vscode.window.setStatusBarMessage(`Scan Jobs: copied run id ${d.runId}`, 3000);
        return d.runId;
      case 'cancel': {
        const node: RunNode = {
          kind: 'run',
          id: `run:${d.tenant}:${d.runId}`,
          tenant: d.tenant,
          run: this.run,
        };
        return vscode.commands.executeCommand('scanjobs.cancelRun', node);
      }
      case 'runAgain':
        // The job node names the run's tenant: the new run starts there, whichever tenant is active,
        // through Execute Job and its production confirmation (guard.ts), as every run action does.
        return d.job
          ? vscode.commands.executeCommand('scanjobs.executeJob', jobNode(d.tenant, d.job))
          : undefined;
      case 'openJob':
        return d.job ? openJob(d.tenant, d.job) : undefined;
      case 'setLogKey':
        // The key's change event (constructor) reads the lines again once it is stored.
        return vscode.commands.executeCommand('scanjobs.setLogApiKey', d.tenant);
      case 'history':
        return d.job
          ? vscode.commands.executeCommand('scanjobs.showJobHistory', jobNode(d.tenant, d.job))
          : undefined;
    }
    return undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.clock);
    clearTimeout(this.firstPageTimer);
    this.handle?.stop();
    this.stopFollow?.();
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const w of this.waiters.splice(0)) w.resolve();
    this.onDispose();
  }
}

const isPagedPart = (p: unknown): p is PagedPart => p === 'failures' || p === 'log';

/** A job node as the tree would pass it, so Run Again and Job History act on the run's tenant. */
function jobNode(tenant: string, job: string): JobNode {
  return { kind: 'job', id: `job:${tenant}:${job}`, tenant, job: { _id: job }, scan: true };
}

/** The job's file in the workspace when one is found by name, else the tenant's copy (read-only). */
async function openJob(tenant: string, job: string): Promise<vscode.TextEditor> {
  if (/^[A-Za-z0-9._-]+$/.test(job)) {
    const found = await vscode.workspace.findFiles(
      `{**/${job}.scanjob.json,**/schedule-${job}.json,**/${job}.idm.json,**/schedules/${job}/${job}.json}`,
      '**/node_modules/**',
      1,
    );
    if (found[0]) return vscode.window.showTextDocument(found[0], { preview: false });
  }
  return vscode.window.showTextDocument(TenantDocuments.uri(tenant, job), { preview: false });
}

export class RunDetailsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, RunDetailsPanel>();

  constructor(private readonly side: TenantSide) {}

  /** Opens (or reveals) a run's details; `seed` is the record the caller already has. */
  async show(tenant: string, runId: string, seed?: RunRecord): Promise<RunDetailsPanel> {
    const existing = this.panels.get(`${tenant}/${runId}`);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const run =
      seed ??
      this.seenFinished(tenant, runId) ??
      (await (await this.side.tenants.client(tenant)).runs.read(runId));
    const job = run.name?.replace(/^schedule\//, '');
    const panel = vscode.window.createWebviewPanel(
      'scanjobs.runDetails',
      `${job ?? 'Run'} ${runId.replace(/^.*-(\d+)$/, '#$1')}`,
      { viewColumn: vscode.ViewColumn.Active },
      // No local resources at all: the page is one document with its style and script inline.
      { enableScripts: true, localResourceRoots: [], enableFindWidget: true },
    );
    panel.iconPath = vscode.Uri.joinPath(this.side.shell.context.extensionUri, 'media', 'scanjobs.svg');
    const view = new RunDetailsPanel(this.side, tenant, run, panel, () => this.panels.delete(view.key));
    this.panels.set(view.key, view);
    return view;
  }

  /**
   * The record of a run this client saw COMPLETED or ERROR: those states are final and the record no
   * longer changes (idm-api.md §4.2), so the view opens without reading it again (a CANCELLED run may
   * still become ACTIVE and then COMPLETED when it was cancelled before it started: it is read).
   */
  private seenFinished(tenant: string, runId: string): RunRecord | undefined {
    const run = this.side.following.sightings.get(tenant, runId)?.run;
    const state = run?.progress.state;
    return state === 'COMPLETED' || state === 'ERROR' ? run : undefined;
  }

  list(): RunDetailsPanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }
}
