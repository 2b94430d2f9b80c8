// What every part of the extension shares: the extension context, the context keys and the editor
// features, which load on first use (a job file opened, or a command that needs them).
import type * as vscode from 'vscode';
import { ContextKeys } from './context-keys';
import type { EditorFeatures } from './editor/features';
import { loadPart } from './parts';
import type { TenantSide } from './tenant/side';

/** Offers pointers for filter completion; the tenant side adds one per connected tenant. */
export interface PointerSource {
  pointers(job: Record<string, unknown>): Promise<string[]> | string[];
}

export class Shell {
  readonly keys = new ContextKeys();
  readonly pointerSources: PointerSource[] = [];
  private editorFeatures: Promise<EditorFeatures> | undefined;
  private tenantSide: Promise<TenantSide> | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    context.subscriptions.push(this.keys);
  }

  /** The editor features (diagnostics, completion, hover, CodeLens), started on the first call. */
  editor(): Promise<EditorFeatures> {
    this.editorFeatures ??= loadPart('editor').then((m) => m.startEditorFeatures(this));
    return this.editorFeatures;
  }

  /** The tenant side (views, tenants, runs), started at activation; sends no request by itself. */
  tenants(): Promise<TenantSide> {
    this.tenantSide ??= loadPart('tenant').then((m) => {
      const side = new m.TenantSide(this);
      this.context.subscriptions.push(side);
      // Filter completion offers the scanned object's fields once a tenant is connected.
      this.pointerSources.push(new m.ManagedObjectPointers(side.tenants));
      return side.start();
    });
    return this.tenantSide;
  }

  get editorStarted(): boolean {
    return this.editorFeatures !== undefined;
  }
}
