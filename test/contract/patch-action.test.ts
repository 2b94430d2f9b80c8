// `POST /openidm/managed/<object>[/<id>]?_action=patch`: a CREST patch sent as an action, by id or by
// a query that must select exactly one object. The platform's spec does not describe it (idm-api.md
// §1.1 lists the CREST operations only); every expectation is the live OpenIDM 6.1.0's observed answer
// (docs/emulator.md "Managed objects").
import { strict as assert } from 'node:assert';
import { contractUser, newBatch } from './support/builders';
import { CrestErrorBody, Reply, show } from './support/http';
import { createUsers, readUser } from './support/runs';
import { forEachTarget } from './support/targets';

type Body = Record<string, unknown>;

forEachTarget('managed objects: _action=patch', (t) => {
  const batch = newBatch('patch-action');
  const users = [contractUser(batch, 0), contractUser(batch, 1)];
  const one = users[0]!;

  before(async () => {
    await createUsers(t, users);
  });

  function patchAction(
    path: string,
    query: Record<string, string>,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<Body>> {
    return t.http.request<Body>('POST', path, { query: { _action: 'patch', ...query }, body, headers });
  }

  it('patches one object by id: 200, the revision +1, the object in the body, no ETag', async () => {
    const before = await readUser(t, one._id);
    const replace = [{ operation: 'replace', field: '/sn', value: 'Acted' }];
    const reply = await patchAction(`/openidm/managed/user/${one._id}`, {}, replace);
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body._id, one._id, show(reply));
    assert.equal(reply.body.sn, 'Acted', show(reply));
    assert.equal(reply.body._rev, String(Number(before._rev) + 1), show(reply));
    assert.equal(reply.headers.get('etag'), null, show(reply));
    // The same patch again changes nothing: the revision stays (docs/emulator.md).
    const again = await patchAction(`/openidm/managed/user/${one._id}`, {}, replace);
    assert.equal(again.status, 200, show(again));
    assert.equal(again.body._rev, reply.body._rev, show(again));
    assert.equal((await readUser(t, one._id))._rev, reply.body._rev);
  });

  it('patches the one object a query selects', async () => {
    const before = await readUser(t, one._id);
    const reply = await patchAction(
      '/openidm/managed/user',
      { _queryFilter: `userName eq "${one.userName}"` },
      [{ operation: 'replace', field: '/givenName', value: 'Queried' }],
    );
    assert.equal(reply.status, 200, show(reply));
    assert.equal(reply.body._id, one._id, show(reply));
    assert.equal(reply.body.givenName, 'Queried', show(reply));
    assert.equal(reply.body._rev, String(Number(before._rev) + 1), show(reply));
  });

  it('answers a query selecting none 404, more than one 500, and no query 400', async () => {
    const replace = [{ operation: 'replace', field: '/sn', value: 'Never' }];
    const cases: [Record<string, string>, number, string][] = [
      [{ _queryFilter: `description eq "${batch}-none"` }, 404, 'Query returned no results'],
      [{ _queryFilter: `description eq "${batch}"` }, 500, 'Query result must yield one matching object'],
      [
        {},
        400,
        'Either _queryId, _queryExpression, or _queryFilter to identify/define a query must be passed',
      ],
    ];
    for (const [query, status, message] of cases) {
      const reply = await patchAction('/openidm/managed/user', query, replace);
      assert.equal(reply.status, status, `${JSON.stringify(query)}: ${show(reply)}`);
      assert.ok((reply.body as unknown as CrestErrorBody).message.startsWith(message), show(reply));
    }
    for (const user of users) assert.notEqual((await readUser(t, user._id)).sn, 'Never');
  });

  it('refuses If-Match with 412 (OpenIDM refuses it on any POST) and changes nothing', async () => {
    const before = await readUser(t, one._id);
    const reply = await patchAction(
      `/openidm/managed/user/${one._id}`,
      {},
      [{ operation: 'replace', field: '/sn', value: 'Matched' }],
      { 'If-Match': `"${String(before._rev)}"` },
    );
    assert.equal(reply.status, 412, show(reply));
    assert.equal(
      (reply.body as unknown as CrestErrorBody).message,
      'If-Match not supported for POST requests',
    );
    assert.equal((await readUser(t, one._id))._rev, before._rev);
  });
});
