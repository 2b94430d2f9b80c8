// Filter completion from the connected local tenant (runs while c-run's local tenant is up): the
// scanned object's fields come from its /openidm/config/managed schema.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { inspection, scanJob, writeJob } from './support';

describe('filter completion from the connected tenant', () => {
  it("offers the managed object's fields, nested ones included, where a filter starts", async () => {
    assert.equal((await inspection()).activeTenant(), 'local', 'the local tenant should be active here');
    const filter = '/sunset/date pr and ';
    const uri = await writeJob('completionProbe', scanJob({ filter, stateKey: 'probe' }));
    const doc = await vscode.workspace.openTextDocument(uri);
    const end = doc.getText().indexOf(JSON.stringify(filter)) + JSON.stringify(filter).length - 1;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      doc.positionAt(end),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const p of ['/userName', '/mail', '/accountStatus', '/sunset/task-completed', '/probe/started']) {
      assert.ok(labels.includes(p), `${p} missing from ${labels.join(' ')}`);
    }
  });
});
