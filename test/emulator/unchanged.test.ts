// Writes that change nothing (docs/emulator.md "An update that changes nothing"; observed on OpenIDM
// 6.1.0, held on every server by test/contract/unchanged.test.ts): a script's body with a member JSON
// cannot hold and a foreign `_rev`, and `_fields` on the reply.
import { strict as assert } from 'node:assert';
import { Started, execute, putUsers, scanJob, start, waitForRun } from './support';

describe('emulator: an update that changes nothing', () => {
  let t: Started;
  beforeEach(async () => {
    t = await start();
  });
  afterEach(() => t.emulator.close());

  it("a script's openidm.update with undefined members and a foreign _rev changes nothing", async () => {
    await putUsers(t.client, [{ id: 'ann' }]);
    // The script writes its object back with a member JSON cannot hold and a stale revision in the
    // body: stored, that is the object as it was, so the revision stays (claim 2 + completion 1).
    const source =
      'var o = openidm.read(objectID); o.nothing = undefined; o._rev = "1";' +
      ' var u = openidm.update(objectID, null, o); u._rev === openidm.read(objectID)._rev;';
    const job = await t.client.put('/openidm/scheduler/job/same', scanJob({ source }));
    assert.equal(job.status, 201, JSON.stringify(job.body));
    const run = await waitForRun(t.client, await execute(t.client, 'same'));
    assert.deepEqual([run.progress.successes, run.progress.failures], [1, 0], JSON.stringify(run));
    const after = await t.client.get('/openidm/managed/alpha_user/ann');
    assert.equal(after.body._rev, '4', JSON.stringify(after.body));
  });

  it('a no-op reply honours _fields and names the If-Match revision', async () => {
    await putUsers(t.client, [{ id: 'bo' }]);
    const read = await t.client.get('/openidm/managed/alpha_user/bo');
    const { _id: _i, _rev: _r, ...body } = read.body as Record<string, unknown>;
    const r = await t.client.put('/openidm/managed/alpha_user/bo?_fields=mail', body, { 'If-Match': '"7"' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { _id: 'bo', _rev: '7', mail: 'bo@example.com' });
    assert.equal(r.headers.get('etag'), '"7"');
    assert.equal((await t.client.get('/openidm/managed/alpha_user/bo')).body._rev, '1');
  });
});
