// Tenant profiles live in the `scanjobs.tenants` setting, with no secret in them, so a team can share
// them in the workspace settings; each profile's secret (a service-account JWK, an access token or an
// IDM password) lives only in SecretStorage (DESIGN.md "Errors are for people": secrets never reach
// a setting, a file or a log).
import * as vscode from 'vscode';
import { TenantError, toProfile, type TenantProfile } from '../../core/tenant';
import { secretKey } from '../tenant-presence';

const SECTION = 'scanjobs';
const KEY = 'tenants';

export class TenantStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The profiles in settings; a broken entry is reported by name and place, the others still load. */
  profiles(): { profiles: TenantProfile[]; problems: string[] } {
    const raw = vscode.workspace.getConfiguration(SECTION).get<unknown[]>(KEY, []);
    const profiles: TenantProfile[] = [];
    const problems: string[] = [];
    (Array.isArray(raw) ? raw : []).forEach((entry, i) => {
      try {
        const p = toProfile(entry, `setting scanjobs.tenants[${i}]`);
        if (profiles.some((q) => q.name === p.name))
          problems.push(`setting scanjobs.tenants[${i}]: a second tenant named '${p.name}' is ignored`);
        else profiles.push(p);
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    });
    return { profiles, problems };
  }

  get(name: string): TenantProfile | undefined {
    return this.profiles().profiles.find((p) => p.name === name);
  }

  /**
   * Saves the secret first and the profile second, so a profile never appears without its secret.
   * Workspace settings when a folder is open (shareable), user settings otherwise.
   */
  async add(profile: TenantProfile, secret: string | undefined): Promise<void> {
    const checked = toProfile(profile, `tenant '${profile.name}'`);
    if (this.get(checked.name)) throw new TenantError(`A tenant named '${checked.name}' already exists`);
    if (secret !== undefined) await this.secrets.store(secretKey(checked.name), secret);
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspect = config.inspect<unknown[]>(KEY);
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    const current =
      (target === vscode.ConfigurationTarget.Workspace ? inspect?.workspaceValue : inspect?.globalValue) ??
      [];
    const clean = Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
    await config.update(KEY, [...current, clean], target);
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
