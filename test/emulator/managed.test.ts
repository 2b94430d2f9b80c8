import { strict as assert } from 'node:assert';
import { Started, putUsers, scanJob, start, user } from './support';

describe('emulator: /openidm/managed, /openidm/config and /openidm/script', () => {
  let t: Started;
  beforeEach(async () => {
    t = await start();
  });
  afterEach(() => t.emulator.close());

  it('creates with PUT, POST and _action=create (201, Location, ETag) and reads back', async () => {
    let r = await t.client.put('/openidm/managed/alpha_user/bob', user({ id: 'bob' }));
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), `${t.emulator.url}/openidm/managed/alpha_user/bob`);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.deepEqual(Object.keys(r.body).slice(0, 2), ['_id', '_rev']);
    r = await t.client.post('/openidm/managed/alpha_user', user({ id: 'x' }));
    assert.equal(r.status, 201);
    assert.match(r.body._id, /^[0-9a-f-]{36}$/);
    r = await t.client.post('/openidm/managed/user?_action=create', user({ id: 'y' }));
    assert.equal(r.status, 201);
    r = await t.client.get('/openidm/managed/alpha_user/bob?_fields=mail');
    assert.deepEqual(r.body, { _id: 'bob', _rev: '1', mail: 'bob@example.com' });
    r = await t.client.put('/openidm/managed/alpha_user/bob', user({ id: 'bob' }), { 'If-None-Match': '*' });
    assert.equal(r.status, 412);
  });

  it('updates with revisions: PUT upsert 200, If-Match mismatch 412, missing 404', async () => {
    await putUsers(t.client, [{ id: 'bob' }]);
    let r = await t.client.put('/openidm/managed/alpha_user/bob', user({ id: 'bob', extra: { sn: 'B' } }));
    assert.equal(r.status, 200);
    assert.equal(r.body._rev, '2');
    r = await t.client.put('/openidm/managed/alpha_user/bob', user({ id: 'bob' }), { 'If-Match': '"1"' });
    assert.equal(r.status, 412);
    assert.match(r.body.message, /revision 2 is different than expected by caller \(1\)/);
    r = await t.client.put('/openidm/managed/alpha_user/bob', user({ id: 'bob', extra: { sn: 'C' } }), {
      'If-Match': '"2"',
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.sn, 'C');
    r = await t.client.put('/openidm/managed/alpha_user/none', user({ id: 'none' }), { 'If-Match': '*' });
    assert.equal(r.status, 404);
  });

  it('patches with CREST operations and deletes', async () => {
    await putUsers(t.client, [{ id: 'bob', extra: { count: 1, tags: ['a'] } }]);
    let r = await t.client.patch('/openidm/managed/alpha_user/bob', [
      { operation: 'replace', field: '/accountStatus', value: 'inactive' },
      { operation: 'add', field: '/tags', value: 'b' },
      { operation: 'increment', field: '/count', value: 2 },
      { operation: 'add', field: '/sunset/task-completed', value: 'now' },
      { operation: 'remove', field: '/mail' },
      { operation: 'copy', from: '/sn', field: '/description' },
      { operation: 'move', from: '/givenName', field: '/firstName' },
    ]);
    assert.equal(r.status, 200);
    assert.equal(r.body.accountStatus, 'inactive');
    assert.deepEqual(r.body.tags, ['a', 'b']);
    assert.equal(r.body.count, 3);
    assert.equal(r.body.sunset['task-completed'], 'now');
    assert.equal(r.body.mail, undefined);
    assert.equal(r.body.description, 'bob');
    assert.equal(r.body.firstName, 'Test');
    assert.equal(r.body.givenName, undefined);
    r = await t.client.patch('/openidm/managed/alpha_user/bob', [{ operation: 'explode', field: '/x' }]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /patch operation 0: unsupported operation 'explode'/);
    r = await t.client.patch('/openidm/managed/alpha_user/bob', { operation: 'add' });
    assert.equal(r.status, 400);
    r = await t.client.patch(
      '/openidm/managed/alpha_user/bob',
      [{ operation: 'replace', field: '/sn', value: 'z' }],
      { 'If-Match': '"1"' },
    );
    assert.equal(r.status, 412);
    r = await t.client.delete('/openidm/managed/alpha_user/bob', { 'If-Match': '"1"' });
    assert.equal(r.status, 412);
    r = await t.client.delete('/openidm/managed/alpha_user/bob');
    assert.equal(r.status, 200);
    assert.equal(r.body._id, 'bob');
    assert.equal((await t.client.get('/openidm/managed/alpha_user/bob')).status, 404);
    assert.equal((await t.client.delete('/openidm/managed/alpha_user/bob')).status, 404);
  });

  it('queries with the core filter engine, and answers a bad filter with the platform 400', async () => {
    await putUsers(t.client, [
      { id: 'old', sunsetDate: '2020-01-01T00:00:00.000Z' },
      { id: 'done', sunsetDate: '2020-01-01T00:00:00.000Z', completed: '2021-01-01T00:00:00.000Z' },
      { id: 'future', sunsetDate: '2099-01-01T00:00:00.000Z' },
    ]);
    const q = (f: string) =>
      t.client.get(`/openidm/managed/alpha_user?_queryFilter=${encodeURIComponent(f)}&_fields=_id`);
    const ids = (body: { result: { _id: string }[] }) => body.result.map((o) => o._id);
    let r = await q('((/sunset/date lt "2030-01-01T00:00:00.000Z") AND !(/sunset/task-completed pr))');
    // CREST writes _id and _rev whatever _fields asks for.
    assert.deepEqual(r.body.result, [{ _id: 'old', _rev: '1' }]);
    r = await q('userName sw "f" or userName eq "done"');
    assert.deepEqual(ids(r.body), ['done', 'future']);
    r = await q('/sunset/date lt');
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'Bad Request');
    r = await t.client.get('/openidm/managed/alpha_user?_queryId=query-all-ids');
    assert.deepEqual(r.body.result, [{ _id: 'done' }, { _id: 'future' }, { _id: 'old' }]);
    r = await t.client.get(
      '/openidm/managed/alpha_user?_queryFilter=true&_sortKeys=-userName&_pageSize=1&_totalPagedResultsPolicy=EXACT&_fields=_id',
    );
    assert.deepEqual(ids(r.body), ['old']);
    assert.equal(r.body.totalPagedResults, 3);
    assert.equal(r.body.pagedResultsCookie, '1');
    r = await t.client.get('/openidm/managed/alpha_user?_queryId=whatever');
    assert.equal(r.status, 400);
    r = await t.client.get('/openidm/managed/alpha_user');
    assert.equal(r.status, 400);
  });

  it('streams large query replies in pieces, with the same envelope', async () => {
    const t2 = await start({ seedUsers: 3000 });
    try {
      let r = await t2.client.get(
        '/openidm/managed/alpha_user?_queryFilter=true&_totalPagedResultsPolicy=EXACT',
      );
      assert.equal(r.body.resultCount, 3000);
      assert.equal(r.body.totalPagedResults, 3000);
      assert.deepEqual(Object.keys(r.body.result[0]).slice(0, 2), ['_id', '_rev']);
      assert.equal(r.headers.get('content-length'), null, 'chunked, not one string');
      r = await t2.client.get(
        '/openidm/managed/alpha_user?_queryFilter=true&_pageSize=10&_pagedResultsCookie=2990&_fields=mail',
      );
      assert.equal(r.body.resultCount, 10);
      assert.equal(r.body.pagedResultsCookie, null);
      assert.deepEqual(Object.keys(r.body.result[0]), ['_id', '_rev', 'mail']);
      r = await t2.client.get('/openidm/managed/alpha_user?_queryFilter=true&_pageSize=10');
      assert.equal(r.body.totalPagedResults, -1);
      // Without a total the cookie is a key (the last _id), so a long walk costs one pass.
      const cookie = r.body.pagedResultsCookie as string;
      assert.match(cookie, /^~/);
      const ids = (body: { result: { _id: string }[] }) => body.result.map((o) => o._id);
      const firstIds = ids(r.body);
      r = await t2.client.get(
        `/openidm/managed/alpha_user?_queryFilter=true&_pageSize=10&_pagedResultsCookie=${encodeURIComponent(cookie)}`,
      );
      const all = await t2.client.get(
        '/openidm/managed/alpha_user?_queryFilter=true&_pageSize=20&_fields=_id',
      );
      assert.deepEqual([...firstIds, ...ids(r.body)], ids(all.body));
      r = await t2.client.get(
        '/openidm/managed/alpha_user?_queryFilter=true&_pageSize=10&_pagedResultsCookie=~x',
      );
      assert.equal(r.status, 400);
    } finally {
      await t2.emulator.close();
    }
  });

  it('serves only the known managed objects', async () => {
    let r = await t.client.get('/openidm/managed/charlie_user?_queryFilter=true');
    assert.equal(r.status, 404);
    assert.equal(r.body.message, "Resource 'managed/charlie_user' not found");
    r = await t.client.get('/openidm/managed');
    assert.equal(r.status, 404);
    r = await t.client.get('/openidm/managed/bravo_user?_queryFilter=true');
    assert.equal(r.status, 200);
  });

  it('serves config/managed with the seeded objects schemas, read-only', async () => {
    let r = await t.client.get('/openidm/config/managed');
    assert.deepEqual(
      r.body.objects.map((o: { name: string }) => o.name),
      ['alpha_user', 'bravo_user', 'user'],
    );
    assert.deepEqual(Object.keys(r.body.objects[0].schema.properties.sunset.properties), [
      'date',
      'task-started',
      'task-completed',
    ]);
    r = await t.client.put('/openidm/config/managed', {});
    assert.equal(r.status, 403);
  });

  it('schedules a config/schedule/<name> like a /scheduler/job one, and lists configs by query', async () => {
    let r = await t.client.put('/openidm/config/schedule/nightly', scanJob({ schedule: '0 0 2 * * ?' }), {
      'Accept-API-Version': 'resource=1.0',
    });
    assert.equal(r.status, 201);
    assert.equal(r.body._id, 'schedule/nightly');
    assert.equal(r.body.invokeService, 'taskscanner', 'config keeps the value as written');
    r = await t.client.get('/openidm/scheduler/job/nightly');
    assert.equal(r.status, 200);
    assert.equal(r.body.invokeService, 'org.forgerock.openidm.taskscanner');
    assert.match(r.body.nextRunDate, /T02:00:00\.000Z$/);
    r = await t.client.post('/openidm/taskscanner?_action=execute&name=nightly');
    assert.equal(r.status, 200);
    r = await t.client.patch('/openidm/config/schedule/nightly', [
      { operation: 'replace', field: '/enabled', value: false },
    ]);
    assert.equal(r.body.enabled, false);
    assert.deepEqual((await t.client.get('/openidm/scheduler/job/nightly')).body.triggers, []);
    r = await t.client.put('/openidm/config/schedule/bad', { ...scanJob(), type: 'hourly' });
    assert.equal(r.status, 400);
    assert.equal(
      (await t.client.get('/openidm/config/schedule/bad')).status,
      404,
      'an invalid schedule is not stored',
    );
    r = await t.client.get(`/openidm/config?_queryFilter=${encodeURIComponent('_id sw "schedule/"')}`);
    assert.deepEqual(
      r.body.result.map((c: { _id: string }) => c._id),
      ['schedule/nightly'],
    );
    r = await t.client.get('/openidm/config');
    assert.ok(r.body.configurations.some((c: { _id: string }) => c._id === 'schedule/nightly'));
    r = await t.client.put('/openidm/config/schedule/nightly', scanJob(), { 'If-None-Match': '*' });
    assert.equal(r.status, 412);
    r = await t.client.delete('/openidm/config/schedule/nightly');
    assert.equal(r.status, 200);
    assert.equal((await t.client.get('/openidm/scheduler/job/nightly')).status, 404);
    assert.equal((await t.client.get('/openidm/config/schedule/nightly')).status, 404);
    assert.equal((await t.client.delete('/openidm/config/schedule/nightly')).status, 404);
  });

  it('stores other configuration objects as given', async () => {
    let r = await t.client.put('/openidm/config/custom', { a: 1 });
    assert.equal(r.status, 201);
    r = await t.client.get('/openidm/config/custom');
    assert.deepEqual(r.body, { _id: 'custom', a: 1 });
    r = await t.client.put('/openidm/config/custom', [1]);
    assert.equal(r.status, 400);
  });

  it('compiles scripts: true, or 400 with the syntax error', async () => {
    let r = await t.client.post('/openidm/script?_action=compile', {
      type: 'text/javascript',
      source: 'var a = 1; a + 1',
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, true);
    r = await t.client.post('/openidm/script?_action=compile', {
      type: 'text/javascript',
      source: 'var a = ;',
    });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^The script does not compile: /);
    r = await t.client.post('/openidm/script?_action=compile', { type: 'groovy', source: '1' });
    assert.equal(r.status, 400);
    r = await t.client.post('/openidm/script?_action=compile', { type: 'text/javascript' });
    assert.equal(r.status, 400);
    r = await t.client.post('/openidm/script?_action=eval', { source: '1' });
    assert.equal(r.status, 400);
    r = await t.client.get('/openidm/script');
    assert.equal(r.status, 501);
  });
});
