import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openJob, scanJob } from '../builders';

const filter = '/sunset/date lt "${Time.now}" and ';

describe('completion inside _queryFilter', () => {
  let editor: vscode.TextEditor;
  /** The document position of value index i of the filter (escapes counted). */
  let at: (i: number) => vscode.Position;

  before(async () => {
    editor = await openJob(scanJob({ filter }));
    const text = editor.document.getText();
    const base = text.indexOf(JSON.stringify(filter)) + 1;
    assert.ok(base > 0);
    at = (i) => editor.document.positionAt(base + JSON.stringify(filter.slice(0, i)).length - 2);
  });

  async function labelsAt(i: number): Promise<string[]> {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      at(i),
    );
    return list.items.map((it) => (typeof it.label === 'string' ? it.label : it.label.label));
  }

  it('offers the job’s pointers where a filter starts', async () => {
    const labels = await labelsAt(0);
    for (const p of ['/sunset/task-started', '/sunset/task-completed', '/sunset/date', '!']) {
      assert.ok(labels.includes(p), `${p} missing from ${labels.join(' ')}`);
    }
    assert.ok(!labels.includes('eq'));
  });

  it('offers operators after a pointer, also while one is being typed', async () => {
    const afterPointer = await labelsAt('/sunset/date '.length);
    for (const op of ['eq', 'co', 'sw', 'lt', 'le', 'gt', 'ge', 'pr'])
      assert.ok(afterPointer.includes(op), `${op} missing`);
    assert.ok(!afterPointer.includes('/sunset/task-started'));
    assert.ok((await labelsAt('/sunset/date l'.length)).includes('lt'));
  });

  it('offers ${Time.now} and its offsets inside a quoted value', async () => {
    const labels = await labelsAt('/sunset/date lt "'.length);
    assert.ok(labels.includes('${Time.now}'), labels.join(' '));
    assert.ok(labels.includes('${Time.now - 1d}'));
  });

  it('offers and/or after a complete comparison, and pointers again after `and`', async () => {
    const connective = await labelsAt('/sunset/date lt "${Time.now}" '.length);
    assert.deepEqual(connective.filter((l) => l === 'and' || l === 'or').sort(), ['and', 'or']);
    assert.ok(!connective.includes('eq'));
    assert.ok((await labelsAt(filter.length)).includes('/sunset/task-completed'));
  });

  it('inserts JSON-escaped text: a value completion writes \\" quotes', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      at('/sunset/date lt '.length),
    );
    const quoted = list.items.find((it) => it.label === '"${Time.now}"');
    assert.ok(quoted, 'no quoted macro offered after an operator');
    assert.equal(quoted.insertText, '\\"${Time.now}\\"');
  });
});
