/**
 * Attacks on the emulator through prototype names in pointers, patches, configs, scripts and paths
 * (issue 12, items 1 and 11; docs/security.md "Pointers and prototypes"). Every attack goes over
 * real HTTP; afterwards Object.prototype must be untouched and sign-in must still work as before.
 */
import { strict as assert } from 'node:assert';
import { Client, Started, execute, putUsers, scanJob, start, waitForRun } from '../support';

/** Object.prototype's own members as they are now, to compare after each attack. */
function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

const AUTH_TAKEOVER = (prefix: string) => [
  { operation: 'add', field: `${prefix}/x-openidm-username`, value: 'openidm-admin' },
  { operation: 'add', field: `${prefix}/x-openidm-password`, value: 'openidm-admin' },
];

describe('attacks: prototype names in pointers and paths', () => {
  let t: Started;
  const before = prototypeSnapshot();
  let anonymous: Client;

  beforeEach(async () => {
    t = await start();
    anonymous = new Client(t.emulator.url, {});
    await putUsers(t.client, [{ id: 'u1' }, { id: 'u2' }]);
  });
  afterEach(() => t.emulator.close());

  /** The facts every attack must leave true. */
  async function assertUnpolluted(): Promise<void> {
    assert.deepEqual(prototypeSnapshot(), before, 'Object.prototype gained or lost members');
    assert.equal(({} as Record<string, unknown>)['x-openidm-username'], undefined);
    assert.equal((await anonymous.get('/openidm/managed/alpha_user/u1')).status, 401);
    assert.equal((await t.client.get('/openidm/managed/alpha_user/u1')).status, 200);
  }

  for (const prefix of ['/__proto__', '__proto__', '/constructor/prototype', '/prototype']) {
    it(`a CREST patch through '${prefix}' is a plain key of the object, not its prototype`, async () => {
      const r = await t.client.patch('/openidm/managed/alpha_user/u1', AUTH_TAKEOVER(prefix));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await assertUnpolluted();
      // As on the platform (a Java map), the segment is an ordinary key of the stored object.
      const read = await t.client.get('/openidm/managed/alpha_user/u1');
      const path = prefix.split('/').filter(Boolean);
      let node: unknown = read.body;
      for (const key of path) {
        assert.ok(Object.hasOwn(node as object, key), `stored object lacks own key '${key}'`);
        node = (node as Record<string, unknown>)[key];
      }
      assert.deepEqual(node, {
        'x-openidm-username': 'openidm-admin',
        'x-openidm-password': 'openidm-admin',
      });
      // Another object of the collection did not change with it.
      assert.equal(
        Object.hasOwn((await t.client.get('/openidm/managed/alpha_user/u2')).body, path[0]!),
        false,
      );
    });
  }

  it('copy and move with a from or field through __proto__ change only the object', async () => {
    const r = await t.client.patch('/openidm/managed/alpha_user/u1', [
      { operation: 'copy', from: '/__proto__', field: '/leak' },
      { operation: 'move', from: '/mail', field: '/__proto__/x-openidm-username' },
      { operation: 'increment', field: '/__proto__/n', value: 1 },
    ]);
    // Nothing inherited is readable (copying `/__proto__` finds no own member); increment has no number.
    assert.equal(r.status, 400);
    assert.match(r.body.message, /increment needs a number at '\/__proto__\/n'/);
    await assertUnpolluted();
  });

  it('a remove of /__proto__/toString removes nothing from Object.prototype', async () => {
    const r = await t.client.patch('/openidm/managed/alpha_user/u1', [
      { operation: 'remove', field: '/__proto__/toString' },
      { operation: 'remove', field: '/constructor/prototype/hasOwnProperty' },
    ]);
    assert.equal(r.status, 200);
    assert.equal(typeof Object.prototype.toString, 'function');
    assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
    await assertUnpolluted();
  });

  it('openidm.patch from a job script through __proto__ stays inside the object', async () => {
    const source = `openidm.patch(objectID, null, ${JSON.stringify(AUTH_TAKEOVER('/__proto__'))}); true`;
    await t.client.put('/openidm/scheduler/job/p', scanJob({ source, waitForCompletion: true }));
    const run = await waitForRun(t.client, await execute(t.client, 'p'));
    assert.deepEqual(
      [run.progress.state, run.progress.successes, run.progress.failures],
      ['COMPLETED', 2, 0],
    );
    await assertUnpolluted();
    const read = await t.client.get('/openidm/managed/alpha_user/u2');
    assert.deepEqual(read.body.__proto__, {
      'x-openidm-username': 'openidm-admin',
      'x-openidm-password': 'openidm-admin',
    });
  });

  it('taskState pointers through __proto__ are written as plain keys of each object', async () => {
    await t.client.put(
      '/openidm/scheduler/job/ts',
      scanJob({
        taskState: { started: '/__proto__/x-openidm-username', completed: '/__proto__/x-openidm-password' },
        waitForCompletion: true,
      }),
    );
    const run = await waitForRun(t.client, await execute(t.client, 'ts'));
    assert.equal(run.progress.successes, 2);
    await assertUnpolluted();
    const stored = (await t.client.get('/openidm/managed/alpha_user/u1')).body.__proto__;
    assert.match(stored['x-openidm-username'], /^\d{4}-\d{2}-\d{2}T/);
    assert.match(stored['x-openidm-password'], /^\d{4}-\d{2}-\d{2}T/);
  });

  it('a config patch and a config body with __proto__ keep it as data', async () => {
    assert.equal((await t.client.put('/openidm/config/custom', { a: 1 })).status, 201);
    const patched = await t.client.patch('/openidm/config/custom', AUTH_TAKEOVER('/__proto__'));
    assert.equal(patched.status, 200);
    const raw = '{"__proto__":{"x-openidm-username":"openidm-admin"},"b":2}';
    assert.equal((await t.client.put('/openidm/config/other', raw)).status, 201);
    await assertUnpolluted();
    const read = await t.client.get('/openidm/config/other');
    assert.deepEqual(read.body.__proto__, { 'x-openidm-username': 'openidm-admin' });
  });

  it('a schedule whose body and invokeContext carry __proto__ keys pollutes nothing', async () => {
    const job = scanJob({ waitForCompletion: true });
    const raw = JSON.stringify(job).replace(
      '"invokeContext":{',
      '"invokeContext":{"__proto__":{"x-openidm-username":"openidm-admin"},',
    );
    assert.equal(
      (await t.client.put('/openidm/config/schedule/pp', `{"__proto__":{"a":1},${raw.slice(1)}`)).status,
      201,
    );
    const run = await waitForRun(t.client, await execute(t.client, 'pp'));
    assert.equal(run.progress.state, 'COMPLETED');
    await assertUnpolluted();
  });

  it('_fields and _sortKeys through __proto__ and constructor read and write nothing inherited', async () => {
    for (const fields of ['__proto__/toString', 'constructor/name', '__proto__', 'constructor/prototype/x']) {
      const r = await t.client.get(`/openidm/managed/alpha_user/u1?_fields=${encodeURIComponent(fields)}`);
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body).sort(), ['_id', '_rev'], `_fields=${fields}`);
      const q = await t.client.get(
        `/openidm/managed/alpha_user?_queryFilter=true&_sortKeys=${encodeURIComponent(fields)}&_fields=${encodeURIComponent(fields)}`,
      );
      assert.equal(q.status, 200);
      assert.equal(q.body.resultCount, 2);
    }
    await assertUnpolluted();
  });

  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype']) {
    it(`GET /openidm/${name} (and below managed, config, taskscanner) is 404, not 500`, async () => {
      for (const path of [
        `/openidm/${name}`,
        `/openidm/managed/${name}`,
        `/openidm/managed/alpha_user/${name}`,
        `/openidm/config/${name}`,
        `/openidm/taskscanner/${name}`,
        `/openidm/scheduler/job/${name}`,
        `/scanjobs-emulator/${name}`,
      ]) {
        const r = await t.client.get(path);
        assert.equal(r.status, 404, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
        assert.deepEqual([r.body.code, r.body.reason], [404, 'Not Found'], path);
      }
      await assertUnpolluted();
    });
  }

  it('an anonymous request stays anonymous whatever header names it sends', async () => {
    const r = await fetch(`${t.emulator.url}/openidm/managed/alpha_user/u1`, {
      headers: { constructor: 'openidm-admin', 'x-openidm-username': 'openidm-admin' },
    });
    assert.equal(r.status, 401);
    await assertUnpolluted();
  });
});
