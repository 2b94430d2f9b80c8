// Managed objects and what a scan writes on them, same scenarios on every server (idm-api.md §1, §5.4;
// shared openidm/README.md items 5 and 9). Expectations are the live OpenIDM 6.1.0's observed answers.
import { strict as assert } from 'node:assert';
import { COMPLETED, batchFilter, contractUser, newBatch, scanJob } from './support/builders';
import { show } from './support/http';
import {
  createUsers,
  execute,
  isDone,
  pushExecutable,
  readUser,
  removeExecutable,
  waitForRun,
} from './support/runs';
import { forEachTarget } from './support/targets';

forEachTarget('managed objects', (t) => {
  const batch = newBatch('objects');
  const users = Array.from({ length: 3 }, (_, i) => contractUser(batch, i));
  const id = `${batch}-job`;
  let createdRev = '';

  before(async () => {
    await createUsers(t, users);
    createdRev = String((await readUser(t, users[0]!._id))._rev);
    // The documentation's kind of script: it patches its own object through openidm.patch.
    const script =
      'openidm.patch(objectID, null, [{ operation: "replace", field: "/sn", value: "Scanned" }]); true;';
    const run = await execute(
      t,
      await pushExecutable(t, id, scanJob({ filter: batchFilter(batch), script })),
    );
    await waitForRun(t, run, isDone);
  });
  after(async () => {
    await removeExecutable(t, id);
  });

  it('writes each scanned object four times: claim, completed := null, the script, completed (README 5)', async () => {
    const user = await readUser(t, users[0]!._id);
    assert.equal(Number(user._rev) - Number(createdRev), 4, JSON.stringify(user));
    assert.equal(user.sn, 'Scanned');
  });

  describe('a rerun over an object its script failed on (no recovery.timeout)', () => {
    const rerun = newBatch('reclaim');
    const user = contractUser(rerun, 0);
    const revs: number[] = [];

    before(async () => {
      await createUsers(t, [user]);
      revs.push(Number((await readUser(t, user._id))._rev));
      const job = `${rerun}-job`;
      const name = await pushExecutable(
        t,
        job,
        scanJob({ filter: batchFilter(rerun), script: 'false;', recovery: null }),
      );
      try {
        for (let i = 0; i < 2; i++) {
          await waitForRun(t, await execute(t, name), isDone);
          revs.push(Number((await readUser(t, user._id))._rev));
        }
      } finally {
        await removeExecutable(t, job);
      }
    });

    it('claims it again in one write: completed is null already, and an update that changes nothing keeps the revision (§5.4, §5.5)', () => {
      // First run: started, then completed := null (a new field); no completion for `false` (§5.6).
      assert.deepEqual([revs[1]! - revs[0]!, revs[2]! - revs[1]!], [2, 1], JSON.stringify(revs));
    });
  });

  it('finds no object by `pr` on a hyphenated field on OpenIDM; the AIC default does (README 9)', async () => {
    const reply = await t.http.get<{ result: unknown[] }>('/openidm/managed/user', {
      query: { _queryFilter: `/description eq "${batch}" and ${COMPLETED} pr`, _fields: '_id' },
    });
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body.result.length, t.caps.repository === 'orientdb' ? 0 : 3, show(reply));
  });

  it('so `!(… pr)` on it selects even the completed objects on OpenIDM (README 9)', async () => {
    const reply = await t.http.get<{ result: unknown[] }>('/openidm/managed/user', {
      query: { _queryFilter: `/description eq "${batch}" and !(${COMPLETED} pr)`, _fields: '_id' },
    });
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body.result.length, t.caps.repository === 'orientdb' ? 3 : 0, show(reply));
  });

  it('answers an extended operator with 500 on OpenIDM; the AIC default evaluates it (README 9)', async () => {
    const reply = await t.http.get<{ message?: string }>('/openidm/managed/user', {
      query: { _queryFilter: `/description ew "${batch.slice(-6)}"`, _fields: '_id' },
    });
    if (t.caps.repository === 'orientdb') {
      assert.equal(reply.status, 500, show(reply));
      assert.equal(reply.body.message, 'Extended match filter not supported on this endpoint');
    } else assert.equal(reply.status, 200, show(reply));
  });

  it('answers an SQL keyword as a field name with 400 on OpenIDM (README 9)', async () => {
    const reply = await t.http.get<{ message?: string }>('/openidm/managed/user', {
      query: { _queryFilter: '/select pr', _fields: '_id' },
    });
    if (t.caps.repository === 'orientdb') {
      assert.equal(reply.status, 400, show(reply));
      assert.equal(reply.body.message, 'Error executing DB command.');
    } else assert.equal(reply.status, 200, show(reply));
  });

  it('patches an object: 200 and the revision moves on by one (§1.1)', async () => {
    const before = await readUser(t, users[1]!._id);
    const reply = await t.http.request<Record<string, unknown>>(
      'PATCH',
      `/openidm/managed/user/${users[1]!._id}`,
      {
        body: [{ operation: 'replace', field: '/givenName', value: 'Patched' }],
      },
    );
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body.givenName, 'Patched');
    assert.equal(Number(reply.body._rev), Number(before._rev) + 1, show(reply));
  });

  it('refuses an update at the wrong revision with 412 (§1.2)', async () => {
    const reply = await t.http.put(`/openidm/managed/user/${users[2]!._id}`, users[2], {
      headers: { 'If-Match': '"999"' },
    });
    assert.equal(reply.status, 412, show(reply));
  });

  it('deletes an object, answering with it, then reads 404 (§1.1)', async () => {
    const reply = await t.http.delete<Record<string, unknown>>(`/openidm/managed/user/${users[2]!._id}`);
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body._id, users[2]!._id);
    const gone = await t.http.get(`/openidm/managed/user/${users[2]!._id}`);
    assert.equal(gone.status, 404, show(gone));
  });
});
