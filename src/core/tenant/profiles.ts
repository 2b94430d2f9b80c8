import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PLATFORMS, type Platform } from '../job/types';
import { TenantError } from './errors';
import type { SignInKind } from './sign-in';
import { normalizeBaseUrl } from './transport';

export type EnvironmentLabel = 'development' | 'staging' | 'production';
export const ENVIRONMENTS: readonly EnvironmentLabel[] = ['development', 'staging', 'production'];
export const SIGN_IN_KINDS: readonly SignInKind[] = ['service-account', 'access-token', 'idm-password'];

/**
 * A saved tenant connection. It holds no secret: the extension keeps those in SecretStorage, the CLI
 * reads them from the environment or from the key file named here.
 */
export interface TenantProfile {
  name: string;
  baseUrl: string;
  realm?: string;
  signIn: SignInKind;
  serviceAccountId?: string;
  /** IDM user for `idm-password`; the password itself comes from IDM_PASSWORD or SecretStorage. */
  username?: string;
  /** Path of the service account's JWK or PEM file (the CLI's alternative to SERVICE_ACCOUNT_KEY). */
  keyFile?: string;
  /** Extra trusted CA certificates (PEM). */
  caFile?: string;
  environment: EnvironmentLabel;
  /**
   * What the tenant runs, when it is told (`aic`, `idm`, `openidm`): validation checks a job for it,
   * and a push to `openidm` writes a config schedule (idm-api.md §4.4). Detected when left out.
   */
  platform?: Platform;
}

const FIELDS = new Set([
  'name',
  'baseUrl',
  'realm',
  'signIn',
  'serviceAccountId',
  'username',
  'keyFile',
  'caFile',
  'environment',
  'platform',
]);

/** Checks a profile read from a file or typed by a user; the message names the field and the place. */
export function toProfile(raw: unknown, where: string): TenantProfile {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new TenantError(`${where}: a tenant profile must be an object`);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!FIELDS.has(key)) {
      throw new TenantError(
        `${where}: unknown field '${key}'${/pass|secret|token|jwk|key$/i.test(key) ? ' (secrets are never stored in profiles)' : ''}`,
      );
    }
  }
  const str = (k: string, required = false): string | undefined => {
    const v = r[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '')
      throw new TenantError(`${where}: '${k}' must be a non-empty string`);
    return v.trim();
  };
  const name = str('name', true) as string;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new TenantError(`${where}: profile name '${name}' may hold only letters, digits, '.', '_' and '-'`);
  }
  const baseUrl = normalizeBaseUrl(str('baseUrl', true) as string).href.replace(/\/$/, '');
  const signIn = str('signIn', true) as SignInKind;
  if (!SIGN_IN_KINDS.includes(signIn)) {
    throw new TenantError(`${where}: 'signIn' must be one of ${SIGN_IN_KINDS.join(', ')}, not '${signIn}'`);
  }
  const environment = (str('environment') ?? 'development') as EnvironmentLabel;
  if (!ENVIRONMENTS.includes(environment)) {
    throw new TenantError(
      `${where}: 'environment' must be one of ${ENVIRONMENTS.join(', ')}, not '${environment}'`,
    );
  }
  const platform = str('platform') as Platform | undefined;
  if (platform !== undefined && !PLATFORMS.includes(platform)) {
    throw new TenantError(`${where}: 'platform' must be one of ${PLATFORMS.join(', ')}, not '${platform}'`);
  }
  return {
    name,
    baseUrl,
    signIn,
    platform,
    environment,
    realm: str('realm'),
    serviceAccountId: str('serviceAccountId'),
    username: str('username'),
    keyFile: str('keyFile'),
    caFile: str('caFile'),
  };
}

/** Where the CLI keeps profiles: `$SCANJOBS_CONFIG_DIR` or `$XDG_CONFIG_HOME/scanjobs` or `~/.config/scanjobs`. */
export function defaultProfilesFile(env: NodeJS.ProcessEnv): string {
  const dir = env.SCANJOBS_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'scanjobs');
  return join(dir, 'tenants.json');
}

/** Profiles in one JSON file (`{"tenants": [...]}`), written atomically. */
export class ProfileFile {
  constructor(readonly path: string) {}

  list(): TenantProfile[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new TenantError(`Cannot read the tenant profiles in ${this.path}: ${(err as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new TenantError(`${this.path} is not valid JSON: ${(err as Error).message}`);
    }
    const tenants = (data as { tenants?: unknown })?.tenants;
    if (!Array.isArray(tenants)) throw new TenantError(`${this.path}: expected {"tenants": [...]}`);
    return tenants.map((t, i) => toProfile(t, `${this.path}: tenants[${i}]`));
  }

  get(name: string): TenantProfile | undefined {
    return this.list().find((p) => p.name === name);
  }

  /** Adds or replaces the profile of that name. */
  put(profile: TenantProfile): void {
    const others = this.list().filter((p) => p.name !== profile.name);
    this.write([...others, toProfile(profile, 'profile')]);
  }

  remove(name: string): boolean {
    const all = this.list();
    const kept = all.filter((p) => p.name !== name);
    if (kept.length === all.length) return false;
    this.write(kept);
    return true;
  }

  private write(tenants: TenantProfile[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const clean = tenants.map((t) =>
      Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)),
    );
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ tenants: clean }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
