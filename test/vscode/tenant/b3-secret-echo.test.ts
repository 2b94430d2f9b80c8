// A tenant that echoes the request headers it received into its error replies (issue 12 item 4): the
// extension's notification, and everything in its logs, hold no form of the password (raw, JSON-escaped,
// percent-encoded as the IDM headers carry it, base64 of user:password).
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { scanJobsApi } from '../ext';
import { extensionHostLogs, inspection } from './support';

const USER = 'echo-admin';
const PASSWORD = 'qu"ote\\slash-pässwörd';

/** The forms the password must not appear in, written out here. */
const FORMS: Record<string, string> = {
  raw: PASSWORD,
  'JSON-escaped': JSON.stringify(PASSWORD).slice(1, -1),
  'percent-encoded': encodeURIComponent(PASSWORD),
  'base64 of user:password': Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
};

describe('secrets echoed back by a tenant', () => {
  let server: Server;
  let url: string;
  let echoes = 0;

  before(async () => {
    server = createServer((req, res) => {
      echoes++;
      const sent = String(req.headers['x-openidm-password'] ?? '');
      const password = sent.startsWith("UTF-8''") ? decodeURIComponent(sent.slice(7)) : sent;
      const basic = Buffer.from(`${USER}:${password}`).toString('base64');
      res.statusCode = 400;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          code: 400,
          reason: 'Bad Request',
          message: `you sent ${JSON.stringify(req.headers)}; upstream got Basic ${basic}`,
        }),
      );
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

  it('shows the echo with every form of the password hidden, and logs none', async () => {
    const name = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
      name: 'echoing',
      baseUrl: url,
      signIn: 'idm-password',
      username: USER,
      environment: 'development',
      secret: PASSWORD,
    });
    assert.equal(name, 'echoing');
    const before = scanJobsApi().shownMessages().length;
    assert.equal(await vscode.commands.executeCommand('scanjobs.testConnection', 'echoing'), undefined);
    assert.ok(echoes > 0, 'the tenant was asked');
    const shown = scanJobsApi().shownMessages().slice(before);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(
      shown[0].text,
      /^Scan Jobs: Test Connection on echoing: .*you sent .*x-openidm-password.*\*\*\*/,
    );
    assert.match(shown[0].text, /upstream got Basic \*\*\*/);
    for (const [form, value] of Object.entries(FORMS))
      assert.ok(!shown[0].text.includes(value), `the ${form} password is in: ${shown[0].text}`);
    const logs = extensionHostLogs(await inspection());
    assert.ok(
      logs.some((l) => /Test Connection on echoing failed/.test(l.text)),
      'the failure was not logged',
    );
    for (const l of logs)
      for (const [form, value] of Object.entries(FORMS))
        assert.ok(!l.text.includes(value), `the ${form} password is in ${l.file}`);
  });
});
