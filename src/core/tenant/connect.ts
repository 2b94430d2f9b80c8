import { readFileSync } from 'node:fs';
import { TenantError } from './errors';
import type { Platform } from '../job/types';
import { ProfileFile, TenantProfile, EnvironmentLabel } from './profiles';
import { AccessTokenSignIn, IdmPasswordSignIn, ServiceAccountSignIn, SignIn } from './sign-in';
import { normalizeBaseUrl, withoutCredentials } from './transport';
import type { LogKey } from '../logs/types';

/** The built-in local tenant: the emulator's default address and administrator. */
export const LOCAL_TENANT = {
  baseUrl: 'http://127.0.0.1:8080',
  username: 'openidm-admin',
  password: 'openidm-admin',
  /** The local tenant's built-in log API key (docs/logs.md); as public as its admin password. */
  logKey: { id: 'scanjobs-local-log-key', secret: 'scanjobs-local-log-secret' } as LogKey,
};

/** A tenant to talk to, with its sign-in, before any connection is opened. */
export interface Connection {
  /** The profile name, or the URL when none. */
  label: string;
  baseUrl: string;
  signIn: SignIn;
  environment: EnvironmentLabel;
  caFile?: string;
  /** What the tenant runs, when its profile says so (undefined: detect it). */
  platform?: Platform;
  /** Where the tenant came from, for `tenants test` and error messages. */
  source: string;
  /** The log API key (docs/logs.md), from the environment; undefined when none is set. */
  logKey?: LogKey;
}

/**
 * The log API key from the environment: SCANJOBS_LOG_API_KEY and SCANJOBS_LOG_API_SECRET, or Frodo's
 * FRODO_LOG_KEY and FRODO_LOG_SECRET. Half a key is an error naming the missing variable.
 */
export function logKeyFromEnv(env: NodeJS.ProcessEnv): LogKey | undefined {
  const pairs: [string, string][] = [
    ['SCANJOBS_LOG_API_KEY', 'SCANJOBS_LOG_API_SECRET'],
    ['FRODO_LOG_KEY', 'FRODO_LOG_SECRET'],
  ];
  for (const [idName, secretName] of pairs) {
    const id = env[idName]?.trim();
    const secret = env[secretName]?.trim();
    if (!id && !secret) continue;
    if (!id || !secret)
      throw new TenantError(
        `${id ? idName : secretName} is set but ${id ? secretName : idName} is not: a log API key needs both`,
      );
    return { id, secret };
  }
  return undefined;
}

/**
 * Picks the tenant and its credentials the way docs/cli.md describes: `--tenant` (a profile name or a
 * base URL), then SCANJOBS_TENANT, then fr-config-manager's TENANT_BASE_URL and Frodo's FRODO_HOST,
 * then the only saved profile, and otherwise the built-in local tenant.
 */
export function resolveConnection(
  tenant: string | undefined,
  env: NodeJS.ProcessEnv,
  profiles: ProfileFile,
): Connection {
  const logKey = logKeyFromEnv(env);
  const connection = pick(tenant, env, profiles);
  return {
    ...connection,
    logKey: logKey ?? (connection.label === 'local' ? LOCAL_TENANT.logKey : undefined),
  };
}

function pick(tenant: string | undefined, env: NodeJS.ProcessEnv, profiles: ProfileFile): Connection {
  const chosen = tenant ?? env.SCANJOBS_TENANT;
  if (chosen) {
    const byName = profiles.get(chosen);
    if (byName) return fromProfile(byName, env, `profile '${chosen}'`);
    if (/^https?:\/\//i.test(chosen)) return fromUrl(chosen, env, tenant ? '--tenant' : 'SCANJOBS_TENANT');
    const names = profiles.list().map((p) => p.name);
    throw new TenantError(
      `No tenant profile named '${withoutCredentials(chosen)}'${names.length ? ` (profiles: ${names.join(', ')})` : ''}; give a profile name or a base URL`,
    );
  }
  const envUrl = env.TENANT_BASE_URL ?? env.FRODO_HOST;
  if (envUrl) return fromUrl(envUrl, env, env.TENANT_BASE_URL ? 'TENANT_BASE_URL' : 'FRODO_HOST');
  const all = profiles.list();
  if (all.length === 1) return fromProfile(all[0], env, `profile '${all[0].name}' (the only one saved)`);
  if (all.length > 1) {
    throw new TenantError(
      `Several tenant profiles are saved (${all.map((p) => p.name).join(', ')}); choose one with --tenant`,
    );
  }
  return {
    label: 'local',
    baseUrl: LOCAL_TENANT.baseUrl,
    signIn: new IdmPasswordSignIn(LOCAL_TENANT.username, LOCAL_TENANT.password),
    environment: 'development',
    source: 'the built-in local tenant',
  };
}

function fromProfile(p: TenantProfile, env: NodeJS.ProcessEnv, source: string): Connection {
  const where = `tenant profile '${p.name}'`;
  let signIn: SignIn;
  if (p.signIn === 'idm-password') {
    const username = p.username ?? env.IDM_USERNAME;
    const password = env.IDM_PASSWORD;
    if (!username || !password)
      throw new TenantError(
        `${where} signs in with IDM_USERNAME/IDM_PASSWORD; set ${!username ? 'IDM_USERNAME' : 'IDM_PASSWORD'}`,
      );
    signIn = new IdmPasswordSignIn(username, password);
  } else if (p.signIn === 'access-token') {
    signIn = accessToken(env, where);
  } else {
    signIn = serviceAccount(env, where, p.serviceAccountId, p.keyFile);
  }
  return {
    label: p.name,
    baseUrl: p.baseUrl,
    signIn,
    environment: p.environment,
    caFile: p.caFile,
    platform: p.platform,
    source,
  };
}

function fromUrl(url: string, env: NodeJS.ProcessEnv, source: string): Connection {
  const baseUrl = normalizeBaseUrl(url).href.replace(/\/$/, '');
  const where = `tenant ${baseUrl} (from ${source})`;
  let signIn: SignIn;
  if (env.IDM_USERNAME || env.IDM_PASSWORD) {
    if (!env.IDM_USERNAME || !env.IDM_PASSWORD)
      throw new TenantError(`${where}: set both IDM_USERNAME and IDM_PASSWORD`);
    signIn = new IdmPasswordSignIn(env.IDM_USERNAME, env.IDM_PASSWORD);
  } else if (env.SERVICE_ACCOUNT_ID || env.FRODO_SA_ID) {
    signIn = serviceAccount(env, where, undefined, undefined);
  } else if (env.SCANJOBS_ACCESS_TOKEN) {
    signIn = accessToken(env, where);
  } else {
    throw new TenantError(
      `${where}: no credentials in the environment. Set IDM_USERNAME and IDM_PASSWORD (self-hosted IDM), ` +
        'SERVICE_ACCOUNT_ID with SERVICE_ACCOUNT_KEY or SERVICE_ACCOUNT_KEY_PATH (or FRODO_SA_ID with FRODO_SA_JWK), ' +
        'or SCANJOBS_ACCESS_TOKEN',
    );
  }
  return { label: baseUrl, baseUrl, signIn, environment: 'development', source };
}

function accessToken(env: NodeJS.ProcessEnv, where: string): SignIn {
  if (!env.SCANJOBS_ACCESS_TOKEN)
    throw new TenantError(`${where} signs in with an access token; set SCANJOBS_ACCESS_TOKEN`);
  return new AccessTokenSignIn(env.SCANJOBS_ACCESS_TOKEN.trim());
}

function serviceAccount(env: NodeJS.ProcessEnv, where: string, id?: string, keyFile?: string): SignIn {
  const accountId = id ?? env.SERVICE_ACCOUNT_ID ?? env.FRODO_SA_ID;
  if (!accountId)
    throw new TenantError(`${where}: no service-account id; set SERVICE_ACCOUNT_ID (or FRODO_SA_ID)`);
  let key = env.SERVICE_ACCOUNT_KEY ?? env.FRODO_SA_JWK;
  const path = keyFile ?? env.SERVICE_ACCOUNT_KEY_PATH;
  if (!key && path) {
    try {
      key = readFileSync(path, 'utf8');
    } catch (err) {
      throw new TenantError(
        `${where}: cannot read the service-account key file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  if (!key) {
    throw new TenantError(
      `${where}: no service-account key; set SERVICE_ACCOUNT_KEY (or FRODO_SA_JWK) or SERVICE_ACCOUNT_KEY_PATH`,
    );
  }
  return new ServiceAccountSignIn(accountId, key);
}
