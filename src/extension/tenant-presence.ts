// The tenant context keys before the tenant side has loaded (DESIGN.md "State decides what is
// possible", "Lazy and small"): whether tenants exist and whether the active one is connected, from
// the settings, the workspace state and SecretStorage only, with no request and without the tenant
// bundle. Once the tenant side runs, its Tenants decide these keys and this stops.
import * as vscode from 'vscode';
import type { ContextKeys } from './context-keys';

/** Where the active tenant's name is kept (workspace state), shared with tenant/tenants.ts. */
export const ACTIVE_TENANT_KEY = 'scanjobs.activeTenant';

/** The SecretStorage key of a tenant's secret, shared with tenant/tenant-store.ts. */
export const secretKey = (name: string): string => `scanjobs.tenant/${name}`;

/** Names of the profiles in the `scanjobs.tenants` setting that look complete (a name and a URL). */
function profileNames(): string[] {
  // Workspace and user settings both count, as in tenant/tenant-store.ts.
  const inspect = vscode.workspace.getConfiguration('scanjobs').inspect<unknown[]>('tenants');
  const listed = (raw: unknown) => (Array.isArray(raw) ? raw : []);
  return [...listed(inspect?.workspaceValue), ...listed(inspect?.globalValue)].flatMap((p) => {
    const { name, baseUrl } = (p ?? {}) as { name?: unknown; baseUrl?: unknown };
    return typeof name === 'string' && typeof baseUrl === 'string' ? [name] : [];
  });
}

export class TenantPresence implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  private stopped = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly keys: ContextKeys,
    private readonly setActive: (name: string | undefined) => void,
  ) {
    this.disposables = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('scanjobs.tenants')) void this.update();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.update()),
    ];
  }

  /** Sets scanjobs.hasTenants and scanjobs.tenantConnected, unless the tenant side has taken over. */
  async update(): Promise<void> {
    const names = profileNames();
    const active = this.context.workspaceState.get<string>(ACTIVE_TENANT_KEY);
    const connected =
      active !== undefined &&
      names.includes(active) &&
      vscode.workspace.isTrusted &&
      (await this.context.secrets.get(secretKey(active))) !== undefined;
    if (this.stopped) return;
    this.keys.set('scanjobs.hasTenants', names.length > 0);
    this.keys.set('scanjobs.tenantConnected', connected);
    this.setActive(connected ? active : undefined);
  }

  /** The tenant side sets the keys from now on. */
  dispose(): void {
    this.stopped = true;
    for (const d of this.disposables) d.dispose();
  }
}
