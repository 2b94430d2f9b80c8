/**
 * The private tenant a dry run runs on: a fresh local tenant the CLI or the extension starts (in
 * process, or as a child) and hands to core, which never imports the emulator (DESIGN.md).
 */
import type { TenantClient } from '../tenant';

/** A managed object type the private tenant must serve, with the source tenant's schema. */
export interface ManagedObjectCopy {
  name: string;
  schema?: Record<string, unknown>;
}

export interface PrivateTenantSetup {
  managedObjects: ManagedObjectCopy[];
}

export interface PrivateTenant {
  client: TenantClient;
  /** Where its data lives (a folder the user can open as a local tenant when kept). */
  location: string;
  /** Stops it; deletes its data unless `keep`. */
  close(keep: boolean): Promise<void>;
}

/**
 * Starts a fresh private tenant on 127.0.0.1 (port 0, its own data folder) that serves `setup`'s
 * objects and records each script's `openidm.*` calls in its run log (trace lines
 * `openidm.<op> <resource>: <outcome>`), with credentials only its client knows.
 */
export type StartPrivateTenant = (setup: PrivateTenantSetup) => Promise<PrivateTenant>;
