// What the views read of the run history (core/history, docs/logs.md "History"): the file per tenant
// that TenantLogs keeps in the extension's global storage, so runs outlive the tenant's newest 100
// (idm-api.md §4.5) and a cancelled run keeps the end this client saw. Followed runs are recorded by
// RunFollowing at their end, and every run the views list (RunFollowing.keep). No secret is in it.
import * as vscode from 'vscode';
import { recordListing, type HistoryRun, type HistoryStore } from '../../core/history';
import type { RunRecord } from '../../core/tenant';

export class RunHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** A tenant's history was read again (after a run was recorded, or a listing). */
  readonly onDidChange = this.changed.event;
  /** The last list read per tenant, for what the tree shows synchronously (ends of cancelled runs). */
  private readonly known = new Map<string, Map<string, HistoryRun>>();
  private readonly signatures = new Map<string, string>();

  constructor(
    private readonly storeOf: (tenant: string) => HistoryStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private readonly warn = (err: unknown) =>
    this.log.warn(`Run history: ${err instanceof Error ? err.message : String(err)}`);

  /** Keeps every run of a listing (never fails the caller). */
  async recordListing(tenant: string, runs: RunRecord[]): Promise<void> {
    if (runs.length === 0) return;
    await recordListing(this.storeOf(tenant), runs, new Date(), this.warn);
    await this.list(tenant);
  }

  /** Every kept run of the tenant, oldest first; empty when the file cannot be read. */
  async list(tenant: string): Promise<HistoryRun[]> {
    try {
      const runs = await this.storeOf(tenant).list();
      // Said only when something changed, so a view that reads on each change does not loop.
      const signature = runs.map((r) => `${r.runId}@${r.seenAt}`).join(',');
      this.known.set(tenant, new Map(runs.map((r) => [r.runId, r])));
      if (this.signatures.get(tenant) !== signature) {
        this.signatures.set(tenant, signature);
        this.changed.fire(tenant);
      }
      return runs;
    } catch (err) {
      this.warn(err);
      return [];
    }
  }

  /**
   * What the history kept of one run, from the last read. The first question about a tenant starts
   * a read; its answer comes with onDidChange (the tree redraws its runs then).
   */
  get(tenant: string, runId: string): HistoryRun | undefined {
    const known = this.known.get(tenant);
    if (!known) {
      this.known.set(tenant, new Map());
      void this.list(tenant);
    }
    return known?.get(runId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
