// What every part of the extension shares: the extension context, the context keys, the tenant views'
// shells, and the two parts, which load on first use: the editor features (a JSON document opened,
// or an editor command) and the tenant side (a tenant view shown, a tenant command, or filter
// completion while a tenant is connected).
import { AsyncLocalStorage } from 'node:async_hooks';
import * as vscode from 'vscode';
import { ContextKeys } from './context-keys';
import { reportFailure, type CommandRun } from './failures';
import type { EditorFeatures } from './editor/features';
import { loadPart } from './parts';
import type { TenantSide } from './tenant/side';
import { TenantPresence } from './tenant-presence';
import { createTenantViews, type TenantViews } from './tenant-views';

/** Offers pointers for filter completion; the tenant side adds one per connected tenant. */
export interface PointerSource {
  pointers(job: Record<string, unknown>): Promise<string[]> | string[];
}

/** A notification the extension showed; `act` does what picking one of its actions does. */
export interface Shown {
  level: 'error' | 'warning' | 'info';
  text: string;
  actions?: string[];
  act?: (action: string) => unknown;
}

export class Shell {
  readonly keys = new ContextKeys();
  readonly views: TenantViews;
  private readonly pointerSources: PointerSource[] = [];
  private readonly presence: TenantPresence;
  private editorFeatures: Promise<EditorFeatures> | undefined;
  private tenantSide: Promise<TenantSide> | undefined;
  private channel: vscode.LogOutputChannel | undefined;
  /** The notifications commands showed, newest last (read by the tests through the API). */
  readonly shown: Shown[] = [];
  /** The command run each piece of asynchronous work belongs to (commands.ts starts one per call). */
  private readonly commandRuns = new AsyncLocalStorage<CommandRun>();

  private activeTenantName: string | undefined;
  private readonly activeTenantChanged = new vscode.EventEmitter<string | undefined>();
  /** The active tenant's name changed (or there is none any more): lenses and titles name it. */
  readonly onDidChangeActiveTenant = this.activeTenantChanged.event;

  constructor(readonly context: vscode.ExtensionContext) {
    this.presence = new TenantPresence(context, this.keys, (name) => this.setActiveTenant(name));
    context.subscriptions.push(this.keys, this.presence, this.activeTenantChanged);
    this.views = createTenantViews(() => this.tenants(), context.subscriptions);
    // Reads settings, workspace state and SecretStorage; sends no request.
    void this.presence.update();
  }

  /** The "Scan Jobs" output channel, created on first use (by a command failure or the tenant side). */
  get log(): vscode.LogOutputChannel {
    if (!this.channel) {
      this.channel = vscode.window.createOutputChannel('Scan Jobs', { log: true });
      this.context.subscriptions.push(this.channel);
    }
    return this.channel;
  }

  /** Notes a notification the extension showed; only the last 500 are kept. */
  noteShown(
    level: Shown['level'],
    text: string,
    actions?: string[],
    act?: (action: string) => unknown,
  ): void {
    this.shown.push(actions?.length ? { level, text, actions, act } : { level, text });
    if (this.shown.length > 500) this.shown.shift();
  }

  /**
   * Shows a notification (noted for the tests); `act` runs with the action the user picks. Not
   * awaited by callers: a command ends while its notification waits for the user.
   */
  notify(
    level: Shown['level'],
    text: string,
    actions: string[] = [],
    act?: (action: string) => unknown,
  ): void {
    this.noteShown(level, text, actions, act);
    const show =
      level === 'error'
        ? vscode.window.showErrorMessage
        : level === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    void show(text, ...actions).then((pick) => (pick ? act?.(pick) : undefined));
  }

  /** Runs a command's handler as one command run, whose failure the failure report describes. */
  runCommand<T>(run: CommandRun, body: () => Promise<T>): Promise<T> {
    return this.commandRuns.run(run, body);
  }

  /**
   * The tenant side asked for a tenant's client: the command being run talks to that tenant, so its
   * failure names it and, when it could not connect, offers to edit it (failures.ts).
   */
  noteTenantUsed(name: string, editable: boolean): void {
    const run = this.commandRuns.getStore();
    if (run) run.tenant = { name, editable };
  }

  /** Reports a failed command to the user and the output channel (the one failure report). */
  reportFailure(run: CommandRun, e: unknown): void {
    reportFailure(this, run, e);
  }

  /** A command's title as the palette shows it, e.g. "Cancel Run". */
  commandTitle(id: string): string {
    const commands = (
      this.context.extension.packageJSON as {
        contributes?: { commands?: { command: string; title: string }[] };
      }
    ).contributes?.commands;
    return commands?.find((c) => c.command === id)?.title ?? id;
  }

  /** The connected active tenant's name, for every action that writes or runs to say where. */
  get activeTenant(): string | undefined {
    return this.activeTenantName;
  }

  /** Set by whoever decides the tenant keys: the presence check, then the tenant side. */
  setActiveTenant(name: string | undefined): void {
    if (name === this.activeTenantName) return;
    this.activeTenantName = name;
    this.activeTenantChanged.fire(name);
  }

  /** The editor features (diagnostics, completion, hover, CodeLens), started on the first call. */
  editor(): Promise<EditorFeatures> {
    this.editorFeatures ??= loadPart('editor').then((m) => m.startEditorFeatures(this));
    return this.editorFeatures;
  }

  /** The tenant side (views, tenants, runs), started on the first call; sends no request by itself. */
  tenants(): Promise<TenantSide> {
    this.tenantSide ??= loadPart('tenant').then((m) => {
      // From here on the tenant side's Tenants set the tenant context keys.
      this.presence.dispose();
      const side = new m.TenantSide(this);
      this.context.subscriptions.push(side);
      // Filter completion offers the scanned object's fields once a tenant is connected.
      this.pointerSources.push(new m.ManagedObjectPointers(side.tenants));
      return side.start();
    });
    return this.tenantSide;
  }

  /**
   * Pointers the tenants offer for a job's filter. Only a connected tenant can offer any, so without
   * one the tenant side stays unloaded and nothing is asked.
   */
  async pointers(job: Record<string, unknown>): Promise<string[]> {
    if (!this.tenantSide && !this.keys.get('scanjobs.tenantConnected')) return [];
    await this.tenants();
    const offered = await Promise.all(
      this.pointerSources.map((s) => Promise.resolve(s.pointers(job)).catch(() => [])),
    );
    return offered.flat();
  }

  get editorStarted(): boolean {
    return this.editorFeatures !== undefined;
  }

  get tenantsStarted(): boolean {
    return this.tenantSide !== undefined;
  }
}
