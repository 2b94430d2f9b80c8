import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scanJobsExtension, workspaceRoot } from '../ext';

describe('a workspace without job files', () => {
  it('holds no file in a job layout (the premise of this suite)', async () => {
    const jobs = await vscode.workspace.findFiles(
      '**/{*.scanjob.json,conf/schedule-*.json,schedules/*/*.json,schedule/**/*.idm.json}',
    );
    assert.deepEqual(jobs, []);
  });

  it('does not activate the extension, even with a JSON file open', async () => {
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(workspaceRoot(), 'config', 'settings.json'),
    );
    await vscode.window.showTextDocument(doc);
    // give activation events time to fire if any matched
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(scanJobsExtension().isActive, false);
  });
});
