// The one command registry. Each entry loads its module only when the command first runs, so
// activation registers names, not code. Availability is decided by `when` clauses on context keys
// (package.json "menus"), never inside a handler. The tenant side adds its entries to this table.
import * as vscode from 'vscode';
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
  ...tenantCommandTable,
};

export function registerCommands(shell: Shell): void {
  for (const [id, load] of Object.entries(commandTable)) {
    shell.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          const handler = await load();
          return await handler(shell, ...args);
        } catch (e) {
          if (e instanceof vscode.CancellationError) return undefined; // the user closed a prompt
          // Errors are for people: say which command failed and why.
          const message = e instanceof Error ? e.message : String(e);
          void vscode.window.showErrorMessage(`Scan Jobs: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
