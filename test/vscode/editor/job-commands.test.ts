import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseFilter, printReadable } from '../../../src/core/queryfilter';
import { copyExample, openFile, openJob, readText, scanJob } from '../builders';
import { codeOf, scanJobsDiagnostics } from '../ext';

describe('job commands', () => {
  it('Format Query Filter rewrites the filter in the readable form', async () => {
    const filter = '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))';
    const editor = await openJob(scanJob({ filter }));
    assert.ok(await vscode.commands.executeCommand('scanjobs.formatQueryFilter', editor.document.uri));
    const parsed = parseFilter(filter);
    assert.ok(parsed.ok);
    const job = JSON.parse(editor.document.getText());
    assert.equal(job.invokeContext.scan._queryFilter, printReadable(parsed.ast));
    assert.notEqual(job.invokeContext.scan._queryFilter, filter);
  });

  it('Inline Script then Extract Script to File gives the fr-config-manager files back byte for byte', async () => {
    const folder = await copyExample('fr-config-manager/schedules/sunset');
    const jobUri = vscode.Uri.joinPath(folder, 'sunset.json');
    const scriptUri = vscode.Uri.joinPath(folder, 'sunset.js');
    const [jobBefore, script] = [await readText(jobUri), await readText(scriptUri)];
    await vscode.window.showTextDocument(jobUri);

    await vscode.commands.executeCommand('scanjobs.inlineScript', jobUri);
    const inlined = JSON.parse(await readText(jobUri));
    assert.equal(inlined.invokeContext.task.script.source, script);
    assert.equal(inlined.invokeContext.task.script.file, undefined);

    await vscode.commands.executeCommand('scanjobs.extractScript', jobUri);
    assert.equal(await readText(jobUri), jobBefore);
    assert.equal(await readText(scriptUri), script);
  });

  it('CodeLens offers Validate and Edit Script, and no tenant command while no tenant is connected', async () => {
    const editor = await openJob(scanJob());
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      editor.document.uri,
    );
    const commands = lenses.map((l) => l.command?.command);
    assert.ok(commands.includes('scanjobs.validateJob'), commands.join(' '));
    assert.ok(commands.includes('scanjobs.editScript'), commands.join(' '));
    assert.ok(!commands.includes('scanjobs.pushJob'));
  });

  it('the new-scan-job snippet produces a job without errors', async () => {
    const editor = await openFile('new.scanjob.json', '');
    await vscode.commands.executeCommand('editor.action.insertSnippet', {
      langId: 'json',
      name: 'New scan job (task scanner)',
    });
    assert.match(editor.document.getText(), /"invokeService": "taskscanner"/);
    const errors = (await scanJobsDiagnostics(editor.document.uri, 'settled')).filter(
      (d) => d.severity === vscode.DiagnosticSeverity.Error,
    );
    assert.deepEqual(
      errors.map((d) => `${codeOf(d)}: ${d.message}`),
      [],
    );
    assert.equal(
      JSON.parse(editor.document.getText()).invokeContext.scan._queryFilter,
      '((/sunset/date lt "${Time.now}") and !(/sunset/task-completed pr))',
    );
  });
});
