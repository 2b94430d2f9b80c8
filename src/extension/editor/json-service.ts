// The JSON editing features of job files (language `scanjob-json`, see job-language.ts): schema
// completion and hover, the outline, folding, smart selection and formatting, from
// vscode-json-languageservice, the library VS Code's own JSON language server runs, fed our
// schemas/scan-job.schema.json. Running it here instead of in VS Code's JSON server is what keeps
// that server's validation off job files, so each problem is reported once, by us, at its exact
// place (issue 16 item 5). Its own validation is off: core's checks report syntax and schema problems.
import * as vscode from 'vscode';
import * as lsp from 'vscode-json-languageservice';
import { JOB_LANGUAGE } from './job-language';

const SCHEMA_URI = 'scanjobs://schemas/scan-job.schema.json';
/** As VS Code's JSON server: past this many symbols or folds, the rest are left out. */
const RESULT_LIMIT = 5000;

const range = (r: lsp.Range) =>
  new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const position = (p: vscode.Position): lsp.Position => ({ line: p.line, character: p.character });

function markdown(
  content: lsp.MarkupContent | lsp.MarkedString | lsp.MarkedString[],
): vscode.MarkdownString[] {
  const parts = Array.isArray(content) ? content : [content];
  return parts.map((c) => {
    if (typeof c === 'string') return new vscode.MarkdownString(c);
    if ('kind' in c)
      return c.kind === 'markdown'
        ? new vscode.MarkdownString(c.value)
        : new vscode.MarkdownString().appendText(c.value);
    return new vscode.MarkdownString().appendCodeblock(c.value, c.language);
  });
}

function completionItem(item: lsp.CompletionItem): vscode.CompletionItem {
  const out = new vscode.CompletionItem(item.label);
  // LSP numbers kinds from 1, VS Code from 0.
  if (item.kind) out.kind = (item.kind - 1) as vscode.CompletionItemKind;
  out.detail = item.detail;
  if (item.documentation) out.documentation = markdown(item.documentation)[0];
  out.sortText = item.sortText;
  out.filterText = item.filterText;
  out.commitCharacters = item.commitCharacters;
  const snippet = item.insertTextFormat === 2;
  const text = (t: string) => (snippet ? new vscode.SnippetString(t) : t);
  const edit = item.textEdit;
  if (edit && 'range' in edit) {
    out.insertText = text(edit.newText);
    out.range = range(edit.range);
  } else if (edit) {
    out.insertText = text(edit.newText);
    out.range = { inserting: range(edit.insert), replacing: range(edit.replace) };
  } else if (item.insertText !== undefined) out.insertText = text(item.insertText);
  if (item.command)
    out.command = {
      title: item.command.title,
      command: item.command.command,
      arguments: item.command.arguments,
    };
  return out;
}

function documentSymbol(s: lsp.DocumentSymbol): vscode.DocumentSymbol {
  const out = new vscode.DocumentSymbol(
    s.name,
    s.detail ?? '',
    (s.kind - 1) as vscode.SymbolKind,
    range(s.range),
    range(s.selectionRange),
  );
  out.children = (s.children ?? []).map(documentSymbol);
  return out;
}

function selectionRange(s: lsp.SelectionRange): vscode.SelectionRange {
  return new vscode.SelectionRange(range(s.range), s.parent && selectionRange(s.parent));
}

/** A Frodo export holds its jobs under `idm`, keyed `schedule/<name>` (peers.md §1.1). */
const FRODO_EXPORT = {
  type: 'object',
  properties: { idm: { type: 'object', patternProperties: { '^schedule/': { $ref: SCHEMA_URI } } } },
};

function service(schemas: lsp.SchemaConfiguration[]): lsp.LanguageService {
  const s = lsp.getLanguageService({ clientCapabilities: lsp.ClientCapabilities.LATEST });
  s.configure({ validate: false, allowComments: false, schemas });
  return s;
}

export class JobJsonService {
  /** For a job at the root of its file (every layout but Frodo's). */
  private readonly job: lsp.LanguageService;
  /** For a Frodo export: the job schema applies to each `idm["schedule/…"]`. */
  private readonly frodo: lsp.LanguageService;
  private cached?: {
    key: string;
    version: number;
    text: lsp.TextDocument;
    json: lsp.JSONDocument;
    service: lsp.LanguageService;
  };

  constructor(schema: unknown) {
    const jobSchema = { uri: SCHEMA_URI, schema: schema as lsp.JSONSchema };
    this.job = service([{ ...jobSchema, fileMatch: ['*'] }]);
    this.frodo = service([
      jobSchema,
      { uri: 'scanjobs://schemas/frodo-export.json', fileMatch: ['*'], schema: FRODO_EXPORT },
    ]);
  }

  private parse(doc: vscode.TextDocument) {
    const key = doc.uri.toString();
    if (this.cached?.key !== key || this.cached.version !== doc.version) {
      const text = lsp.TextDocument.create(key, 'json', doc.version, doc.getText());
      const json = this.job.parseJSONDocument(text);
      const root = json.root;
      const keys = root?.type === 'object' ? root.properties.map((p) => p.keyNode.value) : [];
      const frodo = keys.includes('idm') && !keys.includes('invokeService');
      this.cached = { key, version: doc.version, text, json, service: frodo ? this.frodo : this.job };
    }
    return this.cached;
  }

  async complete(doc: vscode.TextDocument, at: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const { text, json, service } = this.parse(doc);
    const list = await service.doComplete(text, position(at), json);
    return list ? new vscode.CompletionList(list.items.map(completionItem), list.isIncomplete) : undefined;
  }

  async hover(doc: vscode.TextDocument, at: vscode.Position): Promise<vscode.Hover | undefined> {
    const { text, json, service } = this.parse(doc);
    const hover = await service.doHover(text, position(at), json);
    return hover ? new vscode.Hover(markdown(hover.contents), hover.range && range(hover.range)) : undefined;
  }

  symbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    const { text, json, service } = this.parse(doc);
    return service.findDocumentSymbols2(text, json, { resultLimit: RESULT_LIMIT }).map(documentSymbol);
  }

  folds(doc: vscode.TextDocument): vscode.FoldingRange[] {
    const { text, service } = this.parse(doc);
    return service
      .getFoldingRanges(text, { rangeLimit: RESULT_LIMIT })
      .map(
        (f) =>
          new vscode.FoldingRange(
            f.startLine,
            f.endLine,
            f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined,
          ),
      );
  }

  selections(doc: vscode.TextDocument, at: readonly vscode.Position[]): vscode.SelectionRange[] {
    const { text, json, service } = this.parse(doc);
    return service.getSelectionRanges(text, at.map(position), json).map(selectionRange);
  }

  format(
    doc: vscode.TextDocument,
    within: vscode.Range | undefined,
    options: vscode.FormattingOptions,
  ): vscode.TextEdit[] {
    const { text, service } = this.parse(doc);
    const lspRange = within && { start: position(within.start), end: position(within.end) };
    return service
      .format(text, lspRange, { tabSize: options.tabSize, insertSpaces: options.insertSpaces })
      .map((e) => vscode.TextEdit.replace(range(e.range), e.newText));
  }
}

/** Registers the JSON features for job files; the schema is the one the package ships. */
export async function registerJobJson(extensionUri: vscode.Uri): Promise<vscode.Disposable> {
  const file = vscode.Uri.joinPath(extensionUri, 'schemas', 'scan-job.schema.json');
  const schema: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
  const json = new JobJsonService(schema);
  const selector: vscode.DocumentSelector = { language: JOB_LANGUAGE };
  return vscode.Disposable.from(
    // The same trigger characters as VS Code's JSON server.
    vscode.languages.registerCompletionItemProvider(
      selector,
      { provideCompletionItems: (d, p) => json.complete(d, p) },
      '"',
      ':',
    ),
    vscode.languages.registerHoverProvider(selector, { provideHover: (d, p) => json.hover(d, p) }),
    vscode.languages.registerDocumentSymbolProvider(
      selector,
      { provideDocumentSymbols: (d) => json.symbols(d) },
      { label: 'JSON' },
    ),
    vscode.languages.registerFoldingRangeProvider(selector, { provideFoldingRanges: (d) => json.folds(d) }),
    vscode.languages.registerSelectionRangeProvider(selector, {
      provideSelectionRanges: (d, p) => json.selections(d, p),
    }),
    vscode.languages.registerDocumentFormattingEditProvider(selector, {
      provideDocumentFormattingEdits: (d, o) => json.format(d, undefined, o),
    }),
    vscode.languages.registerDocumentRangeFormattingEditProvider(selector, {
      provideDocumentRangeFormattingEdits: (d, r, o) => json.format(d, r, o),
    }),
  );
}
