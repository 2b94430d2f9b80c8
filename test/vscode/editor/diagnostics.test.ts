import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, scanJob } from '../builders';
import { codeOf, scanJobsDiagnostics, waitFor, workspaceRoot } from '../ext';

const published = () => vscode.Uri.joinPath(workspaceRoot(), 'published', 'sunsetTask.scanjob.json');

function rangeIs(doc: vscode.TextDocument, d: vscode.Diagnostic, start: number, end: number): boolean {
  return d.range.isEqual(new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
}

describe('diagnostics on the documentation job, exactly as published', () => {
  let doc: vscode.TextDocument;
  let diags: vscode.Diagnostic[];

  before(async () => {
    doc = (await vscode.window.showTextDocument(published())).document;
    diags = await scanJobsDiagnostics(doc.uri);
  });

  it('marks the invalid escape `\\{` exactly', () => {
    const at = doc.getText().indexOf('\\{Time.now}');
    assert.ok(at > 0, 'the published job should hold $\\{Time.now}');
    const d = diags.find((x) => codeOf(x) === 'json-invalid-escape');
    assert.ok(d, `no json-invalid-escape among ${diags.map(codeOf).join(', ')}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(rangeIs(doc, d, at, at + 2), `range ${JSON.stringify(d.range)} is not the two characters \\{`);
  });

  it('marks the stray `)` exactly', () => {
    const at = doc.getText().indexOf(') AND !(');
    const d = diags.find((x) => codeOf(x) === 'filter-syntax');
    assert.ok(d, `no filter-syntax among ${diags.map(codeOf).join(', ')}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(rangeIs(doc, d, at, at + 1), `range ${JSON.stringify(d.range)} is not the ')'`);
  });

  it('warns that a simple trigger without startTime fires on every push', () => {
    const d = diags.find((x) => codeOf(x) === 'simple-runs-on-push');
    assert.ok(d, `no simple-runs-on-push among ${diags.map(codeOf).join(', ')}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    const at = doc.getText().indexOf('"simple"');
    assert.ok(rangeIs(doc, d, at, at + '"simple"'.length));
  });

  it('links every rule code to its section of docs/rules.md (rule-links.test.ts opens it)', () => {
    for (const d of diags) {
      assert.ok(typeof d.code === 'object' && d.code !== null, 'the code carries a link');
      assert.equal(
        d.code.target.toString(true),
        `${vscode.env.uriScheme}://scanjobs.scanjobs/rule#${d.code.value}`,
      );
      assert.equal(d.code.target.fragment, String(d.code.value));
    }
  });

  it('applying the quick fixes leaves a file with no errors', async () => {
    const copy = await openFile(
      'sunsetTask.scanjob.json',
      (await vscode.workspace.fs.readFile(published())).toString(),
    );
    const uri = copy.document.uri;
    let errors = (await scanJobsDiagnostics(uri)).filter(
      (d) => d.severity === vscode.DiagnosticSeverity.Error,
    );
    for (let round = 0; errors.length > 0 && round < 10; round++) {
      const d = errors[0];
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      // The actions for exactly this range: ours carry the diagnostic they fix.
      const fix = actions.find(
        (a) => a.edit && (!a.diagnostics || a.diagnostics.some((x) => codeOf(x) === codeOf(d))),
      );
      assert.ok(
        fix,
        `no quick fix offered for ${codeOf(d)}: ${d.message} (offered: ${actions.map((a) => a.title).join('; ')})`,
      );
      const version = copy.document.version;
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      await waitFor('the edit to apply', () => copy.document.version > version);
      errors = (await scanJobsDiagnostics(uri, 'settled')).filter(
        (x) => x.severity === vscode.DiagnosticSeverity.Error,
      );
    }
    assert.deepEqual(
      errors.map((e) => `${codeOf(e)}: ${e.message}`),
      [],
    );
    assert.doesNotThrow(() => JSON.parse(copy.document.getText()), 'the fixed file is valid JSON');
  });
  it('offers a preferred quick fix for each error, and Fix All fixes them in as few rounds as they allow', async () => {
    const copy = await openFile(
      'fixAll.scanjob.json',
      (await vscode.workspace.fs.readFile(published())).toString(),
    );
    await preferredFixesAndFixAll(copy);
  });
});

describe('quick fixes for errors', () => {
  it('fixes a Unix cron, a spelled-out timeout, a shared task-state field and a type in the wrong case', async () => {
    const job = scanJob({ schedule: '30 4 * * 1-5' });
    job.invokeContext.scan.recovery = { timeout: '10 minutes' };
    job.invokeContext.scan.taskState = { started: '/sunset/task-started', completed: '/sunset/task-started' };
    const copy = await openFile(
      'errors.scanjob.json',
      JSON.stringify({ ...job, type: 'Cron' }, null, 2) + '\n',
    );
    const codes = (await scanJobsDiagnostics(copy.document.uri))
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
      .map(codeOf)
      .sort();
    assert.deepEqual([...new Set(codes)], ['cron-invalid', 'recovery-timeout', 'schema-value', 'task-state']);
    await preferredFixesAndFixAll(copy);
    const fixed = JSON.parse(copy.document.getText());
    assert.equal(fixed.type, 'cron');
    assert.equal(fixed.schedule, '0 30 4 ? * MON-FRI');
    assert.equal(fixed.invokeContext.scan.recovery.timeout, '10m');
    assert.deepEqual(fixed.invokeContext.scan.taskState, {
      started: '/sunset/task-started',
      completed: '/sunset/task-completed',
    });
  });
});

/** Every error has a preferred quick fix, and Fix All (source.fixAll.scanjobs) clears them in at most two rounds. */
async function preferredFixesAndFixAll(copy: vscode.TextEditor): Promise<void> {
  const uri = copy.document.uri;
  const errorsOf = async (when?: 'settled') =>
    (await scanJobsDiagnostics(uri, when)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  for (const d of await errorsOf()) {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const ours = actions.filter(
      (a) =>
        a.edit &&
        a.kind?.value === 'quickfix' &&
        (!a.diagnostics || a.diagnostics.some((x) => codeOf(x) === codeOf(d))),
    );
    assert.ok(
      ours.some((a) => a.isPreferred),
      `${codeOf(d)} has a preferred fix (offered: ${ours.map((a) => `${a.title}${a.isPreferred ? ' *' : ''}`).join('; ')})`,
    );
  }
  let rounds = 0;
  for (; (await errorsOf('settled')).length > 0 && rounds < 5; rounds++) {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(0, 0, 0, 0),
      'source.fixAll.scanjobs',
    );
    const all = actions.find((a) => a.kind?.value === 'source.fixAll.scanjobs');
    assert.ok(all?.edit, `Fix All is offered (got: ${actions.map((a) => a.title).join('; ')})`);
    const version = copy.document.version;
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    await waitFor('the edit to apply', () => copy.document.version > version);
  }
  assert.deepEqual(
    (await errorsOf('settled')).map((e) => `${codeOf(e)}: ${e.message}`),
    [],
  );
  assert.ok(rounds <= 2, `Fix All took ${rounds} rounds`);
}
