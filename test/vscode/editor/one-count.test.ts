// One problem, one count (issue 16 item 5), with a script open in Edit Script: a script finding
// ("does not end in `true`") is shown in the script's own editor, and the job keeps it as a hint that
// points there, which VS Code neither lists in Problems nor counts in the status bar or on the tab
// (those count errors, warnings and infos). So the finding is counted once across every file, and the
// job's CodeLens says the same count whether the script's tab is open or not. (Seen in the workbench,
// Problems panel and status bar: test/ui/editor-diagnostics.test.ts.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openJob, scanJob } from '../builders';
import { codeOf, waitFor } from '../ext';

// No `true;` at the end: script-not-true, a warning, the job's only problem.
const SCRIPT = 'openidm.patch(objectID, null, []);';

/**
 * What VS Code counts (Problems, status bar, tab badges: errors, warnings and infos, not hints) on the
 * job and its script, from every source.
 */
function counted(
  ...uris: vscode.Uri[]
): { uri: string; code: string; severity: vscode.DiagnosticSeverity }[] {
  return uris.flatMap((uri) =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint)
      .map((d) => ({ uri: uri.toString(), code: codeOf(d), severity: d.severity })),
  );
}

const findingOn = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'script-not-true');

async function validateLens(job: vscode.Uri): Promise<string> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    job,
  );
  const lens = lenses.find((l) => l.command?.command === 'scanjobs.validateJob');
  assert.ok(lens?.command, 'no Validate lens');
  return lens.command.title;
}

describe('one problem, one count, while its script is open', () => {
  let job: vscode.Uri;
  let script: vscode.Uri;

  before(async () => {
    job = (await openJob(scanJob({ source: SCRIPT }), 'counted.scanjob.json')).document.uri;
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('before Edit Script: the job has the warning, counted once', async () => {
    const d = await waitFor('script-not-true on the job', () => findingOn(job));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(counted(job), [
      { uri: job.toString(), code: 'script-not-true', severity: vscode.DiagnosticSeverity.Warning },
    ]);
    // The job's only problem (every source): "0 errors, 1 warning".
    assert.equal(await validateLens(job), '$(warning) Validate (0 errors, 1 warning)');
  });

  it('with the script open: counted once, on the script; the job keeps a hint pointing there', async () => {
    script = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job);
    await waitFor('script-not-true in the script editor', () => findingOn(script));
    const hint = await waitFor('the job to show script-not-true as a hint', () => {
      const d = findingOn(job);
      return d?.severity === vscode.DiagnosticSeverity.Hint ? d : undefined;
    });
    assert.deepEqual(counted(job, script), [
      { uri: script.toString(), code: 'script-not-true', severity: vscode.DiagnosticSeverity.Warning },
    ]);
    assert.equal(hint.relatedInformation?.length, 1);
    assert.equal(hint.relatedInformation![0].location.uri.toString(), script.toString());
    assert.match(hint.relatedInformation![0].message, /counted in counted\.js/);
    // It points at the finding's place in the script: the call, line 1 columns 1-33.
    const at = hint.relatedInformation![0].location.range;
    assert.deepEqual([at.start.line, at.start.character, at.end.line, at.end.character], [0, 0, 0, 33]);
    // The hint offers no fix of its own: the script's tab holds the text that will be saved.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      job,
      hint.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.deepEqual(
      actions.filter((a) => a.title === 'Append `true;` to the script').map((a) => a.title),
      [],
    );
    // The lens counts the job's problems wherever they are shown: the same count as before.
    await waitFor('the lens to count the script finding', async () =>
      (await validateLens(job)) === '$(warning) Validate (0 errors, 1 warning)' ? true : undefined,
    );
  });

  it("when the script's tab closes: back on the job, counted once", async () => {
    await vscode.window.showTextDocument(script);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the script finding to clear', () => findingOn(script) === undefined);
    const d = await waitFor('the job to show script-not-true as a warning again', () => {
      const found = findingOn(job);
      return found?.severity === vscode.DiagnosticSeverity.Warning ? found : undefined;
    });
    assert.equal(d.relatedInformation, undefined);
    assert.deepEqual(counted(job, script), [
      { uri: job.toString(), code: 'script-not-true', severity: vscode.DiagnosticSeverity.Warning },
    ]);
    assert.equal(await validateLens(job), '$(warning) Validate (0 errors, 1 warning)');
  });
});
