// The steps Add Tenant and Edit Tenant walk through (one multi-step input, src/extension/multi-step.ts):
// URL (the scheme completed by core's completeBaseUrl), sign-in kind, the account (service-account id
// or IDM user), the secret (JWK pasted or picked from a file, token, password), environment label,
// name, and where the profile is saved. Edit skips the name and the place, and may keep the secret.
import * as vscode from 'vscode';
import {
  baseUrlProblem,
  completeBaseUrl,
  ENVIRONMENTS,
  suggestTenantName,
  tenantNameProblem,
  type EnvironmentLabel,
  type SignInKind,
} from '../../../core/tenant';
import { askChoice, askText, runSteps, type Step } from '../../multi-step';
import type { SettingsScope } from '../tenant-store';

export interface TenantDraft {
  baseUrl?: string;
  signIn?: SignInKind;
  serviceAccountId?: string;
  username?: string;
  /** Undefined in Edit Tenant means "keep the stored one". */
  secret?: string;
  environment?: EnvironmentLabel;
  name?: string;
  settings?: SettingsScope;
}

export interface FlowOptions {
  /** Edit Tenant: the name is fixed, the place kept, an empty secret keeps the stored one. */
  editing?: string;
  /** Whether a workspace folder is open (else the profile goes to the user settings, unasked). */
  hasFolder: boolean;
  /** Refuses a name already taken (with another URL) or reserved. */
  nameProblem: (name: string, baseUrl: string) => string | undefined;
}

const SIGN_INS: { id: SignInKind; label: string; description: string }[] = [
  { id: 'service-account', label: 'Service account', description: 'AIC: id and private JWK' },
  { id: 'access-token', label: 'Access token', description: 'a bearer token you paste (expires)' },
  { id: 'idm-password', label: 'IDM user and password', description: 'self-hosted PingIDM' },
];

/** Names the problem without echoing the key. */
export function jwkProblem(text: string): string | undefined {
  try {
    const jwk = JSON.parse(text) as Record<string, unknown>;
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') return 'not a JWK: no "kty"';
    if (typeof jwk.d !== 'string')
      return 'this is a public key: the private JWK (with "d") is needed to sign in';
    return undefined;
  } catch {
    return 'not JSON: paste the whole JWK object, or pick its file with the button above';
  }
}

const pickJwkFile = {
  button: { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: 'Pick a JWK file…' },
  answer: async (): Promise<string | undefined> => {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'JSON Web Key': ['json', 'jwk'] },
    });
    if (!files?.[0]) return undefined;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(files[0]));
    const problem = jwkProblem(text);
    if (problem) throw new Error(`${files[0].fsPath}: ${problem}`);
    return text.trim();
  },
};

export function tenantSteps(options: FlowOptions): Step<TenantDraft>[] {
  const keep = options.editing !== undefined;
  const keepHint = keep ? ' (leave empty to keep the stored one)' : '';
  const secretCheck = (check?: (v: string) => string | undefined) => (v: string) =>
    v.trim() ? check?.(v) : keep ? undefined : 'Needed to sign in';
  return [
    {
      ask: async (d, place) => {
        const typed = await askText(place, {
          prompt: 'Tenant URL — a host alone gets https:// (http:// for localhost and 127.0.0.1)',
          placeholder: 'openam-example.forgeblocks.com',
          value: d.baseUrl,
          validate: baseUrlProblem,
        });
        d.baseUrl = completeBaseUrl(typed);
      },
    },
    {
      ask: async (d, place) => {
        d.signIn = await askChoice(place, {
          placeholder: `How to sign in to ${d.baseUrl}`,
          items: SIGN_INS,
          current: d.signIn,
        });
      },
    },
    {
      skip: (d) => d.signIn === 'access-token',
      ask: async (d, place) => {
        if (d.signIn === 'service-account')
          d.serviceAccountId = await askText(place, {
            prompt: 'Service-account id (AIC console: Tenant settings › Service Accounts)',
            value: d.serviceAccountId,
            validate: (v) => (v.trim() ? undefined : 'The service account id is needed to sign in'),
          });
        else
          d.username = await askText(place, {
            prompt: 'IDM user name',
            value: d.username ?? 'openidm-admin',
            validate: (v) => (v.trim() ? undefined : 'The IDM user name is needed to sign in'),
          });
      },
    },
    {
      ask: async (d, place) => {
        const answer =
          d.signIn === 'service-account'
            ? await askText(place, {
                prompt: `Paste the service account's private JWK (JSON), or pick its file with the folder button${keepHint}`,
                password: true,
                validate: secretCheck(jwkProblem),
                buttons: [pickJwkFile],
              })
            : await askText(place, {
                prompt:
                  d.signIn === 'access-token'
                    ? `Access token${keepHint}`
                    : `Password of ${d.username ?? 'the IDM user'}${keepHint}`,
                password: true,
                validate: secretCheck(),
              });
        d.secret = answer || undefined;
      },
    },
    {
      ask: async (d, place) => {
        d.environment = await askChoice(place, {
          placeholder: 'Environment label (production asks before every write or run)',
          items: ENVIRONMENTS.map((e) => ({ id: e, label: e })),
          current: d.environment,
        });
      },
    },
    {
      skip: () => keep,
      ask: async (d, place) => {
        const url = d.baseUrl ?? '';
        d.name = await askText(place, {
          prompt: 'A name for this tenant (how commands and the Tenants view refer to it)',
          value: d.name ?? suggestTenantName(url),
          validate: (v) => tenantNameProblem(v) ?? options.nameProblem(v.trim(), url),
        });
      },
    },
    {
      skip: () => keep || !options.hasFolder,
      ask: async (d, place) => {
        d.settings = await askChoice<SettingsScope>(place, {
          placeholder: 'Save the tenant (never its secret, which stays in the editor) in…',
          items: [
            {
              id: 'workspace',
              label: 'Workspace settings',
              description: '.vscode/settings.json: shared with the team through the folder',
            },
            { id: 'user', label: 'User settings', description: 'only this editor, in every folder' },
          ],
          current: d.settings,
        });
      },
    },
  ];
}

/** Walks the steps; resolves with every answer, or rejects with CancellationError on Escape. */
export function askTenant(title: string, draft: TenantDraft, options: FlowOptions): Promise<TenantDraft> {
  return runSteps(title, draft, tenantSteps(options));
}
