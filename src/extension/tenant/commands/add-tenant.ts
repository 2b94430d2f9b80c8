// Add Tenant and Edit Tenant: one multi-step input (tenant-flow.ts) whose answers become a profile in
// the settings the user chose, the secret in SecretStorage only; then a connection test, ending with
// what to do next or, on failure, Retry / Edit Tenant / Show Output. A caller (the walkthrough, tests)
// may pass the answers as one argument instead: that path asks nothing and tests nothing.
import * as vscode from 'vscode';
import { toProfile, type EnvironmentLabel, type SignInKind, type TenantProfile } from '../../../core/tenant';
import type { Platform } from '../../../core/job/types';
import { ConnectionFailedError } from '../../errors';
import type { Shell } from '../../shell';
import type { SettingsScope } from '../tenant-store';
import { probe } from './connection';
import { askTenant, type TenantDraft } from './tenant-flow';

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
  /** Where the profile is saved; by default the workspace settings when a folder is open. */
  settings?: SettingsScope;
}

type Side = Awaited<ReturnType<Shell['tenants']>>;

/** The draft's answers as profile fields: only the account field its sign-in kind uses. */
function fields(d: TenantDraft): Omit<TenantProfile, 'name'> {
  return {
    baseUrl: d.baseUrl ?? '',
    signIn: d.signIn ?? 'service-account',
    environment: d.environment ?? 'development',
    serviceAccountId: d.signIn === 'service-account' ? d.serviceAccountId : undefined,
    username: d.signIn === 'idm-password' ? d.username : undefined,
  };
}

async function askAll(side: Side): Promise<AddTenantAnswers> {
  const d = await askTenant(
    'Add Tenant',
    {},
    {
      hasFolder: Boolean(vscode.workspace.workspaceFolders?.length),
      nameProblem: (name, baseUrl) => {
        if (name === side.localName) return `'${name}' is the local tenant's name; choose another`;
        const taken = side.store.get(name);
        // The same name and URL as a shared profile: this editor stores its secret for it.
        if (taken && taken.baseUrl !== baseUrl)
          return `A tenant named '${name}' already exists with another URL (${taken.baseUrl}): choose another name, or run Edit Tenant`;
        return undefined;
      },
    },
  );
  return { ...fields(d), name: d.name ?? '', secret: d.secret ?? '', settings: d.settings };
}

export async function addTenant(shell: Shell, arg?: unknown): Promise<string | undefined> {
  const side = await shell.tenants();
  const scripted = isAnswers(arg);
  let answers: AddTenantAnswers;
  try {
    answers = scripted ? arg : await askAll(side);
  } catch (e) {
    if (e instanceof vscode.CancellationError) return undefined;
    throw e;
  }
  if (answers.name === 'local') throw new Error("'local' is the local tenant's name; choose another");
  const { secret, settings, ...rest } = answers;
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
    if (!scripted) await checkAndTell(side, shared.name, 'Stored credentials for');
    return shared.name;
  }
  const profile: TenantProfile = toProfile(
    { environment: 'development', ...rest },
    `tenant '${answers.name}'`,
  );
  await side.store.add(profile, secret, settings);
  side.tenants.markSecret(profile.name, true);
  await side.tenants.reload();
  if (!side.tenants.active) await side.tenants.setActive(profile.name);
  const where = side.store.scopeOf(profile.name) === 'user' ? 'user' : 'workspace';
  side.log.info(
    `Added tenant ${profile.name} (${profile.environment}, ${profile.baseUrl}) to the ${where} settings; its credentials are in the editor's secret storage`,
  );
  if (!scripted) await checkAndTell(side, profile.name, 'Added');
  return profile.name;
}

/**
 * Edit Tenant: the same steps, filled with the saved profile; the name and the settings it lives in
 * stay. Scripted use (tests): `{ name, ...fields to change, secret? }`.
 */
export async function editTenant(shell: Shell, arg?: unknown): Promise<string | undefined> {
  const side = await shell.tenants();
  const given = arg as (Partial<AddTenantAnswers> & { name?: unknown }) | undefined;
  const name = typeof arg === 'string' ? arg : (nameOf(arg) ?? (await pickSaved(side)));
  if (!name) return undefined;
  if (name === side.localName)
    throw new Error('The local tenant has no profile to edit: it is started, not saved');
  const saved = side.store.get(name);
  if (!saved) throw new Error(`No tenant named '${name}' in the scanjobs.tenants setting`);
  // A tree node carries `kind`; a scripted call carries the name and the fields to change.
  const scripted =
    typeof given === 'object' && given !== null && !('kind' in given) && typeof given.name === 'string';
  let draft: TenantDraft;
  try {
    draft = scripted
      ? { ...saved, ...given }
      : await askTenant(
          `Edit Tenant ${name}`,
          { ...saved },
          {
            editing: name,
            hasFolder: Boolean(vscode.workspace.workspaceFolders?.length),
            nameProblem: () => undefined,
          },
        );
  } catch (e) {
    if (e instanceof vscode.CancellationError) return undefined;
    throw e;
  }
  const profile = toProfile({ ...saved, ...fields(draft), name }, `tenant '${name}'`);
  await side.store.update(profile, draft.secret || undefined);
  if (draft.secret) side.tenants.markSecret(name, true);
  side.tenants.dropClient(name);
  await side.tenants.reload();
  side.model.refresh();
  side.log.info(
    `Edited tenant ${name} (${profile.environment}, ${profile.baseUrl})${draft.secret ? "; new credentials in the editor's secret storage" : ''}`,
  );
  if (!scripted) await checkAndTell(side, name, 'Saved');
  return name;
}

/** The flow's last step: a real sign-in and read, then what to do next, or what to do about it. */
async function checkAndTell(side: Side, name: string, done: string): Promise<void> {
  let result: { ms: number; jobs: number };
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scan Jobs: connecting to ${name}…` },
      () => probe(side, name),
    );
  } catch (e) {
    side.log.error(`Connection to ${name} failed: ${e instanceof Error ? e.message : e}`);
    throw new ConnectionFailedError(
      name,
      true,
      e,
      `${done} tenant ${name}, but the connection test failed: `,
      // The profile is saved: trying again is testing the connection, not asking everything again.
      { command: 'scanjobs.testConnection', args: [name] },
    );
  }
  side.log.info(`Connection to ${name} OK (${result.ms} ms, ${result.jobs} jobs visible)`);
  const next =
    result.jobs > 0
      ? `its ${result.jobs === 1 ? 'job is' : `${result.jobs} jobs are`} in the Tenants view. Next: open a *.scanjob.json file and Push it, or Pull one to edit.`
      : 'it has no scan jobs yet. Next: open a *.scanjob.json file (or the example job) and Push it.';
  // Not awaited: the command ends here; the notification stays until the user picks or closes it.
  void vscode.window
    .showInformationMessage(
      `Scan Jobs: ${done} tenant ${name} and connected (${result.ms} ms); ${next}`,
      'Open Example Job',
      'Show Tenants',
    )
    .then((pick) => {
      if (pick === 'Open Example Job') void vscode.commands.executeCommand('scanjobs.openExampleJob');
      if (pick === 'Show Tenants') void vscode.commands.executeCommand('scanjobs.tenants.focus');
    });
}

async function pickSaved(side: Side): Promise<string | undefined> {
  const saved = side.store.profiles().profiles;
  if (saved.length === 0) throw new Error('No saved tenants to edit: run "Scan Jobs: Add Tenant"');
  const pick = await vscode.window.showQuickPick(
    saved.map((p) => ({ label: p.name, description: `${p.environment} · ${p.baseUrl}` })),
    { title: 'Edit which tenant?' },
  );
  return pick?.label;
}

function nameOf(arg: unknown): string | undefined {
  const node = arg as { kind?: unknown; tenant?: { name?: unknown } } | undefined;
  if (node?.kind === 'tenant' && typeof node.tenant?.name === 'string') return node.tenant.name;
  const given = arg as { name?: unknown } | undefined;
  return typeof given?.name === 'string' ? given.name : undefined;
}

function isAnswers(arg: unknown): arg is AddTenantAnswers {
  const a = arg as AddTenantAnswers | undefined;
  return typeof a === 'object' && a !== null && typeof a.name === 'string' && typeof a.secret === 'string';
}
