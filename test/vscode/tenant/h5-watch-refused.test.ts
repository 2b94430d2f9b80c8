// A followed run whose tenant starts refusing the sign-in mid-run (issue 16 item 3): the watch stops
// with the tenant's reason, offering Retry (watch the same run again), Edit Tenant and Show Output, and
// Retry follows the run to its end once the tenant answers again. The tenant is the local tenant behind
// a proxy on 127.0.0.1 that this test switches to answering 401.
import * as assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import * as vscode from 'vscode';
import type { WatchEnd } from '../../../src/core/watch';
import { scanJobsApi, waitFor } from '../ext';
import { inspection, scanJob, slowScript, writeJob } from './support';

describe('a watch the tenant stops answering', () => {
  let proxy: Server;
  let refusing = false;

  before(async () => {
    const local = new URL(await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant'));
    proxy = createServer((req, res) => {
      if (refusing) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 401, reason: 'Unauthorized', message: 'Access Denied' }));
        return;
      }
      const upstream = request(
        { host: local.hostname, port: local.port, path: req.url, method: req.method, headers: req.headers },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as { port: number };
    assert.equal(
      await vscode.commands.executeCommand('scanjobs.addTenant', {
        name: 'proxied',
        baseUrl: `http://127.0.0.1:${port}`,
        signIn: 'idm-password',
        username: 'openidm-admin',
        environment: 'development',
        secret: 'openidm-admin',
      }),
      'proxied',
    );
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'proxied');
  });

  after(async () => {
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'local');
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', undefined, vscode.ConfigurationTarget.Workspace);
    await new Promise((resolve) => proxy?.close(resolve));
  });

  it('stops with Retry, Edit Tenant and Show Output, and Retry follows the run to its end', async function () {
    this.timeout(240_000);
    const uri = await writeJob(
      'refusedWatch',
      scanJob({ stateKey: 'h5', threads: 1, script: slowScript(300) }),
    );
    assert.equal(await vscode.commands.executeCommand('scanjobs.pushJob', uri), 'refusedWatch');
    const before = scanJobsApi().shownMessages().length;
    const followed = vscode.commands.executeCommand<WatchEnd>('scanjobs.executeJob', uri);
    const i = await inspection();
    const active = await waitFor(
      'the run active in the Runs view',
      async () =>
        (await i.runsView()).find(
          (r) => r.contextValue === 'run.active' && r.label.startsWith('refusedWatch'),
        ),
      30_000,
    );
    assert.equal(active.node.kind, 'run');
    if (active.node.kind !== 'run') return;
    const runId = active.node.run._id;
    refusing = true;
    const end = await followed;
    assert.equal(end?.type, 'stopped');
    const shown = await waitFor('the failure notification', () => {
      const all = scanJobsApi().shownMessages();
      const at = all.findIndex(
        (m, n) => n >= before && m.text.startsWith('Scan Jobs: Watch Run on proxied: '),
      );
      return at >= 0 ? { ...all[at], index: at } : undefined;
    });
    assert.equal(shown.level, 'error');
    assert.deepEqual(shown.actions, ['Retry', 'Edit Tenant', 'Show Output']);
    assert.match(shown.text, /401 Unauthorized/);

    refusing = false;
    const again = (await scanJobsApi().answerShown(shown.index, 'Retry')) as WatchEnd | undefined;
    assert.equal(again?.type, 'final', JSON.stringify(again));
    if (again?.type !== 'final') return;
    assert.equal(again.run._id, runId);
    assert.equal(again.run.progress.state, 'COMPLETED');
  });
});
