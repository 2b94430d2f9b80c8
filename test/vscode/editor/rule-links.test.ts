// A diagnostic's code link opens its rule rendered (issue 16 item 6): the link goes through the
// editor's opener to the extension's URI handler, which opens the built-in Markdown preview of the
// installed docs/rules.md at the rule's heading. (That the preview shows the rule's heading at its top
// is seen in the workbench by test/ui/editor-diagnostics.test.ts.) This suite's workspace is in
// Restricted Mode, where reading the rules is allowed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, scanJobsApi, scanJobsDiagnostics, waitFor, workspaceRoot } from '../ext';

const published = () => vscode.Uri.joinPath(workspaceRoot(), 'published', 'sunsetTask.scanjob.json');

/** The active tab when it is a Markdown preview, with its label. */
function activePreview(): vscode.Tab | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType)
    ? tab
    : undefined;
}

describe('rule links', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("opens a diagnostic's code link as the rendered Markdown of docs/rules.md, not the raw file", async () => {
    const doc = (await vscode.window.showTextDocument(published())).document;
    const d = (await scanJobsDiagnostics(doc.uri)).find((x) => codeOf(x) === 'json-invalid-escape');
    assert.ok(d && typeof d.code === 'object', 'no linked json-invalid-escape on the published job');
    // What a click on the code in the hover, the F8 peek or the Problems view does.
    await vscode.commands.executeCommand('vscode.open', d.code.target);
    const tab = await waitFor('the Markdown preview of rules.md', activePreview, 30_000);
    assert.match(tab.label, /rules\.md/);
    // No text editor on rules.md was opened (the raw file at line 1 was the old behaviour).
    assert.ok(
      !vscode.window.visibleTextEditors.some((e) => e.document.uri.path.endsWith('/docs/rules.md')),
      'rules.md opened as text',
    );
  });

  it('Open Rule opens the section of a code given, and says which codes are not rules', async () => {
    const opened = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.openRule', 'filter-syntax');
    assert.ok(opened.path.endsWith('/docs/rules.md'), opened.toString());
    assert.equal(opened.fragment, 'filter-syntax');
    await waitFor('the Markdown preview of rules.md', activePreview, 30_000);

    const before = scanJobsApi().shownMessages().length;
    assert.equal(await vscode.commands.executeCommand('scanjobs.openRule', 'no-such-rule'), undefined);
    assert.equal(await vscode.commands.executeCommand('scanjobs.openRule', '../README'), undefined);
    const texts = scanJobsApi()
      .shownMessages()
      .slice(before)
      .map((m) => m.text);
    assert.deepEqual(texts, [
      'Scan Jobs: Open Rule: docs/rules.md has no section for no-such-rule',
      "Scan Jobs: Open Rule: '../README' is not a rule code (such as filter-syntax): see docs/rules.md",
    ]);
  });
});
