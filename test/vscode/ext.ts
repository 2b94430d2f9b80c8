// What the in-editor tests share: the extension under test and waiting for editor state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScanJobsApi, ScanJobsTestHooks } from '../../src/extension/extension';

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

/** Our diagnostics for a document, once validation has produced some (or `none` when none are expected). */
export async function scanJobsDiagnostics(
  uri: vscode.Uri,
  expect: 'some' | 'settled' = 'some',
): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'scanjobs');
  if (expect === 'some')
    return waitFor(`scanjobs diagnostics on ${uri.path}`, () => (ours().length ? ours() : undefined));
  // settled: wait past the debounce so a pending validation has run
  const delay = vscode.workspace.getConfiguration('scanjobs.validation').get<number>('delay', 300);
  await new Promise((r) => setTimeout(r, delay + 400));
  return ours();
}

export const codeOf = (d: vscode.Diagnostic): string =>
  String(typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);

/** The text of every hover shown at `offset`, as the hover widget would join it. */
export async function hoverText(doc: vscode.TextDocument, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    doc.positionAt(offset),
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** The extension's API with its test hooks, which exist only in test mode (as these suites run it). */
export function scanJobsApi(): ScanJobsApi & ScanJobsTestHooks {
  const api = scanJobsExtension().exports as unknown as ScanJobsApi;
  if (!api.contextKey || !api.tenantInspection || !api.loadedParts || !api.shownMessages)
    throw new Error('the extension exports no test hooks: it is not running in test mode');
  return api as ScanJobsApi & ScanJobsTestHooks;
}
