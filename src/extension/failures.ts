// The one failure report: what a command's failure tells the user (a notification naming the command,
// the tenant it talked to and why) and what it keeps (the stack in the output channel). A failure to
// reach or sign in to a tenant offers Retry (the same command, the same arguments), Edit Tenant and
// Show Output (issue 16 item 3). Errors are recognised by name: this runs in the small entry bundle,
// which does not load the tenant layer that raised them.
import * as vscode from 'vscode';
import { isExpected, type ConnectionFailedError } from './errors';
import type { Shell } from './shell';

/** One call of a command: what Retry calls again, and the tenant it talked to (set as it runs). */
export interface CommandRun {
  readonly command: string;
  readonly args: readonly unknown[];
  tenant?: { name: string; editable: boolean };
}

/**
 * The tenant could not be reached or refused the sign-in: a transport failure (DNS, refused, TLS, a
 * timeout, a dropped connection), a refused or failed sign-in, or 401/403 from the tenant.
 */
export function isConnectionFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'NetworkError' || e.name === 'AuthError' || e.name === 'ConnectionFailedError') return true;
  const status = (e as { status?: unknown }).status;
  return e.name === 'CrestError' && (status === 401 || status === 403);
}

export function reportFailure(shell: Shell, run: CommandRun, e: unknown): void {
  const title = shell.commandTitle(run.command);
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error && e.stack ? e.stack : message;
  const failed =
    e instanceof Error && e.name === 'ConnectionFailedError' ? (e as ConnectionFailedError) : undefined;
  const tenant = failed ? { name: failed.tenant, editable: failed.editable } : run.tenant;
  const what = tenant ? `${title} on ${tenant.name}` : title;
  if (isExpected(e)) shell.log.warn(`${what} failed: ${message}\n${stack}`);
  else shell.log.error(`${what} failed unexpectedly: ${stack}`);
  const text = `Scan Jobs: ${what}: ${message}`;
  if (e instanceof Error && e.name === 'NoTenantError') {
    shell.notify('error', text, ['Add Tenant', 'Start Local Tenant'], (pick) =>
      vscode.commands.executeCommand(
        pick === 'Add Tenant' ? 'scanjobs.addTenant' : 'scanjobs.startLocalTenant',
      ),
    );
    return;
  }
  if (tenant && isConnectionFailure(e)) {
    // Add and Edit Tenant have saved the profile by then: trying again is testing the connection.
    const retry = failed?.retry ?? { command: run.command, args: run.args };
    const actions = ['Retry', ...(tenant.editable ? ['Edit Tenant'] : []), 'Show Output'];
    shell.notify('error', text, actions, (pick) => {
      if (pick === 'Retry') return vscode.commands.executeCommand(retry.command, ...retry.args);
      if (pick === 'Edit Tenant') return vscode.commands.executeCommand('scanjobs.editTenant', tenant.name);
      shell.log.show(true);
      return undefined;
    });
    return;
  }
  shell.notify('error', text, ['Show Output'], () => shell.log.show(true));
}
