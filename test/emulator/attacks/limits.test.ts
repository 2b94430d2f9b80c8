/**
 * Oversized and malformed requests (issue 12, items 8, 9, 10; docs/security.md "Limits"): each gets
 * a 4xx with a CREST error body naming the problem, never a 500, an empty reply or a hang.
 */
import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { Started, execute, putUsers, scanJob, start, waitForRun } from '../support';

function nested(depth: number, open = '{"a":', close = '}'): string {
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** Sends raw bytes and returns the whole reply as text (the server closes the connection). */
function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let reply = '';
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(reply));
  });
}

function crestReply(reply: string): { status: number; body: Record<string, unknown> } {
  const [head, body] = reply.split('\r\n\r\n');
  assert.match(head!, /\r\nContent-Type: application\/json/);
  return {
    status: Number(/^HTTP\/1\.1 (\d+)/.exec(head!)![1]),
    body: JSON.parse(body!) as Record<string, unknown>,
  };
}

describe('attacks: oversized and malformed requests', () => {
  let t: Started;
  beforeEach(async () => {
    t = await start();
    await putUsers(t.client, [{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }]);
  });
  afterEach(() => t.emulator.close());

  it('a body nested 5,000 levels is 400 on every write route, not 500', async () => {
    for (const body of [nested(5000), nested(5000, '[', ']'), `{"x":${nested(5000, '[{"b":', '}]')}}`]) {
      for (const [method, path] of [
        ['PUT', '/openidm/managed/alpha_user/deep'],
        ['POST', '/openidm/managed/alpha_user'],
        ['PATCH', '/openidm/managed/alpha_user/u1'],
        ['PUT', '/openidm/scheduler/job/deep'],
        ['PUT', '/openidm/config/schedule/deep'],
        ['PUT', '/openidm/config/deep'],
        ['POST', '/openidm/script?_action=compile'],
      ] as const) {
        const r = await t.client.request(method, path, body);
        assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body).slice(0, 200)}`);
        assert.equal(r.body.message, 'The request body nests arrays and objects more than 1000 levels deep');
      }
    }
    assert.equal((await t.client.get('/openidm/managed/alpha_user/deep')).status, 404);
  });

  it('1,000 levels are accepted; brackets inside strings do not count', async () => {
    const r = await t.client.put('/openidm/managed/alpha_user/d1000', `{"x":${nested(999)}}`);
    assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 200));
    const s = await t.client.put(
      '/openidm/managed/alpha_user/s',
      JSON.stringify({ s: '[{'.repeat(5000), t: '\\"[' }),
    );
    assert.equal(s.status, 201);
    assert.equal((await t.client.get('/openidm/managed/alpha_user/s')).body.s.length, 10000);
  });

  it('a script passing a 5,000-level value to openidm.* fails that object, and the server stays up', async () => {
    const source =
      'var v = 1; for (var i = 0; i < 5000; i++) v = {a: v}; openidm.patch(objectID, null, [{operation: "add", field: "/deep", value: v}]); true';
    await t.client.put(
      '/openidm/scheduler/job/deep',
      scanJob({ source, threads: 1, waitForCompletion: true }),
    );
    const run = await waitForRun(t.client, await execute(t.client, 'deep'));
    assert.deepEqual(
      [run.progress.state, run.progress.successes, run.progress.failures],
      ['COMPLETED', 0, 1],
    );
    const log = (await t.client.get(`/scanjobs-emulator/runs/${run._id}/log`)).body;
    assert.match(
      log.entries[0].message,
      /^script failed: .*(nests more than 1000 levels deep|stack overflow|Maximum call stack size exceeded)/i,
    );
    assert.equal((await t.client.get('/openidm/managed/alpha_user/u1')).body.deep, undefined);
  });

  it('a URL over 16 KB is 414 with a CREST body; headers over 16 KB are 431', async () => {
    const filter = `/userName eq "${'x'.repeat(20_000)}"`;
    const url = await raw(
      t.emulator.url,
      `GET /openidm/managed/alpha_user?_queryFilter=${encodeURIComponent(filter)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    assert.deepEqual(crestReply(url), {
      status: 414,
      body: {
        code: 414,
        reason: 'Request-URI Too Long',
        message:
          'The request URL is longer than 16 KB: send long filters in a job (scan._queryFilter), not in the URL',
      },
    });
    const headers = await raw(
      t.emulator.url,
      `GET /openidm/info HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`,
    );
    assert.deepEqual(crestReply(headers), {
      status: 431,
      body: {
        code: 431,
        reason: 'Request Header Fields Too Large',
        message: 'The request headers are larger than 16 KB',
      },
    });
    const garbage = await raw(t.emulator.url, 'NOT HTTP AT ALL\r\n\r\n');
    assert.equal(crestReply(garbage).status, 400);
    assert.match(String(crestReply(garbage).body.message), /^The request is not valid HTTP \(HPE_/);
    // Through fetch too, as a client sees it.
    const r = await t.client.get(`/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent(filter)}`);
    assert.equal(r.status, 414);
  });

  it('a body over 16 MB is 413 with a CREST body', async () => {
    const r = await t.client.put('/openidm/config/big', JSON.stringify({ s: 'z'.repeat(17 * 1024 * 1024) }));
    assert.deepEqual(r.body, {
      code: 413,
      reason: 'Request Entity Too Large',
      message: 'The request body is larger than 16 MB',
    });
  });

  it('a negative _pagedResultsOffset is 400 on every query, not the last items', async () => {
    for (const path of [
      '/openidm/managed/alpha_user?_queryFilter=true',
      '/openidm/managed/alpha_user?_queryFilter=true&_pageSize=2',
      '/openidm/managed/alpha_user?_queryFilter=true&_sortKeys=userName',
      '/openidm/scheduler/job?_queryFilter=true',
      '/openidm/taskscanner?_queryFilter=true',
      '/openidm/config?_queryFilter=true',
    ]) {
      const r = await t.client.get(`${path}&_pagedResultsOffset=-5`);
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.message, "The parameter '_pagedResultsOffset' must be 0 or more, got '-5'");
    }
    // A valid offset still pages by position, with or without a page size.
    for (const query of ['_pagedResultsOffset=2', '_pagedResultsOffset=2&_pageSize=2']) {
      const ok = await t.client.get(`/openidm/managed/alpha_user?_queryFilter=true&${query}`);
      assert.deepEqual(
        ok.body.result.map((u: { _id: string }) => u._id),
        ['u3'],
        query,
      );
    }
  });
});
