// Following runs: one core RunWatchHub per tenant (one request per poll however many listeners), and
// the renderings of a followed run: output lines, a progress bar with Cancel, the tree node, and a
// notification at the end. Polling happens only while a run is INITIALIZED or ACTIVE and something
// listens (DESIGN.md "Poll with discipline"); the watcher stops at the final state.
import * as vscode from 'vscode';
import { FINAL_STATES, jobOfRun, type RunRecord } from '../../core/tenant';
import { RunSightings } from '../../core/run-view';
import {
  RunWatchHub,
  stallHistoryOf,
  type StallContext,
  formatDuration,
  type WatchEnd,
  type WatchEvent,
  type WatchListener,
} from '../../core/watch';
import type { RunLogs } from '../../core/logs/follow';
import type { LogEvent, ScriptLine } from '../../core/logs/types';
import { RunRecorder, recordListing } from '../../core/history';
import type { CommandRun } from '../failures';
import { LOCAL_NAME } from './local-tenant';
import { RunLines, percent } from './run-lines';
import type { Tenants } from './tenants';
import type { TenantLogs } from './tenant-logs';
import type { TenantTreeModel } from './tree-model';

/** Script log lines kept per followed run for the run views. */
const MAX_LINES = 2000;

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
  /** The stall setting each tenant's hub was made with. */
  private hubStall = new Map<string, number>();
  /** Runs followed for the output channel (once each, whoever asks again). */
  private followed = new Map<string, Followed>();
  /** Quiet follows that only keep the visible tree fresh, stopped when the tree hides. */
  private treeFollows = new Map<string, () => void>();
  /** What this client saw of the runs it followed (progress over time, ends, cancels in flight). */
  readonly sightings = new RunSightings();
  private readonly sightingsChange: { dispose(): void };
  /** The script log lines of followed runs (`tenant/runId`), newest MAX_LINES kept, for the run views. */
  private readonly lines = new Map<string, ScriptLine[]>();
  private readonly linesChanged = new vscode.EventEmitter<{
    tenant: string;
    runId: string;
    lines: ScriptLine[];
  }>();
  /** New script log lines of a followed run (docs/logs.md); the run details view listens. */
  readonly onDidLogLines = this.linesChanged.event;
  /** Tenants already told why their logs cannot be read (once a session each). */
  private told = new Set<string>();

  constructor(
    private readonly tenants: Tenants,
    private readonly model: TenantTreeModel,
    private readonly log: vscode.LogOutputChannel,
    /** Log lines and run history per tenant (docs/logs.md). */
    readonly logs: TenantLogs,
    /** Notes a notification shown (Shell.noteShown: the tests read them back). */
    private readonly noteShown: (level: 'warning' | 'info', text: string, actions: string[]) => void = () =>
      undefined,
    /** The failure report (Shell.reportFailure): a watch that stops on an error offers Retry there. */
    private readonly report: (run: CommandRun, e: unknown) => void = () => undefined,
  ) {
    this.sightingsChange = this.sightings.onDidChange((tenant, runId) => model.touchRun(tenant, runId));
  }

  /** Jobs of the runs followed here, for the stall explanation where runs carry no name (§4.1). */
  private jobs = new Map<string, string>();

  private async hub(tenant: string): Promise<RunWatchHub> {
    const seconds = vscode.workspace.getConfiguration('scanjobs').get<number>('watch.stallAfterSeconds', 120);
    let hub = this.hubs.get(tenant);
    // A changed stall setting takes effect for the runs followed from now on (a new hub; the runs
    // already followed keep theirs).
    if (hub && this.hubStall.get(tenant) !== seconds) hub = undefined;
    if (!hub) {
      this.hubStall.set(tenant, seconds);
      const client = await this.tenants.client(tenant);
      // The core's stall detection (src/core/watch/stall.ts): a frozen count is reported once, with
      // its likely cause from the run's job; the watch goes on, and the user may cancel the run.
      const stallContext = async (run: RunRecord): Promise<StallContext> => {
        const openidm = await client.runs.isOpenIdmFork().catch(() => undefined);
        const job = client.runs.jobOf(run) ?? this.jobs.get(`${tenant}/${run._id}`);
        if (!job) return { openidm };
        const scan = (await client.jobs.read(job)).invokeContext?.scan as
          { _queryFilter?: unknown; queryFilter?: unknown } | undefined;
        const filter = scan?._queryFilter ?? scan?.queryFilter;
        return { openidm, filter: typeof filter === 'string' ? filter : undefined };
      };
      // The job's kept runs (core/history) set the threshold until a run has a pace of its own.
      const stallHistory = async (run: RunRecord) => {
        const job = client.runs.jobOf(run) ?? this.jobs.get(`${tenant}/${run._id}`);
        return job ? stallHistoryOf(await this.logs.history(tenant).list(), job) : undefined;
      };
      hub = new RunWatchHub(client.runs, {
        stallAfterMs: Math.max(1, seconds) * 1000,
        stallContext,
        stallHistory,
      });
      this.hubs.set(tenant, hub);
    }
    return hub;
  }

  /** The script log lines seen so far of a run this window followed. */
  linesOf(tenant: string, runId: string): readonly ScriptLine[] {
    return this.lines.get(`${tenant}/${runId}`) ?? [];
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
    this.jobs.set(key, job);
    const lines = new RunLines(job, this.log);
    const toTree = (event: WatchEvent) => {
      if (event.type === 'state' || event.type === 'progress' || event.type === 'final')
        void this.model.updateRun(tenant, event.run);
    };
    const seen = this.observers(tenant, false);
    const recorder = new RunRecorder(this.logs.history(tenant), job, Date.now, (e) =>
      this.log.warn(`Could not keep run ${runId} in the run history: ${e instanceof Error ? e.message : e}`),
    );
    let scriptLines: Promise<RunLogs | undefined> | undefined;
    const watch = hub.follow(runId, (event) => {
      seen(event);
      lines.listener(event);
      toTree(event);
      recorder.listener(event);
      if ('run' in event && event.run)
        scriptLines ??= this.followLines(tenant, runId, job, event.run.started ?? new Date().toISOString());
    });
    this.followed.set(key, watch);
    this.log.info(`Following run ${runId} of ${job} on ${tenant}`);
    void this.progressBar(tenant, runId, job, hub, options);
    const end = await watch.done;
    watch.stop();
    this.followed.delete(key);
    this.jobs.delete(key);
    const logs = await scriptLines;
    if (logs) {
      if (end.type === 'final') logs.ended(end.run.ended ?? undefined);
      else logs.stop();
    }
    await recorder.flush();
    if (tenant === LOCAL_NAME) {
      // The local tenant's log has no delay: its last lines are in a tail or two after the end.
      await logs?.done;
      await this.writeScriptLog(runId, job, logs !== undefined);
    }
    void this.announce(tenant, runId, job, end);
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

  private async announce(tenant: string, runId: string, job: string, end: WatchEnd): Promise<void> {
    if (end.type === 'stopped' && end.reason === 'error' && end.error !== undefined) {
      // Reported as Watch Run of this run: a refused sign-in offers Retry (watch it again) and Edit Tenant.
      const editable = tenant !== LOCAL_NAME;
      this.report(
        { command: 'scanjobs.watchRun', args: [{ tenant, runId }], tenant: { name: tenant, editable } },
        end.error,
      );
      return;
    }
    if (end.type === 'stopped') {
      if (end.reason !== 'aborted') void vscode.window.showErrorMessage(`Scan Jobs: ${end.message}`);
      return;
    }
    const p = end.run.progress;
    const text = `${job} on ${tenant}: ${p.state}, ${p.processed}/${p.total} processed, ${p.failures} failed`;
    const show =
      p.state === 'COMPLETED' && p.failures === 0
        ? vscode.window.showInformationMessage(text, 'Open Details', 'Show Runs')
        : vscode.window.showWarningMessage(text, 'Open Details', 'Show Runs', 'Show Output');
    const choice = await show;
    if (choice === 'Open Details')
      await vscode.commands.executeCommand('scanjobs.openRun', { tenant, runId: end.run._id });
    if (choice === 'Show Runs') await vscode.commands.executeCommand('scanjobs.runs.focus');
    if (choice === 'Show Output') this.log.show(true);
  }

  /**
   * Streams a run's script lines from the tenant's log API into the output channel (docs/logs.md);
   * says once per tenant and session why they cannot be read (no key, no log API).
   */
  private async followLines(
    tenant: string,
    runId: string,
    job: string,
    started: string,
  ): Promise<RunLogs | undefined> {
    const key = `${tenant}/${runId}`;
    const onEvent = (event: LogEvent) => {
      if (event.type === 'lines') {
        for (const l of event.lines) {
          const text = `  [script ${l.level.toLowerCase()}] ${job}: ${l.message}`;
          if (l.level === 'ERROR') this.log.error(text);
          else if (l.level === 'WARN' || l.level === 'WARNING') this.log.warn(text);
          else this.log.info(text);
        }
        const kept = [...(this.lines.get(key) ?? []), ...event.lines].slice(-MAX_LINES);
        this.lines.set(key, kept);
        this.linesChanged.fire({ tenant, runId, lines: event.lines });
      } else if (event.type === 'unavailable') {
        if (this.told.has(tenant)) return;
        this.told.add(tenant);
        this.log.info(event.availability.message);
        this.tellNoKey(tenant, event.availability.state, event.availability.message);
      } else if (event.type === 'error') this.log.warn(`Log lines of ${tenant}: ${event.message}`);
    };
    try {
      return await this.logs.followRun(tenant, { runId, job, started }, onEvent, {
        // AIC's log pipeline delivers late; the local tenant's log is written as the script runs.
        lingerMs: tenant === LOCAL_NAME ? 3000 : undefined,
      });
    } catch (e) {
      this.log.warn(`Cannot follow the log lines of run ${runId}: ${e instanceof Error ? e.message : e}`);
      return undefined;
    }
  }

  /**
   * No key, or a key the tenant refused: said once per tenant and session in a notification, not
   * only in the output channel, with the button that sets one (docs/logs.md "Log API key"). A tenant
   * without a log API (self-hosted IDM, OpenIDM) is said in the output and the details view only:
   * there is nothing the user could set.
   */
  private tellNoKey(tenant: string, state: string, message: string): void {
    if (state !== 'no-key' && state !== 'refused') return;
    const text = `Scan Jobs: ${message}`;
    const actions = ['Set Log API Key'];
    this.noteShown('warning', text, actions);
    void vscode.window.showWarningMessage(text, ...actions).then((pick) => {
      if (pick === 'Set Log API Key') void vscode.commands.executeCommand('scanjobs.setLogApiKey', tenant);
    });
  }

  /**
   * The emulator keeps each run's scanner notes and script logger lines (emulator-only route); when
   * the script lines came through the log API already, only the scanner's notes are added.
   */
  private async writeScriptLog(runId: string, job: string, streamed = false): Promise<void> {
    try {
      const client = await this.tenants.client(LOCAL_NAME);
      const reply = await client.http.request<{
        entries?: { level: string; source: string; objectID?: string; message: string }[];
        dropped?: number;
      }>({ method: 'GET', path: `/scanjobs-emulator/runs/${encodeURIComponent(runId)}/log` });
      const all = reply.body?.entries ?? [];
      const entries = all.filter((e) => !streamed || e.source !== 'script');
      if (all.length === 0) return;
      const above = streamed ? `${all.length - entries.length} script lines shown above as they came, ` : '';
      this.log.info(
        `${job} ${runId} script log (${above}${entries.length} lines${reply.body?.dropped ? `, ${reply.body.dropped} dropped` : ''})${entries.length ? ':' : ''}`,
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

  /** Keeps runs a view lists in the tenant's history (never fails the view). */
  keep(tenant: string, runs: RunRecord[]): void {
    void recordListing(this.logs.history(tenant), runs, new Date(), (e) =>
      this.log.warn(
        `Could not keep runs of ${tenant} in the run history: ${e instanceof Error ? e.message : e}`,
      ),
    );
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
    const seen = this.observers(tenant, true);
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

  /** Follows a run for a view that shows it (the details view) until `stop` or its end. */
  async observe(tenant: string, runId: string): Promise<() => void> {
    const key = `${tenant}/${runId}`;
    const hub = await this.hub(tenant);
    const seen = this.observers(tenant, !this.followed.has(key));
    const watch = hub.follow(runId, (event) => {
      seen(event);
      if (event.type === 'state' || event.type === 'progress' || event.type === 'final')
        void this.model.updateRun(tenant, event.run);
    });
    void watch.done.then(() => watch.stop());
    return watch.stop;
  }

  /**
   * What every follower of a run feeds: the sightings (progress over time, the end seen), the
   * stuck-run notification, and, for a follower other than `follow` (which keeps its own recorder),
   * the run history at the run's end.
   */
  private observers(tenant: string, record: boolean): WatchListener {
    const seen = this.sightings.listener(tenant);
    const recorder = record
      ? new RunRecorder(this.logs.history(tenant), undefined, Date.now, (e) =>
          this.log.warn(`Could not keep a run in the run history: ${e instanceof Error ? e.message : e}`),
        )
      : undefined;
    return (event) => {
      seen(event);
      recorder?.listener(event);
      if (event.type === 'stalled') this.stuck(tenant, event.run, event.forMs, event.explanation.message);
    };
  }

  /** Runs already announced as stuck: one notification per run, however many followers. */
  private readonly toldStuck = new Set<string>();

  /**
   * A run core/watch calls stalled (stall.ts: its count frozen for longer than its own pace allows;
   * idm-api.md §4.2: a run whose workers hang stays ACTIVE): one notification per run however many
   * follow it, saying the likely cause, with Cancel Run and Open Details.
   */
  private stuck(tenant: string, run: RunRecord, forMs: number, why: string): void {
    const key = `${tenant}/${run._id}`;
    if (this.toldStuck.has(key)) return;
    this.toldStuck.add(key);
    const job = jobOfRun(run) ?? this.jobs.get(key) ?? run._id;
    const text = `Scan Jobs: ${job} on ${tenant} looks hung: nothing processed for ${formatDuration(forMs)} (${run.progress.processed}/${run.progress.total}). ${why}`;
    const actions = ['Cancel Run', 'Open Details'];
    this.noteShown('warning', text, actions);
    void vscode.window.showWarningMessage(text, ...actions).then((choice) => {
      if (choice === 'Cancel Run')
        void vscode.commands.executeCommand('scanjobs.cancelRun', {
          kind: 'run',
          id: `run:${tenant}:${run._id}`,
          tenant,
          run,
        });
      else if (choice === 'Open Details')
        void vscode.commands.executeCommand('scanjobs.openRun', { tenant, runId: run._id });
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
    this.logs.forget(tenant);
    this.told.delete(tenant);
  }

  dispose(): void {
    this.linesChanged.dispose();
    this.sightingsChange.dispose();
    this.stopVisible();
    for (const f of this.followed.values()) f.stop();
    this.followed.clear();
  }
}
