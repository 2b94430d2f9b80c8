import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile } from '../builders';
import { codeOf, scanJobsApi, scanJobsDiagnostics, waitFor } from '../ext';

describe('settings', () => {
  const include = () => vscode.workspace.getConfiguration('scanjobs.jobFiles');

  after(async () => {
    await include().update('include', undefined, vscode.ConfigurationTarget.Global);
  });

  it('scanjobs.jobFiles.include makes a file in an unknown layout a job file', async () => {
    // A job being written, that does not name the task scanner yet, is not a job file by content.
    const job = {
      type: 'cron',
      schedule: '0 0 2 * * ?',
      invokeContext: { scan: { object: 'managed/alpha_user' } },
    };
    const editor = await openFile('nightly.json', JSON.stringify(job, null, 2));
    assert.deepEqual(await scanJobsDiagnostics(editor.document.uri, 'settled'), []);
    assert.equal(scanJobsApi().contextKey('scanjobs.jobFileActive'), false);

    // User settings: in Restricted Mode VS Code ignores this setting's workspace value.
    await include().update('include', ['case-*/nightly.json'], vscode.ConfigurationTarget.Global);
    const found = await scanJobsDiagnostics(editor.document.uri);
    assert.ok(
      found.some((d) => codeOf(d) === 'schema-required'),
      found.map(codeOf).join(', '),
    );
    // The job commands follow: the open editor became a job file without any editor event.
    await waitFor('scanjobs.jobFileActive', () => scanJobsApi().contextKey('scanjobs.jobFileActive'));
  });
});
