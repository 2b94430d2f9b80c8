// The one command registry. Each entry loads its module only when the command first runs, so
// activation registers names, not code. Availability is decided by `when` clauses on context keys
// (package.json "menus"), never inside a handler. The tenant side adds its entries to this table.
import * as vscode from 'vscode';
import { isExpected, type ConnectionFailedError } from './errors';
import { loadPart } from './parts';
import type { Shell } from './shell';
import { tenantCommandTable } from './tenant/commands/table';

export type CommandHandler = (shell: Shell, ...args: unknown[]) => unknown;

export const commandTable: Record<string, () => Promise<CommandHandler>> = {
  'scanjobs.validateJob': () => loadPart('editor').then((m) => m.validateJob),
  'scanjobs.formatQueryFilter': () => loadPart('editor').then((m) => m.formatQueryFilter),
  'scanjobs.editScript': () => loadPart('editor').then((m) => m.editScript),
  'scanjobs.extractScript': () => loadPart('editor').then((m) => m.extractScript),
  'scanjobs.inlineScript': () => loadPart('editor').then((m) => m.inlineScript),
  'scanjobs.addScriptTypes': () => loadPart('editor').then((m) => m.addScriptTypes),
  ...tenantCommandTable,
};

/**
 * The commands that work in Restricted Mode: they read and edit the workspace's own files. Every other
 * command talks to a tenant or runs a job's script (the local tenant, a dry run), which an untrusted
 * workspace must not do (package.json `capabilities.untrustedWorkspaces`); a new command is refused
 * there until it is added here.
 */
export const RESTRICTED_MODE_COMMANDS: ReadonlySet<string> = new Set([
  'scanjobs.validateJob',
  'scanjobs.formatQueryFilter',
  'scanjobs.editScript',
  'scanjobs.extractScript',
  'scanjobs.inlineScript',
  'scanjobs.addScriptTypes',
  'scanjobs.showOutput',
  'scanjobs.openExampleJob',
]);

/**
 * What a command that needs a trusted workspace returns in Restricted Mode (after the warning is shown),
 * so a caller such as a test can tell a refusal from a command that ran.
 */
export class RestrictedModeError extends Error {}

export function registerCommands(shell: Shell): void {
  for (const [id, load] of Object.entries(commandTable)) {
    shell.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        if (!vscode.workspace.isTrusted && !RESTRICTED_MODE_COMMANDS.has(id)) {
          const text = `Scan Jobs: ${titleOf(shell, id)}: this workspace is in Restricted Mode, where Scan Jobs connects to no tenant and runs no script. Trust the workspace to use this command.`;
          shell.noteShown('warning', text);
          shell.log.info(text);
          void vscode.window
            .showWarningMessage(text, 'Manage Workspace Trust')
            .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
          return new RestrictedModeError(`${id} needs a trusted workspace`);
        }
        try {
          const handler = await load();
          return await handler(shell, ...args);
        } catch (e) {
          if (e instanceof vscode.CancellationError) return undefined; // the user closed a prompt
          reportFailure(shell, id, e);
          return undefined;
        }
      }),
    );
  }
}

/** The command's title as the palette shows it, e.g. "Cancel Run". */
function titleOf(shell: Shell, id: string): string {
  const commands = (
    shell.context.extension.packageJSON as {
      contributes?: { commands?: { command: string; title: string }[] };
    }
  ).contributes?.commands;
  return commands?.find((c) => c.command === id)?.title ?? id;
}

/**
 * Errors are for people: the notification says which command failed and why; the output channel
 * keeps the stack, as a warning for failures the user can act on, as an error for anything else.
 */
function reportFailure(shell: Shell, id: string, e: unknown): void {
  const title = titleOf(shell, id);
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error && e.stack ? e.stack : message;
  if (isExpected(e)) shell.log.warn(`${title} failed: ${message}\n${stack}`);
  else shell.log.error(`${title} failed unexpectedly: ${stack}`);
  const text = `Scan Jobs: ${title}: ${message}`;
  if (e instanceof Error && e.name === 'NoTenantError') {
    shell.noteShown('error', text);
    void vscode.window.showErrorMessage(text, 'Add Tenant', 'Start Local Tenant').then((pick) => {
      if (pick === 'Add Tenant') void vscode.commands.executeCommand('scanjobs.addTenant');
      if (pick === 'Start Local Tenant') void vscode.commands.executeCommand('scanjobs.startLocalTenant');
    });
    return;
  }
  if (e instanceof Error && e.name === 'ConnectionFailedError') {
    const { tenant, editable } = e as ConnectionFailedError;
    const actions = ['Retry', ...(editable ? ['Edit Tenant'] : []), 'Show Output'];
    shell.noteShown('error', text, actions);
    void vscode.window.showErrorMessage(text, ...actions).then((pick) => {
      if (pick === 'Retry') void vscode.commands.executeCommand('scanjobs.testConnection', tenant);
      if (pick === 'Edit Tenant') void vscode.commands.executeCommand('scanjobs.editTenant', tenant);
      if (pick === 'Show Output') shell.log.show(true);
    });
    return;
  }
  shell.noteShown('error', text);
  void vscode.window.showErrorMessage(text, 'Show Output').then((pick) => {
    if (pick) shell.log.show(true);
  });
}
