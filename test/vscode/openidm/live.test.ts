// The extension's tenant commands against a live OpenIDM 6.1.0 (issue 11 §3), in a real VS Code: Add
// Tenant, Push (a config schedule there, idm-api.md §4.4), Execute and follow to COMPLETED, the run
// under its job in the tree although OpenIDM's runs carry no name (§4.1), Diff/Pull reading the config
// schedule, and a run that hangs on a filter cut after its macro (queryfilter.md §9) reported as
// stalled with its cause, then cancelled. Runs only when the contract lane has started OpenIDM
// (SCANJOBS_OPENIDM_URL; test/contract/run.mjs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import type { RunNode } from '../../../src/extension/tenant/tree-model';
import { waitFor } from '../ext';
import { inspection, outputText, writeJob } from '../tenant/support';

const url = process.env.SCANJOBS_OPENIDM_URL ?? '';
const TENANT = 'openidm-live';
const HEADERS = {
  'X-OpenIDM-Username': 'openidm-admin',
  'X-OpenIDM-Password': 'openidm-admin',
  'Content-Type': 'application/json',
};
const batch = `vscode-${process.pid}-${Date.now().toString(36)}`;

async function idm(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const reply = await fetch(`${url}${path}`, {
    method,
    headers: HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await reply.text();
  return { status: reply.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** A scan job of the batch's users; `filter` defaults to one with no macro (OpenIDM keeps it whole). */
function job(filter = `/description eq "${batch}"`): Record<string, unknown> {
  return {
    enabled: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    persisted: true,
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: 3,
      scan: {
        object: 'managed/user',
        _queryFilter: filter,
        taskState: { started: '/sunset/taskStarted', completed: '/sunset/taskCompleted' },
        recovery: { timeout: '10m' },
      },
      task: { script: { type: 'text/javascript', source: 'true;' } },
    },
  };
}

describe('the extension against a live OpenIDM', function () {
  this.timeout(120_000);
  const pushed: string[] = [];

  before(async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'SCANJOBS_OPENIDM_URL is not set');
    // A short floor, so the hung run is reported within the test (docs/cli.md "Stalled runs").
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('watch.stallAfterSeconds', 3, vscode.ConfigurationTarget.Workspace);
    for (let i = 0; i < 3; i++) {
      const id = `${batch}-${i}`;
      const reply = await idm('PUT', `/openidm/managed/user/${id}`, {
        userName: id,
        givenName: 'Ada',
        sn: `User${i}`,
        mail: `${id}@example.com`,
        description: batch,
        sunset: { date: '2020-01-01T00:00:00.000Z' },
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
    }
  });
  after(async () => {
    for (const name of pushed) await idm('DELETE', `/openidm/config/schedule/${name}`);
  });

  it('adds the tenant with its password in secret storage, and the connection test passes', async () => {
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: TENANT,
      baseUrl: url,
      signIn: 'idm-password',
      username: 'openidm-admin',
      secret: 'openidm-admin',
    });
    assert.equal(name, TENANT);
    await vscode.commands.executeCommand('scanjobs.selectTenant', TENANT);
    const i = await inspection();
    assert.equal(i.activeTenant(), TENANT);
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', TENANT), true);
  });

  it('pushes a job as a config schedule, since OpenIDM executes only those, and says so', async () => {
    const name = `${batch}-ok`;
    const uri = await writeJob(name, job());
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), name);
    pushed.push(name);
    const stored = await idm('GET', `/openidm/config/schedule/${name}`);
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    const text = await outputText(await inspection(), new RegExp(`wrote /openidm/config/schedule/${name}`));
    assert.match(text, /is OpenIDM, whose execute reads only config schedules/);
  });

  it('executes it by its name and follows the run to COMPLETED', async () => {
    const uri = vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders![0].uri,
      'jobs',
      `${batch}-ok.scanjob.json`,
    );
    const end = await vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    assert.equal(end?.type, 'final', JSON.stringify(end));
    if (end.type !== 'final') return;
    assert.deepEqual(end.run.progress, {
      state: 'COMPLETED',
      processed: 3,
      total: 3,
      successes: 3,
      failures: 0,
    });
    // OpenIDM's record has no name (§4.1): the run is tied to the job by this session.
    assert.equal(end.run.name, null);
    const i = await inspection();
    const tenant = (await i.tenantsView()).find((r) => r.label === TENANT);
    assert.ok(tenant, 'the tenant is not in the Tenants view');
    const jobs = await i.tenantsView(tenant.node);
    const node = jobs.find((j) => j.label === `${batch}-ok`);
    assert.ok(node, `no ${batch}-ok among ${jobs.map((j) => j.label).join(', ')}`);
    const runs = await waitFor('the run under its job', async () => {
      const r = await i.tenantsView(node.node);
      return r.find((x) => x.node.kind === 'run' && (x.node as RunNode).run._id === end.run._id);
    });
    assert.match(runs.description, /^COMPLETED · 3\/3 · 3 ok · 0 failed/);
  });

  it('finds the pushed job up to date: the diff reads the config schedule', async () => {
    const uri = vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders![0].uri,
      'jobs',
      `${batch}-ok.scanjob.json`,
    );
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), `${batch}-ok`);
    await outputText(await inspection(), new RegExp(`Created ${batch}-ok on ${TENANT}`));
    const logged = await outputText(await inspection(), /./);
    assert.ok(
      !new RegExp(`Updated ${batch}-ok on ${TENANT}`).test(logged),
      'the second push changed the job',
    );
  });

  it('reports the run that hangs on a filter cut after its macro as stalled, and cancels it', async () => {
    const name = `${batch}-cut`;
    // The PingIDM 8 form: OpenIDM drops `")` after the macro and the run stays ACTIVE (README item 1).
    const uri = await writeJob(
      name,
      job(`(/description eq "${batch}") and (/sunset/date lt "\${Time.now}")`),
    );
    // The editor checks for OpenIDM once told so (docs/rules.md "Target platform").
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('validation.platform', 'openidm', vscode.ConfigurationTarget.Workspace);
    const error = await waitFor('the filter-macro-truncated error', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'scanjobs');
      return found.find(
        (d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'filter-macro-truncated',
      );
    });
    assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
    assert.match(error.message, /OpenIDM drops the filter's text after its last macro/);
    await idm(
      'PUT',
      `/openidm/config/schedule/${name}`,
      job(`(/description eq "${batch}") and (/sunset/date lt "\${Time.now}")`),
    );
    pushed.push(name);
    const following = vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    const i = await inspection();
    const text = await outputText(i, /looks hung/);
    assert.match(text, new RegExp(`${name} \\S+ has processed nothing new for .*text after its last macro`));
    const run = await waitFor('the hung run in the tree', async () => {
      const runs = await i.runsView();
      return runs.find((r) => r.node.kind === 'run' && (r.node as RunNode).job === name)?.node as
        RunNode | undefined;
    });
    assert.equal(run.run.progress.state, 'ACTIVE');
    await vscode.commands.executeCommand('scanjobs.cancelRun', run);
    const end = await following;
    assert.equal(end?.type === 'final' && end.run.progress.state, 'CANCELLED', JSON.stringify(end));
  });
});
