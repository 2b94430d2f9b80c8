// A run's script log lines in its details view, end to end over HTTP (issue 14 §2; docs/logs.md): a
// second local tenant process added as an ordinary tenant serves AIC's /monitoring/logs routes with
// x-api-key/x-api-secret. Without a log key the details view and a notification say so, with the
// button that sets one; once the key is in SecretStorage the open view reads the run's logger lines.
// An OpenIDM-flavoured tenant (no log API) is said to have none and is sent no log request at all
// (counted by a proxy in front of it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunDetails } from '../../../src/core/run-view';
import type { WatchEnd } from '../../../src/core/watch';
import type { JobNode } from '../../../src/extension/tenant/tree-model';
import { FaultProxy } from '../../support/fault-proxy';
import { scanJobsApi, waitFor } from '../ext';
import { inspection, scanJob, startTenantProcess } from './support';

const ADMIN = {
  'x-openidm-username': 'openidm-admin',
  'x-openidm-password': 'openidm-admin',
  'accept-api-version': 'resource=1.0',
};
/** The key every local tenant process accepts (core/tenant LOCAL_TENANT.logKey). */
const LOG_KEY = { id: 'scanjobs-local-log-key', secret: 'scanjobs-local-log-secret' };

const jobNode = (tenant: string, job: string): JobNode => ({
  kind: 'job',
  id: `job:${tenant}:${job}`,
  tenant,
  job: { _id: job },
  scan: true,
});

async function details(tenant: string, runId: string): Promise<{ details: RunDetails; body: string }> {
  const v = (await inspection()).detailsViews().find((d) => d.tenant === tenant && d.runId === runId);
  assert.ok(v, `no details view of ${runId} on ${tenant}`);
  return v;
}

async function put(url: string, path: string, body: unknown): Promise<void> {
  const reply = await fetch(`${url}/openidm/${path}`, {
    method: 'PUT',
    headers: { ...ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(reply.ok, `PUT ${path}: ${reply.status} ${await reply.text()}`);
}

describe('script log lines in the run details view (a tenant with the log API)', () => {
  const stops: (() => void)[] = [];
  const added: string[] = [];

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of added)
      await vscode.commands.executeCommand('scanjobs.setLogApiKey', { tenant: name, id: '' });
    const config = vscode.workspace.getConfiguration('scanjobs');
    const list = config.inspect<{ name: string }[]>('tenants')?.workspaceValue ?? [];
    await config.update(
      'tenants',
      list.filter((t) => !added.includes(t.name)),
      vscode.ConfigurationTarget.Workspace,
    );
    for (const stop of stops) stop();
  });

  async function addTenant(name: string, url: string): Promise<void> {
    const got = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name,
      baseUrl: url,
      signIn: 'idm-password',
      username: 'openidm-admin',
      environment: 'development',
      secret: 'openidm-admin',
    });
    assert.equal(got, name);
    added.push(name);
  }

  it('without a key: the view and a notification say so, with Set Log API Key; with one, the lines', async function () {
    this.timeout(120_000);
    const tenant = await startTenantProcess();
    stops.push(tenant.stop);
    await addTenant('logs-aic', tenant.url);
    const script = "logger.info('line for {}', input.userName); true;";
    await put(tenant.url, 'scheduler/job/lineScan', scanJob({ stateKey: 'lines', script, threads: 1 }));
    const users = (await (
      await fetch(`${tenant.url}/openidm/managed/alpha_user?_queryFilter=true&_fields=userName`, {
        headers: ADMIN,
      })
    ).json()) as { result: { userName: string }[] };
    const expected = users.result.map((u) => `line for ${u.userName}`).sort();
    assert.equal(expected.length, 5);
    const i = await inspection();
    assert.equal(await i.hasLogKey('logs-aic'), false);

    const end = await vscode.commands.executeCommand<WatchEnd>(
      'scanjobs.executeJob',
      jobNode('logs-aic', 'lineScan'),
    );
    assert.equal(end?.type === 'final' && end.run.progress.state, 'COMPLETED');
    if (end?.type !== 'final') return;
    const runId = end.run._id;

    // A notification, not only the output channel: no key, how to add one, and the button.
    const told = await waitFor('the no-key notification', () =>
      scanJobsApi()
        .shownMessages()
        .find((m) => m.level === 'warning' && /No log API key is set for/.test(m.text)),
    );
    assert.match(told.text, /Set Log API Key/);
    assert.deepEqual(told.actions, ['Set Log API Key']);

    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'logs-aic', runId });
    const noKey = await waitFor('the view to say there is no key', async () => {
      const v = await details('logs-aic', runId);
      return v.details.log.state === 'unavailable' ? v : undefined;
    });
    assert.ok(noKey.details.log.state === 'unavailable');
    assert.match(noKey.details.log.message, /No log API key is set for .*Set Log API Key/);
    assert.deepEqual(noKey.details.log.fix, { action: 'setLogKey', label: 'Set Log API Key' });
    assert.match(noKey.body, /data-action="setLogKey"[^>]*>Set Log API Key</);

    // The key stored (what the button's prompt does with the user's answers): the open view reads
    // the run's lines from the tenant's log API, each once.
    await vscode.commands.executeCommand('scanjobs.setLogApiKey', { tenant: 'logs-aic', ...LOG_KEY });
    const shown = await waitFor(
      'the run’s lines in the view',
      async () => {
        const d = (await details('logs-aic', runId)).details;
        return d.log.state === 'ready' && d.log.items.length >= expected.length ? d : undefined;
      },
      60_000,
    );
    assert.ok(shown.log.state === 'ready');
    assert.deepEqual(shown.log.items.map((l) => l.message).sort(), expected);
    assert.ok(shown.log.items.every((l) => l.level === 'INFO'));
    const body = (await details('logs-aic', runId)).body;
    assert.ok(body.includes(expected[0]));
    assert.doesNotMatch(body, /data-action="setLogKey"/);
  });

  it('an OpenIDM-flavoured tenant: the view says it has no log API, and no log request is sent', async function () {
    this.timeout(120_000);
    const tenant = await startTenantProcess(['--flavor', 'openidm']);
    stops.push(tenant.stop);
    const proxy = await FaultProxy.start(tenant.url);
    stops.push(() => void proxy.close());
    await addTenant('logs-openidm', proxy.url);
    // Even with a key set, nothing is read: the platform has no log API.
    await vscode.commands.executeCommand('scanjobs.setLogApiKey', { tenant: 'logs-openidm', ...LOG_KEY });
    // OpenIDM's execute reads config schedules (idm-api.md §4.4).
    const script = "logger.info('openidm line'); true;";
    await put(proxy.url, 'config/schedule/idmLines', scanJob({ stateKey: 'idmlines', script, threads: 1 }));
    const end = await vscode.commands.executeCommand<WatchEnd>(
      'scanjobs.executeJob',
      jobNode('logs-openidm', 'idmLines'),
    );
    assert.equal(end?.type === 'final' && end.run.progress.state, 'COMPLETED');
    if (end?.type !== 'final') return;
    await vscode.commands.executeCommand('scanjobs.openRun', { tenant: 'logs-openidm', runId: end.run._id });
    const v = await waitFor('the view to say there is no log API', async () => {
      const d = await details('logs-openidm', end.run._id);
      return d.details.log.state === 'unavailable' ? d : undefined;
    });
    assert.ok(v.details.log.state === 'unavailable');
    assert.match(v.details.log.message, /is OpenIDM, which has no log API/);
    assert.equal(v.details.log.fix, undefined, 'no key would help: no Set Log API Key button');
    assert.doesNotMatch(v.body, /data-action="setLogKey"/);
    // The no-key notification is for tenants a key would help; none names this one.
    assert.ok(
      !scanJobsApi()
        .shownMessages()
        .some((m) => m.text.includes('logs-openidm') && /log API key/.test(m.text)),
    );
    assert.deepEqual(
      proxy.log.filter((r) => r.path.startsWith('/monitoring')).map((r) => r.path),
      [],
      'a log request reached the OpenIDM tenant',
    );
    assert.ok(
      proxy.log.some((r) => r.path.startsWith('/openidm/taskscanner')),
      'the proxy saw the run',
    );
  });
});
