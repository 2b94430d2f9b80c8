// Rule links (issue 16 item 6): a diagnostic's code (in the hover, the F8 peek and the Problems view)
// opens its rule's section of the installed docs/rules.md rendered, in VS Code's own Markdown preview
// scrolled to the rule's heading, not the raw file at line 1. The link is one of this extension's URIs
// (`<editor scheme>://scanjobs.scanjobs/rule#<code>`): the editor hands it to the handler registered
// here from every place it shows a code, where a `command:` link would only work in the Problems view.
import * as vscode from 'vscode';

/** A rule code as docs/rules.md heads its section: lower case words joined by hyphens. */
const RULE_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The link of a diagnostic code; JobDiagnostics adds the code as its fragment. */
export function ruleLinkBase(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: context.extension.id, path: '/rule' });
}

export function registerRuleLinks(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri: async (uri) => {
        if (uri.path !== '/rule') return;
        await vscode.commands.executeCommand('scanjobs.openRule', uri.fragment);
      },
    }),
  );
}

/**
 * Shows a rule's section rendered: the Markdown preview of the installed docs/rules.md, opened at the
 * heading whose anchor is the code (the preview scrolls to a URI's fragment). Without the built-in
 * Markdown extension, the file opens read at the heading instead. Resolves with what was opened.
 */
export async function openRule(
  context: vscode.ExtensionContext,
  given?: unknown,
): Promise<vscode.Uri | undefined> {
  if (given !== undefined && (typeof given !== 'string' || !RULE_CODE.test(given)))
    throw new Error(`'${String(given)}' is not a rule code (such as filter-syntax): see docs/rules.md`);
  const rules = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md');
  const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(rules)).split('\n');
  const headings = new Map<string, number>();
  lines.forEach((l, i) => {
    const m = /^#{2,3} ([a-z0-9-]+)\s*$/.exec(l);
    if (m) headings.set(m[1], i);
  });
  // From the palette: a pick of every rule.
  const code =
    given ??
    (await vscode.window.showQuickPick([...headings.keys()], { title: 'Open which rule of docs/rules.md?' }));
  if (code === undefined) return undefined;
  const line = headings.get(code);
  if (line === undefined) throw new Error(`docs/rules.md has no section for ${code}`);
  const target = rules.with({ fragment: code });
  try {
    // Not asked of getCommands(): the Markdown extension registers it only once it has activated,
    // which running the command does.
    await vscode.commands.executeCommand('markdown.showPreview', target);
  } catch {
    await vscode.window.showTextDocument(rules, {
      selection: new vscode.Range(line, 0, line, 0),
      preview: true,
    });
  }
  return target;
}
