// Runs first in the editor window (files run in name order): a job file opened as the very first
// thing must turn on scanjobs.jobFileActive, which enables the job commands (Validate, Push, …),
// even though opening it is what loads the editor features; and the tenant side stays unloaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scanJobsApi as api, scanJobsExtension, waitFor, workspaceRoot } from '../ext';

const jobFileActive = () => api().contextKey('scanjobs.jobFileActive');

describe('the first job file opened in a window', () => {
  before(async () => {
    const ext = scanJobsExtension();
    await waitFor('the extension to activate', () => ext.isActive);
  });

  it('turns scanjobs.jobFileActive on when opened before anything else', async () => {
    assert.equal(api().loadedParts().includes('editor'), false, 'no JSON document was open yet');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'sunset.scanjob.json'));
    await waitFor('scanjobs.jobFileActive', jobFileActive, 5000);
    // The job commands' `when` clauses read this key; Push also needs a connected tenant.
    const manifest = scanJobsExtension().packageJSON as {
      contributes: { menus: { commandPalette: { command: string; when?: string }[] } };
    };
    const when = (c: string) => manifest.contributes.menus.commandPalette.find((m) => m.command === c)?.when;
    assert.equal(when('scanjobs.validateJob'), 'scanjobs.jobFileActive');
    assert.match(when('scanjobs.pushJob') ?? '', /scanjobs\.jobFileActive/);
  });

  it('leaves the tenant side unloaded: no tenant view was shown and no tenant command ran', () => {
    assert.deepEqual(api().loadedParts(), ['editor']);
    assert.equal(api().contextKey('scanjobs.tenantConnected'), false);
  });

  it('follows a job file whose language changes without a new version', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'fr-config-manager/schedules/sunset/sunset.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor('scanjobs.jobFileActive on the fr-config-manager job', jobFileActive, 5000);
    const plain = await vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
    await waitFor('scanjobs.jobFileActive off for plain text', () => !jobFileActive(), 5000);
    const json = await vscode.languages.setTextDocumentLanguage(plain, 'json');
    assert.equal(json.version, doc.version, 'the premise: a language change keeps the version');
    await waitFor('scanjobs.jobFileActive on again once it is JSON', jobFileActive, 5000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
