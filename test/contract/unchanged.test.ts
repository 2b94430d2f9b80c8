// Updates that change nothing, same scenarios on every server. The platform's spec says nothing of
// them (idm-api.md §1.1, §1.2 cover update, patch and If-Match only); every expectation here is the
// live OpenIDM 6.1.0's observed answer (docs/emulator.md "An update that changes nothing"): no write,
// the revision stays, a stale If-Match is not refused, and the reply names the caller's revision.
import { strict as assert } from 'node:assert';
import { batchFilter, contractUser, newBatch, scanJob } from './support/builders';
import { Reply, show } from './support/http';
import {
  createUsers,
  execute,
  isDone,
  pushExecutable,
  readRun,
  readUser,
  removeExecutable,
  waitForRun,
} from './support/runs';
import { forEachTarget } from './support/targets';

type Body = Record<string, unknown>;

/** The object as read, without `_id` and `_rev`: what a client PUTs back unchanged. */
function contentOf(object: Body): Body {
  const { _id: _i, _rev: _r, ...rest } = object;
  return rest;
}

/** The reply's ETag revision without quotes, or null when it has none. */
function etagOf(reply: Reply): string | null {
  const etag = reply.headers.get('etag');
  return etag === null ? null : etag.replace(/^"(.*)"$/, '$1');
}

forEachTarget('an update that changes nothing', (t) => {
  const batch = newBatch('unchanged');
  const user = contractUser(batch, 0);
  const path = `/openidm/managed/user/${user._id}`;
  let stored: Body = {};

  before(async () => {
    await createUsers(t, [user]);
    // The object as the server keeps it (OpenIDM adds fields of its own to a managed/user).
    stored = await readUser(t, user._id);
  });

  /** Sends one write, then checks the object still has the revision it had. */
  async function unchangedBy(
    method: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<Body>> {
    const reply = await t.http.request<Body>(method, path, { body, headers });
    assert.equal(reply.status, 200, show(reply));
    const after = await readUser(t, user._id);
    assert.equal(after._rev, stored._rev, `${method} moved the revision: ${show(reply)}`);
    return reply;
  }

  it('PUT of the object as read keeps the revision; the reply has no ETag', async () => {
    const reply = await unchangedBy('PUT', contentOf(stored));
    assert.equal(reply.body._rev, stored._rev, show(reply));
    assert.equal(etagOf(reply), null, show(reply));
    assert.deepEqual(contentOf(reply.body), contentOf(stored));
  });

  it('PUT of the same fields in another order keeps the revision', async () => {
    const reversed = Object.fromEntries(Object.entries(contentOf(stored)).reverse());
    await unchangedBy('PUT', reversed);
  });

  it('PUT with If-Match: * keeps the revision, no ETag', async () => {
    const reply = await unchangedBy('PUT', contentOf(stored), { 'If-Match': '*' });
    assert.equal(reply.body._rev, stored._rev, show(reply));
    assert.equal(etagOf(reply), null, show(reply));
  });

  it('PUT with a stale If-Match is not refused: 200, naming the stale revision in _rev and ETag', async () => {
    const stale = String(Number(stored._rev) + 40);
    const reply = await unchangedBy('PUT', contentOf(stored), { 'If-Match': `"${stale}"` });
    assert.equal(reply.body._rev, stale, show(reply));
    assert.equal(etagOf(reply), stale, show(reply));
  });

  it('PATCH replace or add of an equal value keeps the revision, with the current one as ETag', async () => {
    for (const operation of ['replace', 'add']) {
      const reply = await unchangedBy('PATCH', [{ operation, field: '/sn', value: user.sn }]);
      assert.equal(reply.body._rev, stored._rev, show(reply));
      assert.equal(etagOf(reply), stored._rev, `${operation}: ${show(reply)}`);
    }
  });

  it('PATCH remove of an absent field, or an empty patch, keeps the revision, no ETag', async () => {
    for (const body of [[{ operation: 'remove', field: '/telephoneNumber' }], []]) {
      const reply = await unchangedBy('PATCH', body);
      assert.equal(reply.body._rev, stored._rev, show(reply));
      assert.equal(etagOf(reply), null, `${JSON.stringify(body)}: ${show(reply)}`);
    }
  });

  it('PATCH that changes nothing with a stale If-Match is not refused: the stale revision answers', async () => {
    for (const body of [[{ operation: 'replace', field: '/sn', value: user.sn }], []]) {
      const reply = await unchangedBy('PATCH', body, { 'If-Match': '"0"' });
      assert.equal(reply.body._rev, '0', show(reply));
      assert.equal(etagOf(reply), '0', show(reply));
    }
  });

  it('a PATCH or PUT that changes something still fails 412 at a stale revision, then moves it by one', async () => {
    const change = [{ operation: 'replace', field: '/sn', value: 'Changed' }];
    const refused = await t.http.request('PATCH', path, { body: change, headers: { 'If-Match': '"0"' } });
    assert.equal(refused.status, 412, show(refused));
    const put = await t.http.put(
      path,
      { ...contentOf(stored), sn: 'Changed' },
      { headers: { 'If-Match': '"0"' } },
    );
    assert.equal(put.status, 412, show(put));
    const done = await t.http.request<Body>('PATCH', path, { body: change });
    assert.equal(done.status, 200, show(done));
    assert.equal(done.body._rev, String(Number(stored._rev) + 1), show(done));
    assert.equal(etagOf(done), done.body._rev, show(done));
    stored = await readUser(t, user._id);
  });

  describe("a scan script's openidm.update and openidm.patch that change nothing", () => {
    const scanned = newBatch('unchanged-scan');
    const object = contractUser(scanned, 0);
    const job = `${scanned}-job`;
    let createdRev = 0;
    let run: Awaited<ReturnType<typeof readRun>> | undefined;

    before(async () => {
      await createUsers(t, [object]);
      createdRev = Number((await readUser(t, object._id))._rev);
      // Both writes change nothing, the patch at a stale revision; the script succeeds only when both
      // return the object at the revision it had (the stored one, not the stale one).
      const script =
        'var o = openidm.read(objectID);' +
        ' var u = openidm.update(objectID, o._rev, o);' +
        ' var p = openidm.patch(objectID, "1", [{ operation: "replace", field: "/sn", value: o.sn }]);' +
        ' u._rev === o._rev && p._rev === o._rev && p.sn === o.sn;';
      const name = await pushExecutable(t, job, scanJob({ filter: batchFilter(scanned), script }));
      try {
        run = await waitForRun(t, await execute(t, name), isDone);
      } finally {
        await removeExecutable(t, job);
      }
    });

    it('return the object at its revision, and the scan writes it three times, not five', async () => {
      assert.deepEqual(
        run?.progress && { successes: run.progress.successes, failures: run.progress.failures },
        { successes: 1, failures: 0 },
        JSON.stringify(run),
      );
      // Claim (started, completed := null) and completion; the script's two writes changed nothing.
      const after = await readUser(t, object._id);
      assert.equal(Number(after._rev) - createdRev, 3, JSON.stringify(after));
    });
  });
});
