// Read-only copies of tenant jobs, `scanjobs-tenant:/<tenant>/<job>.json`, so Diff with Tenant can open
// VS Code's diff editor with the tenant's job on the left and the local one on the right.
import * as vscode from 'vscode';
import { inLocalKeyOrder } from '../../core/tenant';
import type { Tenants } from './tenants';

export class TenantDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'scanjobs-tenant';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Local resolved jobs shown on the diff's right side, keyed by URI path. */
  private readonly locals = new Map<string, string>();
  /** Tenant copies read ahead by fetch(), handed out once. */
  private readonly fetched = new Map<string, string>();

  constructor(private readonly tenants: Tenants) {}

  static uri(tenant: string, job: string, side: 'tenant' | 'local' = 'tenant'): vscode.Uri {
    return vscode.Uri.from({
      scheme: TenantDocuments.scheme,
      path: `/${encodeURIComponent(tenant)}/${encodeURIComponent(job)}.json`,
      query: side === 'local' ? 'local' : '',
    });
  }

  /** The job as it would be pushed (its script inlined), for the diff's right side. */
  setLocal(tenant: string, job: string, body: Record<string, unknown>): vscode.Uri {
    const uri = TenantDocuments.uri(tenant, job, 'local');
    this.locals.set(uri.toString(), `${JSON.stringify(body, null, 2)}\n`);
    this.changed.fire(uri);
    return uri;
  }

  /**
   * Reads the tenant's copy now, so that a tenant that cannot be reached fails the command that asked
   * (Diff with Tenant offers Retry and Edit Tenant) instead of leaving an editor that cannot open.
   */
  async fetch(tenant: string, job: string): Promise<void> {
    const uri = TenantDocuments.uri(tenant, job);
    this.fetched.set(uri.toString(), await this.read(uri));
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.query === 'local') return this.locals.get(uri.toString()) ?? '';
    const ready = this.fetched.get(uri.toString());
    this.fetched.delete(uri.toString());
    return ready ?? this.read(uri);
  }

  private async read(uri: vscode.Uri): Promise<string> {
    const [tenant, file] = uri.path.slice(1).split('/').map(decodeURIComponent);
    const job = file.replace(/\.json$/, '');
    const client = await this.tenants.client(tenant);
    try {
      // On OpenIDM the job as pushed is its config schedule (idm-api.md §4.4; commands/jobs.ts).
      const openidm = await client.isOpenIdm(this.tenants.platform(tenant));
      const pushed = await client.readPushedJob(job, openidm);
      if (!pushed) return `// '${job}' does not exist on ${tenant} yet: a push creates it\n{}\n`;
      const record = forDiff(pushed.job);
      const text = this.locals.get(TenantDocuments.uri(tenant, job, 'local').toString());
      if (!text) return `${JSON.stringify(record, null, 2)}\n`;
      const local = JSON.parse(text) as Record<string, unknown>;
      dropServerDefaults(record, local);
      // The server's key order is its own: shown in the file's order, only real changes remain.
      return `${JSON.stringify(inLocalKeyOrder(record, local), null, 2)}\n`;
    } catch (e) {
      if ((e as { status?: number }).status === 404)
        return `// '${job}' does not exist on ${tenant} yet: a push creates it\n{}\n`;
      throw e;
    }
  }
}

/** Fields the server adds (idm-api.md §2.2) are not the user's, so they stay out of the diff. */
export function forDiff(job: Record<string, unknown>): Record<string, unknown> {
  const { _id: _i, triggers: _t, nextRunDate: _n, previousRunDate: _p, ...rest } = job;
  if (typeof rest.invokeService === 'string')
    rest.invokeService = rest.invokeService.replace(/^org\.forgerock\.openidm\./, '');
  return rest;
}

/**
 * Top-level fields the server fills in with its defaults (idm-api.md §2.1–2.2) are noise beside a
 * local job that leaves them out; a tenant-only field with any other value stays, since a push
 * (PUT) would reset it.
 */
function dropServerDefaults(remote: Record<string, unknown>, local: Record<string, unknown>): void {
  const defaults = new Set<unknown>([null, false, 0, '', 'info', 'fireAndProceed']);
  for (const [key, value] of Object.entries(remote)) {
    if (!(key in local) && defaults.has(value)) delete remote[key];
  }
}
