// Script findings in the script's own editor (issue 16 item 4): the script Edit Script opens shows
// the script rules' findings at their place in the script text (not the JSON's, where escapes shift
// them), follows typing, offers the same quick fixes, and is cleared when fixed or closed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openJob, scanJob } from '../builders';
import { codeOf, waitFor } from '../ext';

// Line 0: `var s = "é<tab>";` (the quotes, the tab and the newline are escapes in the job's JSON);
// line 1: `openidm.patch(objectID, null, []);`, the call is columns 0-32: no `true;` at the end.
const SCRIPT = 'var s = "é\t";\nopenidm.patch(objectID, null, []);';

const at = (d: vscode.Diagnostic) =>
  `${codeOf(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'scanjobs');

describe("script findings in the script's own editor", () => {
  let job: vscode.TextDocument;
  let scriptUri: vscode.Uri;

  before(async () => {
    job = (await openJob(scanJob({ source: SCRIPT }))).document;
    scriptUri = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.editScript', job.uri);
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('shows script-not-true in the script at the last statement, line 2 columns 1-33', async () => {
    const found = await waitFor('a finding in the script editor', () =>
      ours(scriptUri).length ? ours(scriptUri) : undefined,
    );
    assert.deepEqual(found.map(at), ['script-not-true 1:0-1:33']);
    assert.match(found[0].message, /not `true`/);
    // The job keeps its own copy, at the JSON's place, as a hint pointing at the script (counted once:
    // test/vscode/editor/one-count.test.ts).
    const kept = await waitFor('the job to keep script-not-true as a hint', () =>
      ours(job.uri).find(
        (d) => codeOf(d) === 'script-not-true' && d.severity === vscode.DiagnosticSeverity.Hint,
      ),
    );
    assert.equal(kept.relatedInformation?.[0]?.location.uri.toString(), scriptUri.toString());
  });

  it('offers the quick fix there, preferred; applying it clears the finding', async () => {
    const [finding] = ours(scriptUri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      scriptUri,
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Append `true;` to the script');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const doc = await vscode.workspace.openTextDocument(scriptUri);
    assert.equal(doc.getText(), SCRIPT + '\ntrue;');
    await waitFor('the script finding to clear', () => ours(scriptUri).length === 0);
  });

  it('follows typing: a syntax error shows where it is typed, before any save', async () => {
    const editor = await vscode.window.showTextDocument(scriptUri);
    // `var s = "é<tab>";` becomes `var s = ;`: the `;` at column 8 is unexpected.
    await editor.edit((b) => b.replace(new vscode.Range(0, 8, 0, 12), ''));
    assert.equal(editor.document.lineAt(0).text, 'var s = ;');
    const found = await waitFor('script-syntax in the script editor', () =>
      ours(scriptUri).find((d) => codeOf(d) === 'script-syntax'),
    );
    assert.equal(at(found), 'script-syntax 0:8-0:9');
  });

  it("clears the findings when the script's tab closes, and shows them again when it reopens", async () => {
    const doc = await vscode.workspace.openTextDocument(scriptUri);
    await doc.save(); // written back into the job; closing a saved editor asks nothing
    assert.ok(ours(scriptUri).length > 0);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the script findings to clear on close', () => ours(scriptUri).length === 0);
    await vscode.window.showTextDocument(scriptUri);
    const again = await waitFor('the findings again in the reopened script', () =>
      ours(scriptUri).length ? ours(scriptUri) : undefined,
    );
    assert.deepEqual(again.map(at), ['script-syntax 0:8-0:9']);
  });
});
