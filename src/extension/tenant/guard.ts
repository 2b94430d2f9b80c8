// The production guard on every write (peers.md §5.4): a modal confirmation naming the tenant and
// what will change. Development and staging tenants are written without asking.
import * as vscode from 'vscode';
import type { Tenants } from './tenants';

export async function confirmWrite(
  tenants: Tenants,
  tenant: string,
  what: string,
  detail?: string,
): Promise<boolean> {
  if (!tenants.isProduction(tenant)) return true;
  const go = 'Yes, on production';
  const answer = await vscode.window.showWarningMessage(
    `${what} on the PRODUCTION tenant ${tenants.where(tenant)}?`,
    { modal: true, detail },
    go,
  );
  return answer === go;
}
