import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { copyExample } from '../builders';
import { codeOf, hoverText, scanJobsDiagnostics, waitFor } from '../ext';

describe('a job in the fr-config-manager layout (schedules/<name>/<name>.json + <name>.js)', () => {
  let folder: vscode.Uri;
  let job: vscode.TextDocument;

  before(async () => {
    folder = await copyExample('fr-config-manager/schedules/sunset');
    job = (await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'sunset.json'))).document;
  });

  it('documents a field on hover (the JSON schema is not bound to this layout by file name)', async () => {
    const text = await hoverText(job, job.getText().indexOf('"numberOfThreads"') + 3);
    assert.match(text, /Workers per run/);
  });

  it('puts a syntax error of the script file on the script file, at its place', async () => {
    const script = vscode.Uri.joinPath(folder, 'sunset.js');
    const broken = 'var patch = ;\ntrue;';
    const editor = await vscode.window.showTextDocument(script);
    await editor.edit((b) => b.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), broken));
    // Editing the script (unsaved) is enough: the open job beside it is checked again.
    const found = await waitFor('a script-syntax problem on sunset.js', () =>
      vscode.languages
        .getDiagnostics(script)
        .find((d) => d.source === 'scanjobs' && codeOf(d) === 'script-syntax'),
    );
    const at = broken.indexOf(';');
    assert.ok(found.range.start.isEqual(editor.document.positionAt(at)), JSON.stringify(found.range));
    assert.deepEqual(
      (await scanJobsDiagnostics(job.uri, 'settled')).filter(
        (d) => d.severity === vscode.DiagnosticSeverity.Error,
      ),
      [],
    );
  });
});
