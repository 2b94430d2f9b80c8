// Rule links where VS Code has no Markdown extension (a build without it, or the user disabled it):
// the rule's section cannot be rendered, so docs/rules.md opens as text with the cursor on the rule's
// heading (src/extension/rule-links.ts). This suite's window is a VS Code started without its
// built-in Markdown extension (workspaces.mjs `withoutBuiltins`); where it has one, the rendered
// preview is tested by test/vscode/editor/rule-links.test.ts and test/ui/editor-diagnostics.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openJob, scanJob } from '../builders';
import { codeOf, scanJobsDiagnostics, scanJobsExtension, waitFor } from '../ext';

/** The line of `docs/rules.md` that heads a rule's section, read here from the installed file. */
async function headingLine(code: string): Promise<number> {
  const rules = vscode.Uri.joinPath(scanJobsExtension().extensionUri, 'docs', 'rules.md');
  const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(rules)).split('\n');
  const line = lines.findIndex((l) => l === `## ${code}` || l === `### ${code}`);
  assert.ok(line > 0, `docs/rules.md has no heading for ${code}`);
  return line;
}

/** The editor showing docs/rules.md once it is active, with the line its cursor is on. */
const rulesEditor = () =>
  waitFor('docs/rules.md in a text editor', () => {
    const editor = vscode.window.activeTextEditor;
    return editor?.document.uri.path.endsWith('/docs/rules.md') ? editor : undefined;
  });

function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs.filter((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)),
  );
}

describe('rule links without the Markdown extension', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('runs in a VS Code without it', async () => {
    assert.equal(vscode.extensions.getExtension('vscode.markdown-language-features'), undefined);
    assert.ok(!(await vscode.commands.getCommands(true)).includes('markdown.showPreview'));
  });

  it('Open Rule opens docs/rules.md as text at the rule’s heading', async () => {
    const opened = await vscode.commands.executeCommand<vscode.Uri>('scanjobs.openRule', 'script-not-true');
    assert.equal(opened.fragment, 'script-not-true');
    const editor = await rulesEditor();
    assert.equal(editor.selection.active.line, await headingLine('script-not-true'));
    assert.equal(
      editor.document.lineAt(editor.selection.active.line).text.replace(/^#+ /, ''),
      'script-not-true',
    );
    assert.deepEqual(previewTabs(), []);
  });

  it('a diagnostic’s code link lands on the rule’s heading the same way', async () => {
    const job = (await openJob(scanJob({ source: 'openidm.patch(objectID, null, []);' }))).document;
    const found = await scanJobsDiagnostics(job.uri);
    const d = found.find((x) => codeOf(x) === 'script-not-true');
    assert.ok(d && typeof d.code === 'object', found.map(codeOf).join(', '));
    // What a click on the code in the hover, the F8 peek or the Problems view does.
    await vscode.commands.executeCommand('vscode.open', d.code.target);
    const editor = await rulesEditor();
    assert.equal(editor.selection.active.line, await headingLine('script-not-true'));
    assert.deepEqual(previewTabs(), []);
  });
});
