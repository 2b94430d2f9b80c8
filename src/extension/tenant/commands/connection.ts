// Tenant housekeeping commands: remove, select, test, refresh, load more, the local tenant, output.
import * as vscode from 'vscode';
import { runsInProgress, type RunRecord } from '../../../core/tenant';
import type { Shell } from '../../shell';
import type { MoreNode, TreeNode } from '../tree-model';
import { askForLogKey } from '../tenant-logs';
import { ConnectionFailedError } from '../../errors';

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

/** One small read as the tenant's user: proves the URL, the sign-in and the permission to list jobs. */
export async function probe(
  side: Awaited<ReturnType<Shell['tenants']>>,
  name: string,
): Promise<{ ms: number; jobs: number }> {
  const client = await side.tenants.client(name);
  const started = Date.now();
  const page = await client.jobs.query({ pageSize: 1, fields: ['_id'] });
  return { ms: Date.now() - started, jobs: page.totalPagedResults ?? page.resultCount };
}

export async function testConnection(shell: Shell, arg?: unknown): Promise<boolean> {
  const side = await shell.tenants();
  const name = side.requireTenant(tenantOf(arg));
  try {
    const { ms, jobs } = await probe(side, name);
    side.log.info(`Connection to ${name} OK (${ms} ms, ${jobs} jobs visible)`);
    void vscode.window.showInformationMessage(`Scan Jobs: connected to ${name} (${ms} ms).`);
    return true;
  } catch (e) {
    side.log.error(`Connection to ${name} failed: ${e instanceof Error ? e.message : e}`);
    // The notification then offers Retry, Edit Tenant and Show Output (commands.ts).
    throw new ConnectionFailedError(name, name !== side.localName, e);
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

/**
 * Stops the local tenant, after asking when runs are still in progress on it (they would be
 * interrupted). `'force'` as the argument skips the question (automation and tests).
 */
export async function stopLocalTenant(shell: Shell, arg?: unknown): Promise<boolean> {
  const side = await shell.tenants();
  if (!side.local.url) return false;
  if (arg !== 'force') {
    let going: RunRecord[] = [];
    try {
      const client = await side.tenants.client(side.localName);
      going = runsInProgress(await client.runs.list({ retry: false }));
    } catch (e) {
      side.log.warn(
        `Could not list the local tenant's runs before stopping it: ${e instanceof Error ? e.message : e}`,
      );
    }
    if (going.length > 0) {
      const names = [...new Set(going.map((r) => r.name ?? r._id))].slice(0, 3).join(', ');
      const ok = await vscode.window.showWarningMessage(
        `Stop the local tenant? ${going.length === 1 ? '1 run is' : `${going.length} runs are`} in progress (${names}); stopping interrupts ${going.length === 1 ? 'it' : 'them'}.`,
        { modal: true },
        'Stop Anyway',
      );
      if (ok !== 'Stop Anyway') return false;
    }
  }
  side.following.forget(side.localName);
  side.tenants.dropClient(side.localName);
  await side.local.stop();
  side.model.refresh();
  return true;
}

/** The status item's menu: every tenant action in one place, nothing done by the click itself. */
export async function tenantMenu(shell: Shell): Promise<void> {
  const side = await shell.tenants();
  const active = side.tenants.active;
  const items: (vscode.QuickPickItem & { command?: string; args?: unknown[] })[] = [];
  if (side.tenants.entries().length > 0)
    items.push({
      label: '$(arrow-swap) Switch Active Tenant…',
      description: active ? `now ${active}` : 'none active',
      command: 'scanjobs.selectTenant',
    });
  if (active)
    items.push({
      label: `$(plug) Test Connection to ${active}`,
      command: 'scanjobs.testConnection',
      args: [active],
    });
  items.push({ label: '$(add) Add Tenant…', command: 'scanjobs.addTenant' });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  if (side.local.url) {
    items.push({
      label: '$(debug-stop) Stop Local Tenant',
      description: side.local.url,
      detail: 'Asks first when runs are in progress on it',
      command: 'scanjobs.stopLocalTenant',
    });
  } else {
    items.push({ label: '$(server-process) Start Local Tenant', command: 'scanjobs.startLocalTenant' });
  }
  items.push({ label: '$(output) Show Output', command: 'scanjobs.showOutput' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Scan Jobs: tenants' });
  if (pick?.command) await vscode.commands.executeCommand(pick.command, ...(pick.args ?? []));
}

export async function showOutput(shell: Shell): Promise<void> {
  (await shell.tenants()).log.show(true);
}
