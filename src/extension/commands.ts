// The one command registry. Each entry loads its module only when the command first runs, so
// activation registers names, not code. Availability is decided by `when` clauses on context keys
// (package.json "menus"), never inside a handler. The tenant side adds its entries to this table.
import * as vscode from 'vscode';
import type { CommandRun } from './failures';
import { loadPart } from './parts';
import { openRule } from './rule-links';
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
  'scanjobs.openRule': async () => (shell, code) => openRule(shell.context, code),
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
  'scanjobs.openRule',
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
          const text = `Scan Jobs: ${shell.commandTitle(id)}: this workspace is in Restricted Mode, where Scan Jobs connects to no tenant and runs no script. Trust the workspace to use this command.`;
          shell.log.info(text);
          shell.notify('warning', text, ['Manage Workspace Trust'], () =>
            vscode.commands.executeCommand('workbench.trust.manage'),
          );
          return new RestrictedModeError(`${id} needs a trusted workspace`);
        }
        const run: CommandRun = { command: id, args };
        try {
          return await shell.runCommand(run, async () => (await load())(shell, ...args));
        } catch (e) {
          if (e instanceof vscode.CancellationError) return undefined; // the user closed a prompt
          shell.reportFailure(run, e);
          return undefined;
        }
      }),
    );
  }
}
