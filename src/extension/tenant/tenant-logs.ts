// The script log lines and the run history of the tenants, for the output channel and the run views
// (docs/logs.md). Log API keys live only in SecretStorage, one per tenant (the local tenant has its
// own built in); history lives in the extension's global storage, one file per tenant. The core does
// the work: one rate budget and one log tail per tenant however many runs, windows or views follow.
import { join } from 'node:path';
import * as vscode from 'vscode';
// The log modules one by one: the marker (and its JavaScript parser) belongs to push, not here.
import { HOW_TO_ADD_A_KEY, LogClient } from '../../core/logs/client';
import { LogTailHub, RunLogs, type RunLogsOptions } from '../../core/logs/follow';
import type { LogKey, LogListener, RunWindow } from '../../core/logs/types';
import { HistoryFile, historyFileName } from '../../core/history';
import { LOCAL_TENANT, registerSecret } from '../../core/tenant';
import { LOCAL_NAME } from './local-tenant';
import type { Tenants } from './tenants';

/** SecretStorage key of a tenant's log API key (`{"id","secret"}` as JSON). */
export const logKeySecret = (tenant: string): string => `scanjobs.logKey/${tenant}`;

export class TenantLogs {
  private readonly tails = new LogTailHub();
  private readonly clients = new Map<string, LogClient>();
  private readonly histories = new Map<string, HistoryFile>();
  private readonly keyChanged = new vscode.EventEmitter<string>();
  /** A tenant's log key was set or removed (the run details views read their lines again). */
  readonly onDidChangeKey = this.keyChanged.event;

  constructor(
    private readonly tenants: Tenants,
    private readonly secrets: vscode.SecretStorage,
    private readonly storage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async key(tenant: string): Promise<LogKey | undefined> {
    if (tenant === LOCAL_NAME) return LOCAL_TENANT.logKey;
    const raw = await this.secrets.get(logKeySecret(tenant));
    if (!raw) return undefined;
    try {
      const key = JSON.parse(raw) as LogKey;
      registerSecret(key.id);
      registerSecret(key.secret);
      return typeof key.id === 'string' && typeof key.secret === 'string' ? key : undefined;
    } catch {
      return undefined;
    }
  }

  async setKey(tenant: string, key: LogKey | undefined): Promise<void> {
    this.clients.delete(tenant);
    if (key) await this.secrets.store(logKeySecret(tenant), JSON.stringify(key));
    else await this.secrets.delete(logKeySecret(tenant));
    this.keyChanged.fire(tenant);
  }

  /** The tenant's log client (its key may be missing: the client then says how to add one). */
  async client(tenant: string): Promise<LogClient> {
    const tenantClient = await this.tenants.client(tenant);
    const http = tenantClient.http;
    const cached = this.clients.get(tenant);
    // A new TenantClient (a changed profile) means a new transport: the log client follows it.
    if (cached?.transport === http) return cached;
    // Self-hosted IDM and OpenIDM have no log API: their profile, or OpenIDM's run listing (one
    // request, remembered and shared with the Runs view), says so before any log request is sent.
    const profile = this.tenants.platform(tenant);
    const platform =
      profile ?? ((await tenantClient.isOpenIdm(undefined).catch(() => false)) ? 'openidm' : undefined);
    const client = new LogClient(http, await this.key(tenant), { platform });
    this.clients.set(tenant, client);
    return client;
  }

  /** Follows one run's lines until `ended` is called on the result (or it is stopped). */
  async followRun(
    tenant: string,
    run: RunWindow,
    listener: LogListener,
    options: RunLogsOptions = {},
  ): Promise<RunLogs> {
    const client = await this.client(tenant);
    return new RunLogs(this.tails.tail(tenant, client), run, listener, options).start();
  }

  /** The tenant's run history (the extension's global storage). */
  history(tenant: string): HistoryFile {
    const baseUrl = this.tenants.entry(tenant)?.baseUrl ?? tenant;
    const file = join(
      this.storage.fsPath,
      'history',
      historyFileName(tenant, tenant === LOCAL_NAME ? 'local' : baseUrl),
    );
    let h = this.histories.get(file);
    if (!h) {
      h = new HistoryFile(file, { onDamaged: (m) => this.log.warn(m) });
      this.histories.set(file, h);
    }
    return h;
  }

  forget(tenant: string): void {
    this.clients.delete(tenant);
  }
}

/** Asks for a tenant's log API key and secret and keeps them in SecretStorage; empty removes it. */
export async function askForLogKey(logs: TenantLogs, tenant: string): Promise<boolean> {
  if (tenant === LOCAL_NAME) {
    void vscode.window.showInformationMessage('The local tenant has its own log API key: nothing to set.');
    return false;
  }
  const id = await vscode.window.showInputBox({
    title: `Log API key for ${tenant} (1/2)`,
    prompt: `The key id (x-api-key). ${HOW_TO_ADD_A_KEY.split('.')[0]}. Leave empty to remove the stored key.`,
    ignoreFocusOut: true,
  });
  if (id === undefined) return false;
  if (id.trim() === '') {
    await logs.setKey(tenant, undefined);
    void vscode.window.showInformationMessage(`Removed the log API key of ${tenant}.`);
    return true;
  }
  const secret = await vscode.window.showInputBox({
    title: `Log API key for ${tenant} (2/2)`,
    prompt: 'The key secret (x-api-secret), shown once when the key was created',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The secret is required'),
  });
  if (!secret) return false;
  await logs.setKey(tenant, { id: id.trim(), secret: secret.trim() });
  void vscode.window.showInformationMessage(
    `Saved the log API key of ${tenant} in this editor's secret storage. Followed runs now show their script's log lines.`,
  );
  return true;
}
