// Add Tenant: a guided flow (URL, sign-in kind, service-account id, JWK pasted or picked from a file,
// environment label). The profile goes to settings, the secret to SecretStorage only. A caller (the
// walkthrough, tests) may pass the answers as one argument instead.
import * as vscode from 'vscode';
import {
  ENVIRONMENTS,
  normalizeBaseUrl,
  toProfile,
  type EnvironmentLabel,
  type SignInKind,
  type TenantProfile,
} from '../../../core/tenant';
import type { Platform } from '../../../core/job/types';
import type { Shell } from '../../shell';

export interface AddTenantAnswers {
  name: string;
  baseUrl: string;
  signIn: SignInKind;
  serviceAccountId?: string;
  username?: string;
  environment?: EnvironmentLabel;
  /** What the tenant runs (detected when left out). */
  platform?: Platform;
  /** The JWK, access token or password. */
  secret: string;
}

const cancelled = (): never => {
  throw new vscode.CancellationError();
};

async function ask(prompt: string, options: vscode.InputBoxOptions = {}): Promise<string> {
  const v = await vscode.window.showInputBox({ prompt, ignoreFocusOut: true, ...options });
  return v?.trim() || cancelled();
}

async function askJwk(): Promise<string> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(clippy) Paste the JWK', id: 'paste' },
      { label: '$(file) Pick a JWK file…', id: 'file' },
    ],
    { title: 'Service-account key', ignoreFocusOut: true },
  );
  if (!pick) return cancelled();
  if (pick.id === 'paste')
    return ask("Paste the service account's private JWK (JSON)", {
      password: true,
      validateInput: jwkProblem,
    });
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'JSON Web Key': ['json', 'jwk'] },
  });
  if (!files?.[0]) return cancelled();
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(files[0]));
  const problem = jwkProblem(text);
  if (problem) throw new Error(`${files[0].fsPath}: ${problem}`);
  return text.trim();
}

/** Names the problem without echoing the key. */
function jwkProblem(text: string): string | undefined {
  try {
    const jwk = JSON.parse(text) as Record<string, unknown>;
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') return 'not a JWK: no "kty"';
    if (typeof jwk.d !== 'string')
      return 'this is a public key: the private JWK (with "d") is needed to sign in';
    return undefined;
  } catch {
    return 'not JSON: paste the whole JWK object';
  }
}

/** The Tenant URL prompt's check: core's own (which refuses a user or password in the URL). */
function urlProblem(value: string): string | undefined {
  if (!/^https?:\/\/[^\s/]+/i.test(value.trim())) return 'An http(s) URL, e.g. https://tenant.example.com';
  try {
    normalizeBaseUrl(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function askAll(): Promise<AddTenantAnswers> {
  const baseUrl = await ask('Tenant URL', {
    placeHolder: 'https://openam-example.forgeblocks.com',
    validateInput: urlProblem,
  });
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Service account', description: 'AIC: id and private JWK', id: 'service-account' as const },
      {
        label: 'Access token',
        description: 'a bearer token you paste (expires)',
        id: 'access-token' as const,
      },
      { label: 'IDM user and password', description: 'self-hosted PingIDM', id: 'idm-password' as const },
    ],
    { title: 'How to sign in', ignoreFocusOut: true },
  );
  if (!kind) return cancelled();
  let serviceAccountId: string | undefined;
  let username: string | undefined;
  let secret: string;
  if (kind.id === 'service-account') {
    serviceAccountId = await ask('Service-account id');
    secret = await askJwk();
  } else if (kind.id === 'access-token') {
    secret = await ask('Access token', { password: true });
  } else {
    username = await ask('IDM user name', { value: 'openidm-admin' });
    secret = await ask(`Password of ${username}`, { password: true });
  }
  const env = await vscode.window.showQuickPick(
    ENVIRONMENTS.map((e) => ({ label: e })),
    { title: 'Environment (production asks before every write)', ignoreFocusOut: true },
  );
  if (!env) return cancelled();
  const suggested = new URL(baseUrl).hostname.split('.')[0].replace(/[^A-Za-z0-9._-]/g, '-');
  // An existing profile's name (shared in the workspace settings) stores this editor's key for it.
  const name = await ask('A name for this tenant', {
    value: suggested,
    validateInput: (v) =>
      !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v.trim())
        ? 'Letters, digits, ".", "_" and "-" only'
        : v.trim() === 'local'
          ? "'local' is the local tenant's name"
          : undefined,
  });
  return {
    name,
    baseUrl,
    signIn: kind.id,
    serviceAccountId,
    username,
    environment: env.label as EnvironmentLabel,
    secret,
  };
}

export async function addTenant(shell: Shell, arg?: unknown): Promise<string | undefined> {
  const side = await shell.tenants();
  let answers: AddTenantAnswers;
  try {
    answers = isAnswers(arg) ? arg : await askAll();
  } catch (e) {
    if (e instanceof vscode.CancellationError) return undefined;
    throw e;
  }
  if (answers.name === 'local') throw new Error("'local' is the local tenant's name; choose another");
  const { secret, ...rest } = answers;
  const shared = side.store.get(answers.name);
  if (shared) {
    // A profile from shared settings: keep it as the team wrote it, store this editor's secret.
    if (shared.baseUrl !== toProfile({ environment: 'development', ...rest }, 'tenant').baseUrl)
      throw new Error(`A tenant named '${answers.name}' already exists with another URL (${shared.baseUrl})`);
    await side.store.setSecret(shared.name, secret);
    side.tenants.markSecret(shared.name, true);
    side.tenants.dropClient(shared.name);
    await side.tenants.reload();
    side.log.info(`Stored credentials for tenant ${shared.name} in the editor's secret storage`);
    return shared.name;
  }
  const profile: TenantProfile = toProfile(
    { environment: 'development', ...rest },
    `tenant '${answers.name}'`,
  );
  await side.store.add(profile, secret);
  side.tenants.markSecret(profile.name, true);
  await side.tenants.reload();
  if (!side.tenants.active) await side.tenants.setActive(profile.name);
  side.log.info(
    `Added tenant ${profile.name} (${profile.environment}, ${profile.baseUrl}); its credentials are in the editor's secret storage`,
  );
  return profile.name;
}

function isAnswers(arg: unknown): arg is AddTenantAnswers {
  const a = arg as AddTenantAnswers | undefined;
  return typeof a === 'object' && a !== null && typeof a.name === 'string' && typeof a.secret === 'string';
}
