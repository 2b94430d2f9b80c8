// A server that echoes the request headers it received back into its error replies, in every form a
// careless server or gateway does: the raw header dump, a JSON message (escaping `"` and `\`), a JSON
// message with every non-ASCII character \u-escaped, and the Basic credentials a gateway made of the
// IDM headers. No form of the password may reach the CLI's output, in text or with --json
// (issue 12 item 4; docs/security.md "Client, CLI and job files").
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt } from './support';

type Echo = 'raw-text' | 'json-message' | 'ascii-json-message' | 'basic-json' | 'basic-text';
const ECHOES: Echo[] = ['raw-text', 'json-message', 'ascii-json-message', 'basic-json', 'basic-text'];

/** The header as the server received it, decoded from RFC 5987 when it is so encoded. */
function decoded(value: string): string {
  return value.startsWith("UTF-8''") ? decodeURIComponent(value.slice(7)) : value;
}

function headerDump(req: IncomingMessage): string {
  // The IDM headers first: the client shows only the first 200 characters of a non-JSON reply.
  return Object.entries(req.headers)
    .sort(([a], [b]) => Number(b.startsWith('x-openidm')) - Number(a.startsWith('x-openidm')))
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('\n');
}

function reply(echo: Echo, req: IncomingMessage): { type: string; body: string } {
  const user = decoded(String(req.headers['x-openidm-username'] ?? ''));
  const password = decoded(String(req.headers['x-openidm-password'] ?? ''));
  const basic = `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const crest = (message: string) => JSON.stringify({ code: 400, reason: 'Bad Request', message });
  switch (echo) {
    case 'raw-text':
      return { type: 'text/plain', body: `you sent ${headerDump(req)}` };
    case 'json-message':
      return { type: 'application/json', body: crest(`you sent ${JSON.stringify(req.headers)}`) };
    case 'ascii-json-message': {
      // As servers that write ASCII-only JSON do: the password decoded, then \u-escaped.
      const ascii = JSON.stringify({ password }).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      return { type: 'text/plain', body: `you sent ${ascii}` };
    }
    case 'basic-json':
      return { type: 'application/json', body: crest(`upstream refused ${basic}`) };
    case 'basic-text':
      return { type: 'text/plain', body: `upstream refused ${basic.replace('Basic ', '')}` };
  }
}

/** Every form the test expects to be hidden, written out here rather than taken from the code. */
function forms(user: string, password: string): Record<string, string> {
  const json = JSON.stringify(password).slice(1, -1);
  return {
    raw: password,
    'JSON-escaped': json,
    'JSON-escaped twice': JSON.stringify(json).slice(1, -1),
    'percent-encoded': encodeURIComponent(password),
    '\\u-escaped': JSON.stringify(password)
      .slice(1, -1)
      .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    'base64 of user:password': Buffer.from(`${user}:${password}`).toString('base64'),
  };
}

const PASSWORDS = [
  'quote"and\\backslash-1', // JSON escapes both
  'nön-ÄSCII-pässwörd', // sent percent-encoded (RFC 5987)
  'all "of\\ them ü + & = %', // space, '+', '&', '=' and '%' change under every encoding
];

describe('secrets echoed back by a server, in every encoding', function () {
  this.timeout(120_000);
  let server: Server;
  let url: string;
  let echo: Echo = 'raw-text';
  const received: string[] = [];

  before(async () => {
    ensureBuilt();
    server = createServer((req, res) => {
      received.push(String(req.headers['x-openidm-password']));
      const r = reply(echo, req);
      res.writeHead(400, { 'content-type': r.type });
      res.end(r.body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  for (const password of PASSWORDS) {
    it(`hides ${JSON.stringify(password)} in every echo, as text and with --json`, async () => {
      const user = 'ops-admin';
      const env = {
        SCANJOBS_CONFIG_DIR: join(mkdtempSync(join(tmpdir(), 'scanjobs-echo-')), 'config'),
        IDM_USERNAME: user,
        IDM_PASSWORD: password,
        SCANJOBS_DEBUG: '1',
      };
      const hidden = forms(user, password);
      for (const e of ECHOES) {
        echo = e;
        for (const argv of [
          ['jobs', '--tenant', url],
          ['runs', '--tenant', url, '--json'],
          ['tenants', 'test', '--tenant', url, '--json'],
        ]) {
          received.length = 0;
          const r = await cli(argv, env);
          const output = r.out + r.err;
          assert.equal(r.code, 2, `${e} ${argv.join(' ')}: ${output}`);
          assert.ok(received.length > 0, 'the request reached the echoing server');
          // The echo did reach the message (else this test would prove nothing), with the secret hidden.
          assert.match(output, /you sent|upstream refused/, `${e}: the echo is not in ${output}`);
          assert.match(output, /\*\*\*/, `${e}: nothing was redacted in ${output}`);
          for (const [name, form] of Object.entries(hidden))
            assert.ok(!output.includes(form), `${e} ${argv[0]}: the ${name} password is in:\n${output}`);
        }
      }
    });
  }
});
