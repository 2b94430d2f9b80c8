// How a run looks in the Tenants and Runs views (src/extension/tenant/tree-items.ts, issue 14): its
// own icon for COMPLETED with failures, "Cancelling…" while a cancel is in flight, ids told apart by
// their counter, and a duration for a CANCELLED run from what this client saw (idm-api.md §4.2).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RunSightings } from '../../../src/core/run-view';
import type { RunRecord, RunState } from '../../../src/core/tenant';
import { treeItem } from '../../../src/extension/tenant/tree-items';
import type { RunNode } from '../../../src/extension/tenant/tree-model';

const UUID = '24100525-a9dd-4067-a830-3a11b1156579';
const STARTED = Date.parse('2026-11-29T15:22:19.000Z');

function node(n: number, state: RunState, processed: number, total: number, failures = 0): RunNode {
  const run: RunRecord = {
    _id: `${UUID}-${n}`,
    name: 'schedule/failing',
    progress: { state, processed, total, successes: processed - failures, failures },
    started: new Date(STARTED).toISOString(),
    ended: state === 'COMPLETED' ? new Date(STARTED + 72_000).toISOString() : null,
  };
  return { kind: 'run', id: `run:local:${run._id}`, tenant: 'local', run };
}

const iconOf = (item: vscode.TreeItem) => item.iconPath as vscode.ThemeIcon;
const tooltipOf = (item: vscode.TreeItem) => (item.tooltip as vscode.MarkdownString).value;

describe('run items', () => {
  it('gives COMPLETED with failures its own icon, colour and words', () => {
    const failed = treeItem(node(3, 'COMPLETED', 10, 30, 2));
    assert.equal(iconOf(failed).id, 'warning');
    assert.equal((iconOf(failed).color as unknown as { id: string }).id, 'list.warningForeground');
    assert.equal(failed.description, 'COMPLETED with failures · 10/30 · 8 ok · 2 failed · 1 min 12 s');
    assert.match(tooltipOf(failed), /2 objects failed/);
    const clean = treeItem(node(4, 'COMPLETED', 30, 30));
    assert.equal(iconOf(clean).id, 'pass');
    assert.equal(clean.description, 'COMPLETED · 30/30 · 30 ok · 0 failed · 1 min 12 s');
  });

  it('says Cancelling… from the request until the tenant confirms', () => {
    const sightings = new RunSightings();
    const n = node(5, 'ACTIVE', 17, 121);
    sightings.see('local', n.run, STARTED + 5000);
    assert.match(String(treeItem(n, { sightings }).description), /^ACTIVE · 17\/121/);
    sightings.cancelRequested('local', n.run._id);
    const cancelling = treeItem(n, { sightings });
    assert.match(String(cancelling.description), /^Cancelling… · 17\/121 · 17 ok · 0 failed$/);
    assert.equal(iconOf(cancelling).id, 'loading~spin');
    assert.equal(cancelling.contextValue, 'run.cancelling', 'Cancel is not offered twice');
    const done = node(5, 'CANCELLED', 18, 121);
    sightings.see('local', done.run, STARTED + 9000);
    const cancelled = treeItem(done, { sightings });
    assert.equal(cancelled.description, 'CANCELLED · 18/121 · 18 ok · 0 failed · 9 s');
    assert.equal(iconOf(cancelled).id, 'circle-slash');
    assert.match(tooltipOf(cancelled), /seen by this client/);
  });

  it('shows no duration for a cancelled run this client did not see end, and says why', () => {
    const item = treeItem(node(6, 'CANCELLED', 79, 200), { sightings: new RunSightings() });
    assert.equal(item.description, 'CANCELLED · 79/200 · 79 ok · 0 failed');
    assert.match(tooltipOf(item), /No end time: the platform records none for a CANCELLED run/);
  });

  it('names runs of one server by their counter', () => {
    assert.match(tooltipOf(treeItem(node(3, 'COMPLETED', 1, 1))), /\(2410…-3\)/);
    assert.match(tooltipOf(treeItem(node(4, 'COMPLETED', 1, 1))), /\(2410…-4\)/);
  });
});
