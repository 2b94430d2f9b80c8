// Following runs: one core RunWatchHub per tenant (one request per poll however many listeners), and
// the renderings of a followed run: output lines, a progress bar with Cancel, the tree node, and a
// notification at the end. Polling happens only while a run is INITIALIZED or ACTIVE and something
// listens (DESIGN.md "Poll with discipline"); the watcher stops at the final state.
import * as vscode from 'vscode';
import { FINAL_STATES, type RunRecord } from '../../core/tenant';
import { RunSightings } from '../../core/run-view';
import { RunWatchHub, type WatchEnd, type WatchEvent } from '../../core/watch';
import { LOCAL_NAME } from './local-tenant';
import { RunLines, percent } from './run-lines';
import type { Tenants } from './tenants';
import type { TenantTreeModel } from './tree-model';

export interface FollowOptions {
  /** Where the progress bar goes: the view the run was started from, or a notification. */
  location: 'view' | 'notification';
  /** The progress bar's Cancel asks the tenant to cancel the run. */
  cancel: (tenant: string, runId: string) => Promise<void>;
}

interface Followed {
  done: Promise<WatchEnd>;
  stop: () => void;
}

export class RunFollowing implements vscode.Disposable {
  private hubs = new Map<string, RunWatchHub>();
  /** Runs followed for the output channel (once each, whoever asks again). */
  private followed = new Map<string, Followed>();
  /** Quiet follows that only keep the visible tree fresh, stopped when the tree hides. */
  private treeFollows = new Map<string, () => void>();
  /** What this client saw of the runs it followed (progress over time, ends, cancels in flight). */
  readonly sightings = new RunSightings();
  private readonly sightingsChange: { dispose(): void };

  constructor(
    private readonly tenants: Tenants,
    private readonly model: TenantTreeModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.sightingsChange = this.sightings.onDidChange((tenant, runId) => model.touchRun(tenant, runId));
  }

  private async hub(tenant: string): Promise<RunWatchHub> {
    let hub = this.hubs.get(tenant);
    if (!hub) {
      const client = await this.tenants.client(tenant);
      hub = new RunWatchHub(client.runs);
      this.hubs.set(tenant, hub);
    }
    return hub;
  }

  /** How many runs are polled now, across tenants (zero when idle). */
  get polling(): number {
    let n = 0;
    for (const hub of this.hubs.values()) n += hub.size;
    return n;
  }

  /** Follows a run in the output channel, the tree and a progress bar until it ends. */
  async follow(tenant: string, runId: string, job: string, options: FollowOptions): Promise<WatchEnd> {
    const key = `${tenant}/${runId}`;
    const existing = this.followed.get(key);
    if (existing) {
      this.log.show(true);
      return existing.done;
    }
    const hub = await this.hub(tenant);
    const lines = new RunLines(job, this.log);
    const toTree = (event: WatchEvent) => {
      if (event.type === 'state' || event.type === 'progress' || event.type === 'final')
        void this.model.updateRun(tenant, event.run);
    };
    const seen = this.sightings.listener(tenant);
    const watch = hub.follow(runId, (event) => {
      seen(event);
      lines.listener(event);
      toTree(event);
    });
    this.followed.set(key, watch);
    this.log.info(`Following run ${runId} of ${job} on ${tenant}`);
    void this.progressBar(tenant, runId, job, hub, options);
    const end = await watch.done;
    watch.stop();
    this.followed.delete(key);
    if (tenant === LOCAL_NAME) await this.writeScriptLog(runId, job);
    void this.announce(tenant, job, end);
    return end;
  }

  private progressBar(
    tenant: string,
    runId: string,
    job: string,
    hub: RunWatchHub,
    options: FollowOptions,
  ): Thenable<void> {
    return vscode.window.withProgress(
      {
        location:
          options.location === 'view' ? { viewId: 'scanjobs.tenants' } : vscode.ProgressLocation.Notification,
        title: `${job} on ${tenant}`,
        cancellable: true,
      },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          const watch = hub.follow(runId, (event) => {
            if (event.type === 'state' || event.type === 'progress') {
              const pct = percent(event.run.progress);
              const p = event.run.progress;
              progress.report({
                increment: Math.max(0, pct - reported),
                message: `${p.state} ${p.processed}/${p.total} (${pct}%)`,
              });
              reported = Math.max(reported, pct);
            }
          });
          void watch.done.then(() => resolve());
          token.onCancellationRequested(() => {
            watch.stop();
            resolve();
            void options.cancel(tenant, runId);
          });
        }),
    );
  }

  private async announce(tenant: string, job: string, end: WatchEnd): Promise<void> {
    if (end.type === 'stopped') {
      if (end.reason !== 'aborted') void vscode.window.showErrorMessage(`Scan Jobs: ${end.message}`);
      return;
    }
    const p = end.run.progress;
    const text = `${job} on ${tenant}: ${p.state}, ${p.processed}/${p.total} processed, ${p.failures} failed`;
    const show =
      p.state === 'COMPLETED' && p.failures === 0
        ? vscode.window.showInformationMessage(text, 'Show Runs')
        : vscode.window.showWarningMessage(text, 'Show Runs', 'Show Output');
    const choice = await show;
    if (choice === 'Show Runs') await vscode.commands.executeCommand('scanjobs.runs.focus');
    if (choice === 'Show Output') this.log.show(true);
  }

  /** The emulator keeps each run's scanner notes and script logger lines (emulator-only route). */
  private async writeScriptLog(runId: string, job: string): Promise<void> {
    try {
      const client = await this.tenants.client(LOCAL_NAME);
      const reply = await client.http.request<{
        entries?: { level: string; source: string; objectID?: string; message: string }[];
        dropped?: number;
      }>({ method: 'GET', path: `/scanjobs-emulator/runs/${encodeURIComponent(runId)}/log` });
      const entries = reply.body?.entries ?? [];
      if (entries.length === 0) return;
      this.log.info(
        `${job} ${runId} script log (${entries.length} lines${reply.body?.dropped ? `, ${reply.body.dropped} dropped` : ''}):`,
      );
      for (const e of entries) {
        const line = `  [${e.source} ${e.level}]${e.objectID ? ` ${e.objectID}:` : ''} ${e.message}`;
        if (e.level === 'error') this.log.error(line);
        else if (e.level === 'warn') this.log.warn(line);
        else this.log.info(line);
      }
    } catch (e) {
      this.log.warn(
        `Could not read the local tenant's log of run ${runId}: ${e instanceof Error ? e.message : e}`,
      );
    }
  }

  /** While the tree is visible, keep its active runs fresh; stop all of that when it hides. */
  async watchVisible(tenant: string, runs: RunRecord[]): Promise<void> {
    for (const run of runs)
      if (!FINAL_STATES.has(run.progress.state)) await this.quietFollow(tenant, run._id);
  }

  private async quietFollow(tenant: string, runId: string): Promise<void> {
    const key = `${tenant}/${runId}`;
    if (this.followed.has(key) || this.treeFollows.has(key)) return;
    const hub = await this.hub(tenant);
    const seen = this.sightings.listener(tenant);
    const watch = hub.follow(runId, (event) => {
      seen(event);
      if (event.type === 'state' || event.type === 'progress' || event.type === 'final')
        void this.model.updateRun(tenant, event.run);
    });
    this.treeFollows.set(key, watch.stop);
    void watch.done.then(() => {
      watch.stop();
      this.treeFollows.delete(key);
    });
  }

  /**
   * A cancel was asked for: the tree says "Cancelling…" until a poll shows the final state, so the run
   * is followed quietly until then (one request per poll, shared with any other follower).
   */
  async cancelRequested(tenant: string, runId: string): Promise<void> {
    this.sightings.cancelRequested(tenant, runId);
    await this.quietFollow(tenant, runId);
  }

  /** The tenant refused the cancel or the request failed: the run is no longer "Cancelling…". */
  cancelSettled(tenant: string, runId: string): void {
    this.sightings.cancelSettled(tenant, runId);
  }

  stopVisible(): void {
    for (const stop of this.treeFollows.values()) stop();
    this.treeFollows.clear();
  }

  /** A tenant's client changed or went away: its watchers go with it. */
  forget(tenant: string): void {
    this.hubs.delete(tenant);
  }

  dispose(): void {
    this.sightingsChange.dispose();
    this.stopVisible();
    for (const f of this.followed.values()) f.stop();
    this.followed.clear();
  }
}
