// Filter completion reads a tenant's managed-object schemas when someone first completes a filter,
// never before (DESIGN.md "zero requests when idle"), and keeps them for that tenant. The tenant is a
// small HTTP server in this test that answers /openidm/config/managed (idm-api.md config) and counts
// what it is asked; the profile signs in with IDM headers, so signing in sends nothing by itself.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { completionLabels, inspection, scanJob, writeJob } from './support';

/** The /openidm/config/managed reply for one managed object with these properties. */
function managedConfig(object: string, properties: Record<string, unknown>): unknown {
  return { _id: 'managed', objects: [{ name: object, schema: { type: 'object', properties } }] };
}

const SCHEMA_PATH = '/openidm/config/managed';

describe('managed-object schemas for filter completion', () => {
  let server: Server;
  let url: string;
  const asked: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      asked.push(`${req.method} ${path}`);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && path === SCHEMA_PATH) {
        res.end(
          JSON.stringify(
            managedConfig('alpha_user', { userName: { type: 'string' }, schemaOnly: { type: 'string' } }),
          ),
        );
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ code: 404, reason: 'Not Found', message: `nothing at ${path}` }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', [], vscode.ConfigurationTarget.Workspace);
    server?.close();
  });

  const schemaRequests = () => asked.filter((a) => a === `GET ${SCHEMA_PATH}`).length;

  it('asks nothing when a tenant becomes active, once on the first completion, then keeps the answer', async () => {
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: 'counted',
      baseUrl: url,
      signIn: 'idm-password',
      username: 'openidm-admin',
      environment: 'development',
      secret: 'openidm-admin',
    });
    assert.equal(name, 'counted');
    const i = await inspection();
    assert.equal(i.activeTenant(), 'counted');
    assert.equal(i.contextKey('scanjobs.tenantConnected'), true);
    // Time for anything a change of active tenant might send.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(schemaRequests(), 0, `asked before any completion: ${asked.join(', ')}`);

    const filter = '/userName pr and ';
    const uri = await writeJob('lazySchema', scanJob({ filter, stateKey: 'lazy' }));
    assert.equal(schemaRequests(), 0, 'opening a job file asked for the schemas');
    const labels = await completionLabels(uri, filter);
    assert.ok(labels.includes('/schemaOnly'), `/schemaOnly missing from ${labels.join(' ')}`);
    assert.equal(schemaRequests(), 1);
    assert.ok((await completionLabels(uri, filter)).includes('/schemaOnly'));
    assert.equal(schemaRequests(), 1, 'the second completion asked again');
  });
});
