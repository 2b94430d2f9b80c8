// State decides what is possible (DESIGN.md): commands are enabled by these context keys in `when`
// clauses, and the CodeLens provider reads the same values, so no handler re-checks the state.
import * as vscode from 'vscode';

export type ContextKey =
  /** The active editor holds a job file. */
  | 'scanjobs.jobFileActive'
  /** The active job's script is inline (`source`), so it can be edited or extracted. */
  | 'scanjobs.scriptInline'
  /** The active job's script lives in a file (`file` or `file://`), so it can be inlined. */
  | 'scanjobs.scriptInFile'
  /** A tenant (or the local tenant) is connected: push, execute and diff are possible. */
  | 'scanjobs.tenantConnected'
  /** At least one tenant profile exists (tenant side). */
  | 'scanjobs.hasTenants'
  /** The local tenant emulator is running (tenant side). */
  | 'scanjobs.localTenantRunning';

export class ContextKeys {
  private readonly values = new Map<ContextKey, boolean>();
  private readonly changed = new vscode.EventEmitter<ContextKey>();
  readonly onDidChange = this.changed.event;

  get(key: ContextKey): boolean {
    return this.values.get(key) ?? false;
  }

  set(key: ContextKey, value: boolean): void {
    if (this.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
    this.changed.fire(key);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
