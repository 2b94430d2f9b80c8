// What the in-editor tests share: the extension under test and waiting for editor state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const extensionId = 'scanjobs.scanjobs';

export function scanJobsExtension(): vscode.Extension<{ activationMs: number }> {
  const ext = vscode.extensions.getExtension<{ activationMs: number }>(extensionId);
  assert.ok(ext, `extension ${extensionId} is not loaded in this window`);
  return ext;
}

/** Polls until probe() returns a value other than undefined/false, or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return folder.uri;
}
