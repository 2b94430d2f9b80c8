// The job language's editor defaults (package.json `configurationDefaults["[scanjob-json]"]`). Job
// files open in the language `scanjob-json`, so a user's `[json]` settings do not reach them: the
// language comes with JSON's own defaults (suggestions inside strings, replace on accept) and formats
// with the extension's JSON service even when the user's default formatter is another. How users carry
// their `[json]` settings over (docs/extension.md "Your [json] settings") is checked here as VS Code
// 1.139 reads it: a `[scanjob-json]` block always applies; a `[json][scanjob-json]` block applies to
// both languages except for the settings the extension gives the job language a default for.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, scanJob } from '../builders';
import { waitFor } from '../ext';

const forLanguage = (languageId: string) => vscode.workspace.getConfiguration('editor', { languageId });
const user = vscode.ConfigurationTarget.Global;

/** Sets (or with undefined removes) a top-level key of the user settings, such as `[scanjob-json]`. */
const setUser = (key: string, value: unknown) => vscode.workspace.getConfiguration().update(key, value, user);

/** A job file with nothing to detect an indentation from, open in an editor. */
async function oneLineJob(name: string): Promise<vscode.TextEditor> {
  const editor = await openFile(name, JSON.stringify(scanJob()));
  assert.equal(editor.document.languageId, 'scanjob-json');
  return editor;
}

describe('the job language’s editor defaults', () => {
  afterEach(async () => {
    for (const key of ['[json][scanjob-json]', '[scanjob-json]', 'editor.defaultFormatter'])
      await setUser(key, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('are in effect for scanjob-json: JSON’s suggestion defaults and our formatter', () => {
    const editor = forLanguage('scanjob-json');
    const expected: [string, unknown][] = [
      ['quickSuggestions', { strings: true }],
      ['suggest.insertMode', 'replace'],
      ['defaultFormatter', 'scanjobs.scanjobs'],
    ];
    for (const [key, value] of expected) {
      assert.deepEqual(editor.inspect(key)?.defaultLanguageValue, value, key);
      const seen = editor.get(key);
      if (key === 'quickSuggestions') assert.equal((seen as { strings: unknown }).strings, true);
      else assert.equal(seen, value, key);
    }
    // Plain JSON is left alone.
    assert.notEqual(forLanguage('json').get('defaultFormatter'), 'scanjobs.scanjobs');
  });

  it('formats job files with the job formatter even when the user’s default formatter is another', async () => {
    // The user's formatter for everything: VS Code's JSON formatter, which does not format job files.
    await setUser('editor.defaultFormatter', 'vscode.json-language-features');
    assert.equal(forLanguage('scanjob-json').get('defaultFormatter'), 'scanjobs.scanjobs');
    const editor = await oneLineJob('oneline.scanjob.json');
    const indent = Number(editor.options.tabSize);
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await waitFor('the job file formatted', () => editor.document.lineCount > 1 || undefined);
    assert.equal(editor.document.getText().trimEnd(), JSON.stringify(scanJob(), null, indent));
  });

  it('takes the user’s [scanjob-json] block, over its defaults', async () => {
    await setUser('[scanjob-json]', {
      'editor.tabSize': 6,
      'editor.formatOnSave': true,
      'editor.suggest.insertMode': 'insert',
    });
    const editor = forLanguage('scanjob-json');
    await waitFor('the block read', () => editor.get('tabSize') === 6 || undefined);
    assert.equal(forLanguage('scanjob-json').get('formatOnSave'), true);
    assert.equal(forLanguage('scanjob-json').get('suggest.insertMode'), 'insert');
    const opened = await oneLineJob('six.scanjob.json');
    assert.equal(opened.options.tabSize, 6);
  });

  it('takes a [json][scanjob-json] block for both languages, except where a language has a default of its own', async () => {
    await setUser('[json][scanjob-json]', {
      'editor.tabSize': 8,
      'editor.formatOnSave': true,
      'editor.suggest.insertMode': 'insert',
    });
    await waitFor('the block read', () => forLanguage('json').get('tabSize') === 8 || undefined);
    for (const language of ['json', 'scanjob-json']) {
      assert.equal(forLanguage(language).get('tabSize'), 8, language);
      assert.equal(forLanguage(language).get('formatOnSave'), true, language);
    }
    // VS Code lets a default for one language win over a block for several: JSON's own default
    // (VS Code's JSON extension) and the job language's (ours) both stay.
    for (const language of ['json', 'scanjob-json'])
      assert.equal(forLanguage(language).get('suggest.insertMode'), 'replace', language);
    const opened = await oneLineJob('eight.scanjob.json');
    assert.equal(opened.options.tabSize, 8);
  });
});
