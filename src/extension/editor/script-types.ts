// Scan Jobs: Add Script Types to Workspace — copies the shipped script globals' types into the
// workspace (.scanjobs/idm-script.d.ts) and names them in the workspace's jsconfig.json (core
// jsconfigWithScriptTypes), so scripts kept in files (fr-config-manager, Frodo, IDM layouts) get
// completion for input, objectID, openidm and logger.
import * as vscode from 'vscode';
import { SCRIPT_TYPES_PATH, jsconfigWithScriptTypes } from '../../core/job';
import type { Shell } from '../shell';

export async function addScriptTypes(shell: Shell): Promise<vscode.Uri | undefined> {
  const folder =
    vscode.workspace.workspaceFolders?.length === 1
      ? vscode.workspace.workspaceFolders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Add the script types to which folder?' });
  if (!folder) {
    if (!vscode.workspace.workspaceFolders?.length)
      throw new Error('Open a folder first: the types are written into the workspace');
    return undefined;
  }
  const jsconfigUri = vscode.Uri.joinPath(folder.uri, 'jsconfig.json');
  const existing = await vscode.workspace.fs.readFile(jsconfigUri).then(
    (b) => new TextDecoder().decode(b),
    () => undefined,
  );
  const next = jsconfigWithScriptTypes(existing);
  if (!next.ok) throw new Error(next.message);
  const shipped = vscode.Uri.joinPath(shell.context.extensionUri, 'types', 'idm-script.d.ts');
  const target = vscode.Uri.joinPath(folder.uri, ...SCRIPT_TYPES_PATH.split('/'));
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(shipped));
  if (next.changed) await vscode.workspace.fs.writeFile(jsconfigUri, new TextEncoder().encode(next.text));
  void vscode.window.showInformationMessage(
    `Scan Jobs: script types added (${SCRIPT_TYPES_PATH}${next.changed ? (existing === undefined ? ', jsconfig.json created' : ', jsconfig.json updated') : ''}). Scripts in files of this folder now get completion for input, objectID, openidm and logger.`,
  );
  return target;
}
