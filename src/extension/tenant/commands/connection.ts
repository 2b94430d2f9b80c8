// Tenant housekeeping commands: remove, select, test, refresh, load more, the local tenant, output.
import * as vscode from 'vscode';
import type { Shell } from '../../shell';
import type { MoreNode, TreeNode } from '../tree-model';
import { askForLogKey } from '../tenant-logs';

const tenantOf = (arg: unknown): string | undefined => {
  if (typeof arg === 'string') return arg;
  const node = arg as TreeNode | undefined;
  if (node?.kind === 'tenant') return node.tenant.name;
  return node && 'tenant' in node && typeof node.tenant === 'string' ? node.tenant : undefined;
};

async function pickTenant(shell: Shell, title: string, withLocal = true): Promise<string | undefined> {
  const side = await shell.tenants();
  const entries = side.tenants.entries().filter((e) => withLocal || !e.local);
  if (entries.length === 0)
    throw new Error('No tenants yet: run "Scan Jobs: Add Tenant" or "Scan Jobs: Start Local Tenant"');
  const pick = await vscode.window.showQuickPick(
    entries.map((e) => ({
      label: `${e.local ? '$(server-process)' : '$(cloud)'} ${e.name}`,
      description: `${e.environment} · ${e.baseUrl}${e.name === side.tenants.active ? ' · active' : ''}`,
      name: e.name,
    })),
    { title },
  );
  return pick?.name;
}

export async function removeTenant(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  const name = tenantOf(arg) ?? (await pickTenant(shell, 'Remove which tenant?', false));
  if (!name) return;
  if (name === side.localName) throw new Error('The local tenant is not a saved profile: stop it instead');
  const ok = await vscode.window.showWarningMessage(
    `Remove tenant '${name}' and its stored credentials from this editor?`,
    { modal: true },
    'Remove',
  );
  if (ok !== 'Remove') return;
  await side.store.remove(name);
  await side.logs.setKey(name, undefined);
  side.tenants.markSecret(name, false);
  side.tenants.dropClient(name);
  side.following.forget(name);
  if (side.tenants.active === name) await side.tenants.setActive(undefined);
  await side.tenants.reload();
  side.model.refresh();
  side.log.info(`Removed tenant ${name}`);
}

/** Stores (or, given nothing, removes) a tenant's log API key in SecretStorage (docs/logs.md). */
export async function setLogApiKey(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  // Scripted use (tests, other extensions): {tenant, id, secret}; an empty id removes the key.
  const given = arg as { tenant?: unknown; id?: unknown; secret?: unknown } | undefined;
  if (typeof given?.tenant === 'string' && typeof given.id === 'string') {
    const key =
      given.id && typeof given.secret === 'string' ? { id: given.id, secret: given.secret } : undefined;
    await side.logs.setKey(given.tenant, key);
    side.following.forget(given.tenant);
    return;
  }
  const name = tenantOf(arg) ?? (await pickTenant(shell, 'Set the log API key of which tenant?', false));
  if (!name) return;
  if (await askForLogKey(side.logs, name)) side.following.forget(name);
}

export async function selectTenant(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  const name = tenantOf(arg) ?? (await pickTenant(shell, 'Active tenant'));
  if (!name) return;
  await side.tenants.setActive(name);
}

export async function testConnection(shell: Shell, arg?: unknown): Promise<boolean> {
  const side = await shell.tenants();
  const name = side.requireTenant(tenantOf(arg));
  const client = await side.tenants.client(name);
  const started = Date.now();
  try {
    const page = await client.jobs.query({ pageSize: 1, fields: ['_id'] });
    const ms = Date.now() - started;
    side.log.info(
      `Connection to ${name} OK (${ms} ms, ${page.totalPagedResults ?? page.resultCount} jobs visible)`,
    );
    void vscode.window.showInformationMessage(`Scan Jobs: connected to ${name} (${ms} ms).`);
    return true;
  } catch (e) {
    side.log.error(`Connection to ${name} failed: ${e instanceof Error ? e.message : e}`);
    throw e;
  }
}

export async function refresh(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  await side.tenants.reload();
  const node = arg as TreeNode | undefined;
  if (node?.kind === 'tenant' || node?.kind === 'job') side.model.refresh(node);
  else side.model.refresh();
}

export async function loadMore(shell: Shell, arg?: unknown): Promise<void> {
  const side = await shell.tenants();
  const node = arg as MoreNode | undefined;
  if (node?.kind !== 'more')
    throw new Error('Load more applies to a "Load more…" item in the Scan Jobs views');
  await side.model.loadMore(node);
}

export async function startLocalTenant(shell: Shell): Promise<string> {
  const side = await shell.tenants();
  const url = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Starting the local tenant' },
    () => side.local.start(),
  );
  const active = side.tenants.active;
  if (!active || active === side.localName) await side.tenants.setActive(side.localName);
  side.model.refresh();
  return url;
}

export async function stopLocalTenant(shell: Shell): Promise<void> {
  const side = await shell.tenants();
  side.following.forget(side.localName);
  side.tenants.dropClient(side.localName);
  await side.local.stop();
  side.model.refresh();
}

export async function showOutput(shell: Shell): Promise<void> {
  (await shell.tenants()).log.show(true);
}
