// IDM header sign-in and its refusal (idm-api.md §6.3, §1.3).
import { strict as assert } from 'node:assert';
import { show, type CrestErrorBody } from './support/http';
import { forEachTarget } from './support/targets';

forEachTarget('IDM header sign-in', (t) => {
  it('lets the administrator in with X-OpenIDM-Username / X-OpenIDM-Password', async () => {
    const reply = await t.http.get('/openidm/scheduler/job', { query: { _queryId: 'query-all-ids' } });
    assert.equal(reply.status, 200, show(reply));
  });

  it('answers a wrong password with 401 and the CREST body (§1.3)', async () => {
    const reply = await t.http.get<CrestErrorBody>('/openidm/scheduler/job', {
      query: { _queryId: 'query-all-ids' },
      headers: { 'X-OpenIDM-Password': 'not-the-password' },
    });
    assert.equal(reply.status, 401, show(reply));
    assert.deepEqual(
      { code: reply.body.code, reason: reply.body.reason, message: reply.body.message },
      { code: 401, reason: 'Unauthorized', message: 'Access Denied' },
    );
  });

  it('answers a request with no credentials with 401', async () => {
    const reply = await t.http.get('/openidm/scheduler/job', {
      query: { _queryId: 'query-all-ids' },
      anonymous: true,
    });
    assert.equal(reply.status, 401, show(reply));
  });
});
