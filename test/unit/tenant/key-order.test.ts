// Diff with Tenant shows the tenant's job in the local file's key order (issue 16 item 7): a key the
// server merely returns elsewhere is no change.
import assert from 'node:assert/strict';
import { inLocalKeyOrder } from '../../../src/core/tenant';

describe('inLocalKeyOrder', () => {
  it('orders the tenant copy by the local keys, nested, with tenant-only keys last', () => {
    const remote = {
      schedule: '0 0 2 * * ?',
      type: 'cron',
      misfirePolicy: 'fireAndProceed',
      invokeContext: { scan: { object: 'managed/alpha_user', _queryFilter: 'true' }, numberOfThreads: 5 },
    };
    const local = {
      type: 'cron',
      schedule: '0 0 2 * * ?',
      invokeContext: { numberOfThreads: 5, scan: { _queryFilter: 'true', object: 'managed/alpha_user' } },
    };
    const ordered = inLocalKeyOrder(remote, local);
    assert.equal(
      JSON.stringify(ordered),
      '{"type":"cron","schedule":"0 0 2 * * ?","invokeContext":{"numberOfThreads":5,"scan":{"_queryFilter":"true","object":"managed/alpha_user"}},"misfirePolicy":"fireAndProceed"}',
    );
    assert.deepEqual(ordered, remote, 'same content');
  });

  it('keeps values, arrays and a key named __proto__ as data', () => {
    const remote = JSON.parse('{"b":[{"y":1,"x":2}],"__proto__":{"admin":true},"a":null}') as unknown;
    const local = JSON.parse('{"a":0,"__proto__":{},"b":[{"x":0,"y":0}]}') as unknown;
    const ordered = inLocalKeyOrder(remote, local) as Record<string, unknown>;
    assert.equal(JSON.stringify(ordered), '{"a":null,"__proto__":{"admin":true},"b":[{"x":2,"y":1}]}');
    assert.equal(Object.getPrototypeOf(ordered), Object.prototype);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });
});
