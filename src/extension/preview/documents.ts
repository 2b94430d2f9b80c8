// Read-only documents for Preview Matches and Dry Run: `scanjobs-preview:/<name>.md` holds a report,
// `scanjobs-preview:/<run>/<id>.before.json` / `.after.json` the two sides of one object's diff.
import * as vscode from 'vscode';

export class PreviewDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'scanjobs-preview';
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PreviewDocuments.scheme, path });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}
