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

describe('a script file beside its job, closed or open', () => {
  // Line 2 (0-based 1) is the call, columns 0-32; the script does not end in `true;`.
  const SCRIPT = 'var p = [];\nopenidm.patch(objectID, null, p);\n';
  const at = (d: vscode.Diagnostic) =>
    `${codeOf(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
  const notTrue = (uri: vscode.Uri) =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.source === 'scanjobs' && codeOf(d) === 'script-not-true')
      .map(at);

  it('places the finding at its line while the script is closed, and keeps it when it opens and closes', async () => {
    const folder = await copyExample('fr-config-manager/schedules/sunset');
    const script = vscode.Uri.joinPath(folder, 'sunset.js');
    await vscode.workspace.fs.writeFile(script, Buffer.from(SCRIPT, 'utf8'));
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'sunset.json'));
    const expected = ['script-not-true 1:0-1:32'];
    await waitFor('the finding on the closed script file', () => notTrue(script).length > 0);
    assert.deepEqual(notTrue(script), expected);
    await vscode.window.showTextDocument(script);
    await scanJobsDiagnostics(script, 'settled');
    assert.deepEqual(notTrue(script), expected, 'opening the script keeps its finding');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await scanJobsDiagnostics(script, 'settled');
    assert.deepEqual(notTrue(script), expected, 'a file on disk keeps its finding while its job is open');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
