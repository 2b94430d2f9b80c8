// One problem, one squiggle (issue 16 item 5): VS Code's JSON server reports an invalid escape over
// the whole string, on top of our exact mark. Job files have a language of their own (scanjob-json)
// that the JSON server does not validate; our in-process JSON service keeps schema completion,
// hover, the outline and formatting. Every other JSON file keeps VS Code's JSON validation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { copyExample, openFile } from '../builders';
import { codeOf, hoverText, scanJobsDiagnostics, waitFor } from '../ext';

// A job whose filter holds `\d`, an escape JSON does not have (line 9 below).
const JOB_LINES = [
  '{',
  '  "enabled": true,',
  '  "type": "cron",',
  '  "schedule": "0 0 2 ? * SUN",',
  '  "persisted": true,',
  '  "invokeService": "taskscanner",',
  '  "invokeContext": {',
  '    "scan": {',
  '      "_queryFilter": "/s/date lt \\"${Time.now}\\" and !(/s/completed pr) and /mail sw \\"a\\d\\"",',
  '      "object": "managed/alpha_user",',
  '      "taskState": { "started": "/s/started", "completed": "/s/completed" }',
  '    },',
  '    "task": { "script": { "type": "text/javascript", "source": "true;" } }',
  '  }',
  '}',
  '',
];
const JOB = JOB_LINES.join('\n');
// Counted by hand on line 9 (0-based 8): the string opens at column 22, `\d` is columns 89-90,
// the closing quote is at column 93. The filter has no other problem (scanjobs validate: 1 error).
const FILTER_STRING = new vscode.Range(8, 22, 8, 94);
const ESCAPE = new vscode.Range(8, 89, 8, 91);

const describeRange = (r: vscode.Range) =>
  `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const listed = (ds: vscode.Diagnostic[]) =>
  ds.map((d) => `${d.source}(${codeOf(d)}) ${describeRange(d.range)} ${d.message}`).join('\n');

/** Every problem any source reports on the filter string of the document. */
const onFilter = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.range.intersection(FILTER_STRING) !== undefined);

/**
 * Opens a plain JSON file (not a job) with an invalid escape and waits for VS Code's JSON server to
 * report it: the server is running and has caught up with the documents opened before it.
 */
async function jsonServerReports(): Promise<vscode.Diagnostic[]> {
  // Not settings.json: VS Code opens that name as JSON with comments.
  const plain = await openFile('control.json', String.raw`{ "pattern": "\d+" }` + '\n');
  return waitFor(
    "VS Code's JSON server to report the plain JSON file's invalid escape",
    () => {
      const found = vscode.languages.getDiagnostics(plain.document.uri).filter((d) => d.source === 'json');
      return found.length ? found : undefined;
    },
    30000,
  );
}

async function inJobLanguage(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return waitFor(`${uri.path} in the scanjob-json language`, () =>
    vscode.workspace.textDocuments.find(
      (d) => d.uri.toString() === uri.toString() && d.languageId === 'scanjob-json',
    ),
  );
}

describe('one problem, one squiggle', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('a *.scanjob.json file: the invalid escape has exactly one diagnostic, ours, on `\\d`', async () => {
    const editor = await openFile('escape.scanjob.json', JOB);
    assert.equal(editor.document.languageId, 'scanjob-json');
    await scanJobsDiagnostics(editor.document.uri);
    const control = await jsonServerReports();
    assert.equal(control.length, 1, listed(control));
    assert.equal(describeRange(control[0].range), '0:13-0:18', 'VS Code marks the whole plain string');

    const all = onFilter(editor.document.uri);
    assert.equal(all.length, 1, listed(all));
    assert.equal(all[0].source, 'scanjobs');
    assert.equal(codeOf(all[0]), 'json-invalid-escape');
    assert.equal(describeRange(all[0].range), describeRange(ESCAPE));
    assert.deepEqual(
      vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source !== 'scanjobs'),
      [],
    );
  });

  it('a job file found by content (a plain .json) is switched to the job language: one diagnostic', async () => {
    const opened = await openFile('schedule-escape.json', JOB);
    const doc = await inJobLanguage(opened.document.uri);
    await scanJobsDiagnostics(doc.uri);
    await jsonServerReports();
    const all = onFilter(doc.uri);
    assert.equal(all.length, 1, listed(all));
    assert.equal(all[0].source, 'scanjobs');
    assert.equal(describeRange(all[0].range), describeRange(ESCAPE));
  });

  it('the method can fail: a job file the user turns back to JSON gets both marks (and stays JSON)', async () => {
    const editor = await openFile('chosen.scanjob.json', JOB);
    await scanJobsDiagnostics(editor.document.uri);
    const json = await vscode.languages.setTextDocumentLanguage(editor.document, 'json');
    const both = await waitFor('both marks on the filter of the JSON document', () => {
      const found = onFilter(json.uri);
      return found.length === 2 ? found : undefined;
    });
    const bySource = both.map((d) => `${d.source} ${describeRange(d.range)}`).sort();
    assert.deepEqual(bySource, [`json ${describeRange(FILTER_STRING)}`, `scanjobs ${describeRange(ESCAPE)}`]);
    await scanJobsDiagnostics(json.uri, 'settled');
    assert.equal(
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === json.uri.toString())?.languageId,
      'json',
      'the user chose JSON: it is not switched back',
    );
  });

  it('other JSON files keep VS Code JSON validation and language', async () => {
    const control = await jsonServerReports();
    assert.equal(control[0].message, 'Invalid escape character in string.');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/control.json'));
    assert.equal(doc?.languageId, 'json');
  });

  describe("the job language keeps JSON's editing features, from the job schema", () => {
    it('completes property names with their schema documentation', async () => {
      const editor = await openFile('complete.scanjob.json', '{\n  \n}\n');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        new vscode.Position(1, 2),
      );
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const name of ['invokeService', 'invokeContext', 'concurrentExecution', 'schedule'])
        assert.ok(labels.includes(name), `${name} among ${labels.join(', ')}`);
      const item = list.items.find((i) => i.label === 'concurrentExecution');
      const doc = item?.documentation;
      assert.match(
        typeof doc === 'string' ? doc : (doc?.value ?? ''),
        /\*\*Default `false`\*\*: the same job never runs twice at once/,
      );
    });

    it('completes the values of a boolean field', async () => {
      const editor = await openFile('values.scanjob.json', '{\n  "enabled": \n}\n');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        new vscode.Position(1, 13),
      );
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('true') && labels.includes('false'), labels.join(', '));
    });

    it('hovers a field with its schema description', async () => {
      const editor = await openFile('hover.scanjob.json', JOB);
      // "invokeService" on line 6, column 4
      const text = await hoverText(editor.document, editor.document.offsetAt(new vscode.Position(5, 5)));
      assert.match(text, /The service the job calls\. For a scan job: exactly \*\*`taskscanner`\*\*/);
    });

    it('outlines, folds and formats the job', async () => {
      const editor = await openFile('shape.scanjob.json', JOB);
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        editor.document.uri,
      );
      const context = symbols.find((s) => s.name === 'invokeContext');
      assert.deepEqual(
        context?.children.map((c) => c.name),
        ['scan', 'task'],
      );
      const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>(
        'vscode.executeFoldingRangeProvider',
        editor.document.uri,
      );
      assert.ok(
        // invokeContext's braces: lines 6-13; a fold ends on the line before its closing brace.
        folds.some((f) => f.start === 6 && f.end === 12),
        JSON.stringify(folds),
      );
      const compact = await openFile('compact.scanjob.json', '{"enabled":true,"invokeContext":{"scan":{}}}');
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
        'vscode.executeFormatDocumentProvider',
        compact.document.uri,
        { tabSize: 2, insertSpaces: true },
      );
      const edit = new vscode.WorkspaceEdit();
      edit.set(compact.document.uri, edits);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(
        compact.document.getText(),
        '{\n  "enabled": true,\n  "invokeContext": {\n    "scan": {}\n  }\n}',
      );
    });

    it('documents a field once in a job found by content (fr-config-manager layout)', async () => {
      const folder = await copyExample('fr-config-manager/schedules/sunset');
      const opened = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'sunset.json'));
      const doc = await inJobLanguage(opened.uri);
      const text = await hoverText(doc, doc.getText().indexOf('"numberOfThreads"') + 3);
      assert.equal(text.split('Workers per run').length - 1, 1, text);
    });

    it('applies the job schema to each job of a Frodo export, not to the export itself', async () => {
      const lines = [
        '{',
        '  ',
        '  "idm": {',
        '    "schedule/sunset": {',
        '      "type": "cron",',
        '      "invokeService": "taskscanner",',
        '      ',
        '    }',
        '  }',
        '}',
      ];
      const opened = await openFile('export.idm.json', lines.join('\n') + '\n');
      const doc = await inJobLanguage(opened.document.uri);
      const labelsAt = async (line: number, character: number) => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          doc.uri,
          new vscode.Position(line, character),
        );
        // Not the editor's word-based suggestions (kind Text), offered when no provider has any.
        return list.items
          .filter((i) => i.kind !== vscode.CompletionItemKind.Text)
          .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      };
      const root = await labelsAt(1, 2);
      assert.ok(!root.includes('invokeService') && !root.includes('schedule'), root.join(', '));
      const inJob = await labelsAt(6, 6);
      assert.ok(inJob.includes('invokeContext') && inJob.includes('schedule'), inJob.join(', '));
      const hover = await hoverText(doc, doc.offsetAt(new vscode.Position(5, 8)));
      assert.match(hover, /The service the job calls/);
    });
  });
});
