// Tenant profiles live in the `scanjobs.tenants` setting, with no secret in them, so a team can share
// them in the workspace settings; each profile's secret (a service-account JWK, an access token or an
// IDM password) lives only in SecretStorage (DESIGN.md "Errors are for people": secrets never reach
// a setting, a file or a log).
import * as vscode from 'vscode';
import { TenantError, toProfile, type TenantProfile } from '../../core/tenant';
import { secretKey } from '../tenant-presence';

const SECTION = 'scanjobs';
const KEY = 'tenants';

/** Workspace settings (.vscode/settings.json, shared with the team) or the user's own. */
export type SettingsScope = 'workspace' | 'user';

export class TenantStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * The profiles in the workspace settings, then those in the user settings (VS Code would let a
   * workspace value hide the user's list whole; Add Tenant lets people choose either, so both count,
   * the workspace's winning a name clash). A broken entry is reported by scope and index, the others load.
   */
  profiles(): { profiles: TenantProfile[]; problems: string[] } {
    const inspect = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>(KEY);
    const profiles: TenantProfile[] = [];
    const problems: string[] = [];
    const scopes: [string, unknown][] = [
      ['workspace', inspect?.workspaceValue],
      ['user', inspect?.globalValue],
    ];
    for (const [scope, raw] of scopes) {
      (Array.isArray(raw) ? raw : []).forEach((entry, i) => {
        const where = `${scope} setting scanjobs.tenants[${i}]`;
        try {
          const p = toProfile(entry, where);
          if (profiles.some((q) => q.name === p.name))
            problems.push(`${where}: a second tenant named '${p.name}' is ignored`);
          else profiles.push(p);
        } catch (e) {
          problems.push(e instanceof Error ? e.message : String(e));
        }
      });
    }
    return { profiles, problems };
  }

  get(name: string): TenantProfile | undefined {
    return this.profiles().profiles.find((p) => p.name === name);
  }

  /**
   * Saves the secret first and the profile second, so a profile never appears without its secret.
   * `where` is the user's answer in Add Tenant; by default the workspace settings when a folder is open
   * (shareable), the user settings otherwise.
   */
  async add(profile: TenantProfile, secret: string | undefined, where?: SettingsScope): Promise<void> {
    const checked = toProfile(profile, `tenant '${profile.name}'`);
    if (this.get(checked.name)) throw new TenantError(`A tenant named '${checked.name}' already exists`);
    if (secret !== undefined) await this.secrets.store(secretKey(checked.name), secret);
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspect = config.inspect<unknown[]>(KEY);
    const hasFolder = Boolean(vscode.workspace.workspaceFolders?.length);
    const target =
      (where ?? (hasFolder ? 'workspace' : 'user')) === 'workspace' && hasFolder
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    const current =
      (target === vscode.ConfigurationTarget.Workspace ? inspect?.workspaceValue : inspect?.globalValue) ??
      [];
    const clean = Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
    await config.update(KEY, [...current, clean], target);
  }

  /**
   * Edit Tenant: replaces the profile of that name in every settings scope that holds it (it stays
   * where it was), and its secret when a new one is given.
   */
  async update(profile: TenantProfile, secret: string | undefined): Promise<void> {
    const checked = toProfile(profile, `tenant '${profile.name}'`);
    if (!this.get(checked.name))
      throw new TenantError(`No tenant named '${checked.name}' in the scanjobs.tenants setting`);
    if (secret !== undefined) await this.secrets.store(secretKey(checked.name), secret);
    const clean = Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspect = config.inspect<unknown[]>(KEY);
    const scopes: [unknown[] | undefined, vscode.ConfigurationTarget][] = [
      [inspect?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspect?.globalValue, vscode.ConfigurationTarget.Global],
    ];
    for (const [list, target] of scopes) {
      if (!list?.some((t) => (t as { name?: unknown })?.name === checked.name)) continue;
      const replaced = list.map((t) => ((t as { name?: unknown })?.name === checked.name ? clean : t));
      await config.update(KEY, replaced, target);
    }
  }

  /** Which settings a profile is saved in (workspace wins, as VS Code reads it). */
  scopeOf(name: string): SettingsScope | undefined {
    const inspect = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>(KEY);
    const holds = (list: unknown[] | undefined) =>
      list?.some((t) => (t as { name?: unknown })?.name === name) ?? false;
    if (holds(inspect?.workspaceValue)) return 'workspace';
    return holds(inspect?.globalValue) ? 'user' : undefined;
  }

  /** Removes the profile from every settings scope that holds it, and its secret. */
  async remove(name: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspect = config.inspect<unknown[]>(KEY);
    const without = (list: unknown[] | undefined) =>
      list?.filter((t) => (t as { name?: unknown })?.name !== name);
    const scopes: [unknown[] | undefined, vscode.ConfigurationTarget][] = [
      [inspect?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspect?.globalValue, vscode.ConfigurationTarget.Global],
    ];
    for (const [list, target] of scopes) {
      const kept = without(list);
      if (list && kept && kept.length !== list.length) await config.update(KEY, kept, target);
    }
    await this.secrets.delete(secretKey(name));
  }

  /** Stores this editor's credentials for a profile that came from shared settings. */
  async setSecret(name: string, secret: string): Promise<void> {
    if (!this.get(name)) throw new TenantError(`No tenant named '${name}' in the scanjobs.tenants setting`);
    await this.secrets.store(secretKey(name), secret);
  }

  secret(name: string): Thenable<string | undefined> {
    return this.secrets.get(secretKey(name));
  }
}
