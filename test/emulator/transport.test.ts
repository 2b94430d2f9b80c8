import { strict as assert } from 'node:assert';
import { nodeSqliteAvailable } from '../../src/emulator/sqlite';
import { Client, Started, start, scanJob } from './support';

describe('emulator: CREST transport and sign-in (idm-api.md §1, §6.3)', () => {
  let t: Started;
  before(async () => {
    t = await start();
  });
  after(() => t.emulator.close());

  it('listens on 127.0.0.1 and answers every route with 401 and the CREST body without credentials', async () => {
    assert.match(t.emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const anon = new Client(t.emulator.url, {});
    for (const path of [
      '/openidm/scheduler/job?_queryFilter=true',
      '/openidm/taskscanner',
      '/openidm/managed/alpha_user/x',
      '/openidm/config/managed',
      '/openidm/script',
      '/scanjobs-emulator/info',
    ]) {
      const r = await anon.get(path);
      assert.equal(r.status, 401, path);
      assert.deepEqual(r.body, { code: 401, reason: 'Unauthorized', message: 'Access Denied' });
    }
  });

  it('refuses a wrong password, and accepts Basic and RFC 5987-encoded headers', async () => {
    const wrong = new Client(t.emulator.url, {
      'X-OpenIDM-Username': 'openidm-admin',
      'X-OpenIDM-Password': 'nope',
    });
    assert.equal((await wrong.get('/openidm/config/managed')).status, 401);
    const basic = new Client(t.emulator.url, {
      Authorization: `Basic ${Buffer.from('openidm-admin:openidm-admin').toString('base64')}`,
    });
    assert.equal((await basic.get('/openidm/config/managed')).status, 200);
    const encoded = new Client(t.emulator.url, {
      'X-OpenIDM-Username': "UTF-8''openidm%2Dadmin",
      'X-OpenIDM-Password': 'openidm-admin',
    });
    assert.equal((await encoded.get('/openidm/config/managed')).status, 200);
  });

  it('answers unknown routes with 404 and the error body', async () => {
    const r = await t.client.get('/openidm/nothing');
    assert.equal(r.status, 404);
    assert.equal(r.body.reason, 'Not Found');
    assert.equal((await t.client.get('/elsewhere')).status, 404);
  });

  it('handles Accept-API-Version: protocol above 2 is refused, unknown resource versions too', async () => {
    let r = await t.client.get('/openidm/scheduler/job?_queryFilter=true', {
      'Accept-API-Version': 'protocol=3.0,resource=2.0',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Unsupported major version: 3.0');
    r = await t.client.get('/openidm/taskscanner?_queryFilter=true', {
      'Accept-API-Version': 'resource=7.0',
    });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /Unsupported resource version 7\.0/);
    r = await t.client.get('/openidm/taskscanner?_queryFilter=true', {
      'Accept-API-Version': 'resource=abc',
    });
    assert.equal(r.status, 400);
    r = await t.client.get('/openidm/scheduler/job?_queryFilter=true', {
      'Accept-API-Version': 'protocol=2.1,resource=2.0',
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-api-version'), 'protocol=2.1,resource=2.0');
  });

  it('refuses bodies that are not JSON, by content type or by content', async () => {
    let r = await t.client.request('PUT', '/openidm/scheduler/job/x', 'a=b', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /must be application\/json/);
    r = await t.client.request('PUT', '/openidm/scheduler/job/x', '{"enabled":', {
      'Content-Type': 'application/json',
    });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /not valid JSON/);
  });

  it('maps PUT preconditions: If-None-Match other than * is 400, * on an existing id is 412', async () => {
    let r = await t.client.put('/openidm/scheduler/job/pre', scanJob(), { 'If-None-Match': 'abc' });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, '"abc" is not a supported value for If-None-Match on PUT');
    r = await t.client.put('/openidm/scheduler/job/pre', scanJob(), { 'If-None-Match': '*' });
    assert.equal(r.status, 201);
    r = await t.client.put('/openidm/scheduler/job/pre', scanJob(), { 'If-None-Match': '*' });
    assert.equal(r.status, 412);
    assert.equal(r.body.message, 'Schedule already exists');
  });

  it('refuses a body over 16 MB with 413 and a bad percent-encoding with 400', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(17 * 1024 * 1024) });
    const r = await t.client
      .request('PUT', '/openidm/managed/alpha_user/big', big, { 'Content-Type': 'application/json' })
      .catch((err: Error) => ({ status: 413, body: { message: err.message } }));
    assert.equal(r.status, 413);
    const bad = await t.client.get('/openidm/managed/alpha_user/%E0%A4%A');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /not valid percent-encoding/);
  });

  it('refuses unsupported methods with 405', async () => {
    const r = await t.client.request('OPTIONS', '/openidm/scheduler/job');
    assert.equal(r.status, 405);
  });

  it('says which port is taken, and leaves nothing running', async () => {
    await assert.rejects(
      start({ port: t.emulator.port }),
      new RegExp(`port ${t.emulator.port} on 127\\.0\\.0\\.1 is in use; choose another with --port`),
    );
    await assert.rejects(
      start({ host: '10.255.255.1' }),
      /cannot listen on 10\.255\.255\.1: no such address on this machine/,
    );
  });

  it('serves the emulator-only info route', async () => {
    const r = await t.client.get('/scanjobs-emulator/info');
    assert.equal(r.status, 200);
    assert.equal(r.body.emulator, 'scanjobs');
    assert.equal(r.body.sqliteDriver, nodeSqliteAvailable() ? 'node:sqlite' : 'better-sqlite3');
    assert.equal(r.body.schemaVersion, 2);
    assert.equal((await t.client.post('/scanjobs-emulator/info', {})).status, 405);
    assert.equal((await t.client.get('/scanjobs-emulator/nope')).status, 404);
  });
});
