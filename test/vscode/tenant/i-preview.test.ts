// Preview Matches and Dry Run Job in the editor, on the local tenant: the numbers against the
// tenant's own count, the report documents, the diff editor for one object, and nothing written.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DryRunReport, Preview } from '../../../src/core/preview';
import { waitFor } from '../ext';
import { writeJob } from './support';

const admin = { 'x-openidm-username': 'openidm-admin', 'x-openidm-password': 'openidm-admin' };

/** A scan job with a task state of its own, so other suites' runs do not change what it sees. */
function previewJob(): Record<string, unknown> {
  return {
    enabled: true,
    persisted: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: 2,
      scan: {
        object: 'managed/alpha_user',
        _queryFilter: '((/sunset/date lt "${Time.now}") AND !(/pv/completed pr))',
        taskState: { started: '/pv/started', completed: '/pv/completed' },
        recovery: { timeout: '10m' },
      },
      task: {
        script: {
          type: 'text/javascript',
          source:
            'logger.info("dry run on {}", input.userName); openidm.patch(objectID, null, [{ operation: "replace", field: "/description", value: "dry-run" }]); true;',
        },
      },
    },
  };
}

describe('Preview Matches and Dry Run Job', () => {
  let url: string;
  let uri: vscode.Uri;
  before(async () => {
    url = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    uri = await writeJob('preview', previewJob());
  });

  async function get(path: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${url}${path}`, { headers: admin });
    return (await res.json()) as Record<string, unknown>;
  }

  it('shows lenses above _queryFilter while a tenant is connected', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('"_queryFilter"'));
    let seen: string[] = [];
    const lenses = await (async () => {
      try {
        return await waitFor('the filter lenses', async () => {
          const all = await vscode.commands.executeCommand<vscode.CodeLens[]>(
            'vscode.executeCodeLensProvider',
            uri,
          );
          seen = all.map((l) => l.command?.command ?? '');
          const found = all.filter((l) =>
            ['scanjobs.previewMatches', 'scanjobs.dryRunJob'].includes(l.command?.command ?? ''),
          );
          return found.length === 2 ? found : undefined;
        });
      } catch (e) {
        throw new Error(`${(e as Error).message}; lenses seen: ${seen.join(', ')}`, { cause: e });
      }
    })();
    assert.deepEqual(
      lenses.map((l) => [l.command!.title, l.range.start.line]),
      [
        ['$(search) Preview Matches', line],
        ['$(beaker) Dry Run', line],
      ],
    );
  });

  it('previews the matches: the count is the tenant’s own, and the report opens beside', async () => {
    const now = new Date().toISOString();
    const preview = await vscode.commands.executeCommand<Preview>('scanjobs.previewMatches', uri, undefined, {
      now,
      sample: 3,
    });
    const expanded = `((/sunset/date lt "${now}") AND !(/pv/completed pr))`;
    assert.equal(preview.expandedFilter, expanded);
    const counted = await get(
      `/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent(expanded)}&_pageSize=1&_totalPagedResultsPolicy=EXACT`,
    );
    assert.ok((counted.totalPagedResults as number) > 3);
    assert.equal(preview.matched, counted.totalPagedResults);
    assert.equal(preview.exact, true);
    assert.equal(preview.samples.length, 3);
    const doc = await waitFor('the preview document', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.scheme === 'scanjobs-preview' && d.uri.path.endsWith('.preview.md') ? d : undefined;
    });
    assert.equal(doc.languageId, 'markdown');
    assert.match(
      doc.getText(),
      new RegExp(`\\*\\*Matched: ${preview.matched.toLocaleString('en-US')}\\*\\* \\(exact`),
    );
    assert.match(doc.getText(), /## Sample \(3 of /);
  });

  it('dry-runs the job on a private copy, opens one object’s diff, and writes nothing to the tenant', async () => {
    const report = await vscode.commands.executeCommand<DryRunReport>('scanjobs.dryRunJob', uri, undefined, {
      sample: 3,
      diff: undefined,
    });
    assert.equal(report.sampled, 3);
    assert.equal(report.writesToTenant, 0);
    assert.deepEqual(report.totals, { processed: 3, successes: 3, failures: 0 });
    for (const r of report.results) {
      assert.equal(r.result, true);
      assert.equal(r.after?.description, 'dry-run');
      assert.deepEqual(r.logs, [{ level: 'info', message: `dry run on ${String(r.before.userName)}` }]);
      // The tenant's own object is as it was.
      const source = await get(`/openidm/managed/alpha_user/${encodeURIComponent(r.id)}`);
      assert.notEqual(source.description, 'dry-run');
      assert.equal(source.pv, undefined);
    }
    const first = report.results[0]!.id;
    await vscode.commands.executeCommand('scanjobs.dryRunJob', uri, undefined, { sample: 1, diff: first });
    const tab = await waitFor('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.original.scheme, 'scanjobs-preview');
    const before = JSON.parse((await vscode.workspace.openTextDocument(tab.original)).getText()) as Record<
      string,
      unknown
    >;
    const after = JSON.parse((await vscode.workspace.openTextDocument(tab.modified)).getText()) as Record<
      string,
      unknown
    >;
    assert.equal(before._id, first);
    assert.equal(after.description, 'dry-run');
    assert.equal(typeof (after.pv as Record<string, unknown>).completed, 'string');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
