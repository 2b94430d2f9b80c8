// The tenants the extension knows: the profiles in settings plus the local tenant while it runs, one
// TenantClient (one keep-alive pool) each, the active tenant, and the context keys that follow from
// them. Nothing here sends a request: "connected" means selected, trusted and with its credentials at
// hand; Test Connection is the explicit check.
import * as vscode from 'vscode';
import {
  AccessTokenSignIn,
  IdmPasswordSignIn,
  LOCAL_TENANT,
  ServiceAccountSignIn,
  TenantClient,
  TenantError,
  type SignIn,
  type TenantProfile,
} from '../../core/tenant';
import type { Platform } from '../../core/job/types';
import type { Shell } from '../shell';
import { ACTIVE_TENANT_KEY } from '../tenant-presence';
import { LOCAL_NAME, LocalTenant } from './local-tenant';
import type { TenantStore } from './tenant-store';
import type { TenantEntry } from './tree-model';

const ACTIVE_KEY = ACTIVE_TENANT_KEY;

export class Tenants implements vscode.Disposable {
  private clients = new Map<string, { client: TenantClient; baseUrl: string }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Tenants whose credentials are in SecretStorage (read once, updated on add/remove). */
  private withSecret = new Set<string>();

  constructor(
    private readonly shell: Shell,
    private readonly store: TenantStore,
    readonly local: LocalTenant,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('scanjobs.tenants')) void this.reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      local.onDidChange(() => {
        this.update();
        if (local.url && !this.active) void this.setActive(LOCAL_NAME);
      }),
    );
  }

  /** Reads settings and which secrets exist; call once at start and after changes. */
  async reload(): Promise<void> {
    const { profiles, problems } = this.store.profiles();
    for (const p of problems) this.log.warn(p);
    const have = new Set<string>();
    await Promise.all(
      profiles.map(async (p) => {
        if (await this.store.secret(p.name)) have.add(p.name);
      }),
    );
    this.withSecret = have;
    for (const [name, c] of this.clients) {
      const p = profiles.find((q) => q.name === name);
      if (name !== LOCAL_NAME && (!p || p.baseUrl !== c.baseUrl)) this.dropClient(name);
    }
    this.update();
  }

  get active(): string | undefined {
    const name = this.shell.context.workspaceState.get<string>(ACTIVE_KEY);
    return name && this.has(name) ? name : undefined;
  }

  async setActive(name: string | undefined): Promise<void> {
    await this.shell.context.workspaceState.update(ACTIVE_KEY, name);
    this.update();
  }

  has(name: string): boolean {
    return name === LOCAL_NAME ? this.local.url !== undefined : this.store.get(name) !== undefined;
  }

  entries(): TenantEntry[] {
    const out: TenantEntry[] = this.store
      .profiles()
      .profiles.map((p) => ({ name: p.name, environment: p.environment, baseUrl: p.baseUrl, local: false }));
    if (this.local.url)
      out.unshift({ name: LOCAL_NAME, environment: 'development', baseUrl: this.local.url, local: true });
    return out;
  }

  /**
   * A tenant as prompts and progress titles name it: its name and address, so the user sees where a
   * write or a run goes before it goes there (issue 16 item 1).
   */
  where(name: string): string {
    const url = this.entry(name)?.baseUrl;
    return url ? `${name} (${url})` : name;
  }

  entry(name: string): TenantEntry | undefined {
    return this.entries().find((e) => e.name === name);
  }

  /** What the tenant runs, when its profile says (the local tenant is AIC-like: undefined). */
  platform(name: string): Platform | undefined {
    return name === LOCAL_NAME ? undefined : this.store.get(name)?.platform;
  }

  isProduction(name: string): boolean {
    return this.entry(name)?.environment === 'production';
  }

  /** Ready to use: trusted workspace, and the tenant's credentials at hand. */
  usable(name: string): boolean {
    if (!vscode.workspace.isTrusted) return false;
    return name === LOCAL_NAME ? this.local.url !== undefined : this.withSecret.has(name);
  }

  async client(name: string): Promise<TenantClient> {
    // The command asking talks to this tenant: its failure names it (failures.ts).
    this.shell.noteTenantUsed(name, name !== LOCAL_NAME);
    if (!vscode.workspace.isTrusted)
      throw new TenantError(
        'This workspace is in Restricted Mode: Scan Jobs connects to no tenant until you trust it',
      );
    const baseUrl = name === LOCAL_NAME ? this.local.url : this.store.get(name)?.baseUrl;
    if (!baseUrl)
      throw new TenantError(
        name === LOCAL_NAME
          ? 'The local tenant is not running: run "Scan Jobs: Start Local Tenant"'
          : `No tenant named '${name}' in the scanjobs.tenants setting`,
      );
    const cached = this.clients.get(name);
    if (cached && cached.baseUrl === baseUrl) return cached.client;
    if (cached) this.dropClient(name);
    const signIn =
      name === LOCAL_NAME ? localSignIn() : await this.signIn(this.store.get(name) as TenantProfile);
    const client = new TenantClient(baseUrl, signIn, {
      log: (line) => this.log.trace(`[${name}] ${line}`),
    });
    this.clients.set(name, { client, baseUrl });
    return client;
  }

  private async signIn(p: TenantProfile): Promise<SignIn> {
    const secret = await this.store.secret(p.name);
    if (!secret)
      throw new TenantError(
        `Tenant '${p.name}' has no credentials in this editor's secret storage: set them with Scan Jobs: Edit Tenant`,
      );
    if (p.signIn === 'idm-password') {
      if (!p.username)
        throw new TenantError(`Tenant '${p.name}' signs in as an IDM user but names none (username)`);
      return new IdmPasswordSignIn(
        p.username,
        secret,
        `the password stored for '${p.name}' (Scan Jobs: Edit Tenant)`,
      );
    }
    if (p.signIn === 'access-token') return new AccessTokenSignIn(secret.trim());
    if (!p.serviceAccountId)
      throw new TenantError(
        `Tenant '${p.name}' signs in with a service account but names none (serviceAccountId)`,
      );
    return new ServiceAccountSignIn(p.serviceAccountId, secret);
  }

  /** Forgets a tenant's client (after its profile or secret changed). */
  dropClient(name: string): void {
    const c = this.clients.get(name);
    this.clients.delete(name);
    if (c) void c.client.close();
  }

  markSecret(name: string, present: boolean): void {
    if (present) this.withSecret.add(name);
    else this.withSecret.delete(name);
  }

  private update(): void {
    const active = this.active;
    const connected = active !== undefined && this.usable(active);
    this.shell.keys.set('scanjobs.tenantConnected', connected);
    this.shell.setActiveTenant(connected ? active : undefined);
    this.shell.keys.set('scanjobs.hasTenants', this.entries().length > 0);
    this.shell.keys.set('scanjobs.localTenantRunning', this.local.url !== undefined);
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const name of [...this.clients.keys()]) this.dropClient(name);
    this.changed.dispose();
  }
}

function localSignIn(): SignIn {
  return new IdmPasswordSignIn(LOCAL_TENANT.username, LOCAL_TENANT.password);
}
