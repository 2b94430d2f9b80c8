// Edit Script in a trusted workspace, where the TypeScript server gives full IntelliSense: the
// script opened beside its jsconfig.json knows the IDM globals of types/idm-script.d.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openJob, scanJob } from '../builders';
import { waitFor } from '../ext';

describe('Edit Script with full IntelliSense', () => {
  it('completes the methods of `openidm` from types/idm-script.d.ts', async function () {
    this.timeout(90000); // the first request starts the TypeScript server
    const job = (await openJob(scanJob())).document;
    const scriptUri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job.uri);
    const editor = await vscode.window.showTextDocument(scriptUri);
    await editor.edit((b) =>
      b.insert(editor.document.positionAt(editor.document.getText().length), '\nopenidm.'),
    );
    const at = editor.document.positionAt(editor.document.getText().length);
    const labels = await waitFor(
      'TypeScript completions after openidm.',
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          scriptUri,
          at,
          '.',
        );
        const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        // 'query' is not in the script's text, so only the declarations can offer it.
        return names.includes('query') ? names : undefined;
      },
      60000,
    );
    for (const m of ['read', 'query', 'patch', 'update']) assert.ok(labels.includes(m), `${m} missing`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
