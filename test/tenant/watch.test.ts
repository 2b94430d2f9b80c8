import assert from 'node:assert/strict';
import { IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { MIN_INTERVAL_MS, Pace, RunWatchHub, WatchEvent, watchRun } from '../../src/core/watch';
import { FaultProxy } from '../support/fault-proxy';
import { ScriptedTenant } from './support/scripted-tenant';

describe('run watcher over real HTTP', () => {
  let tenant: ScriptedTenant;
  let proxy: FaultProxy;
  let client: TenantClient;

  beforeEach(async () => {
    tenant = await ScriptedTenant.start();
    proxy = await FaultProxy.start(tenant.url);
    client = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
    });
  });
  afterEach(async () => {
    await client.close();
    await proxy.close();
    await tenant.close();
  });

  const readsOf = (id: string) => proxy.log.filter((r) => r.method === 'GET' && r.path.endsWith(id));

  it('reports states in order, progress, and one final event with the final record', async () => {
    const id = tenant.addRun({ initializingMs: 500, activeMs: 2_500, total: 50 });
    const events: WatchEvent[] = [];
    const end = await watchRun(id, client.runs, { onEvent: (e) => events.push(e) });
    assert.equal(end.type, 'final');
    assert.equal(end.type === 'final' && end.run.progress.state, 'COMPLETED');
    assert.equal(end.type === 'final' && end.run.progress.processed, 50);
    const states = events
      .filter((e) => e.type === 'state')
      .map((e) => (e.type === 'state' ? e.run.progress.state : ''));
    assert.deepEqual(states, ['INITIALIZED', 'ACTIVE', 'COMPLETED']);
    assert.ok(events.some((e) => e.type === 'progress' && e.stats.processed > 0 && e.stats.processed < 50));
    assert.equal(events.filter((e) => e.type === 'final').length, 1);
    assert.equal(events[events.length - 1].type, 'final');
  });

  it('never polls faster than once a second', async () => {
    const id = tenant.addRun({ initializingMs: 100, activeMs: 3_500, total: 10 });
    await watchRun(id, client.runs);
    const times = readsOf(id).map((r) => r.at);
    assert.ok(times.length >= 2);
    for (let i = 1; i < times.length; i++) {
      assert.ok(times[i] - times[i - 1] >= MIN_INTERVAL_MS - 15, `gap ${times[i] - times[i - 1]} ms`);
    }
  });

  it('sends one request per poll however many listeners there are', async () => {
    const id = tenant.addRun({ initializingMs: 100, activeMs: 2_500, total: 10 });
    const hub = new RunWatchHub(client.runs);
    const heard = [0, 0, 0];
    const follows = heard.map((_, i) => hub.follow(id, () => heard[i]++));
    const ends = await Promise.all(follows.map((f) => f.done));
    assert.ok(ends.every((e) => e.type === 'final'));
    const polls = readsOf(id).length;
    assert.ok(polls >= 2 && polls <= 6, `${polls} polls`);
    assert.ok(
      heard.every((n) => n === heard[0] && n >= 3),
      `events heard ${heard.join(',')}`,
    );
    assert.equal(hub.size, 0, 'nothing is polled once the run has ended');
  });

  it('stops polling when the last listener leaves', async () => {
    const id = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 10 });
    const hub = new RunWatchHub(client.runs);
    const a = hub.follow(id, () => undefined);
    const b = hub.follow(id, () => undefined);
    await new Promise((r) => setTimeout(r, 1_200));
    a.stop();
    assert.equal(hub.size, 1);
    b.stop();
    const end = await b.done;
    assert.equal(end.type === 'stopped' && end.reason, 'aborted');
    const count = readsOf(id).length;
    await new Promise((r) => setTimeout(r, 1_200));
    assert.equal(readsOf(id).length, count);
  });

  it('reports the final state of a run that finished while the tenant was away', async () => {
    const id = tenant.addRun({ initializingMs: 0, activeMs: 1_500, total: 20 });
    const events: WatchEvent[] = [];
    const watching = watchRun(id, client.runs, { onEvent: (e) => events.push(e), maxRetryDelayMs: 1_000 });
    await new Promise((r) => setTimeout(r, 1_100));
    await proxy.outage(2_500, 'refuse');
    const end = await watching;
    assert.equal(end.type, 'final');
    assert.equal(end.type === 'final' && end.run.progress.state, 'COMPLETED');
    const lost = events.filter((e) => e.type === 'connection-lost');
    assert.ok(lost.length >= 1);
    assert.match(
      lost[0].type === 'connection-lost' ? lost[0].message : '',
      /connection was refused.*; retrying$/,
    );
    assert.ok(events.some((e) => e.type === 'connection-restored'));
  });

  it('keeps going through 5xx replies and dropped connections', async () => {
    const id = tenant.addRun({ initializingMs: 0, activeMs: 2_000, total: 20 });
    proxy.add(
      { method: 'GET', fault: { kind: 'status', status: 503 }, times: 1 },
      { method: 'GET', fault: { kind: 'drop' }, times: 1 },
      { method: 'GET', fault: { kind: 'truncate' }, times: 1 },
    );
    const end = await watchRun(id, client.runs);
    assert.equal(end.type === 'final' && end.run.progress.state, 'COMPLETED');
  });

  it('reports a run that stays ACTIVE with a frozen count as possibly hung, once', async () => {
    const id = tenant.addRun({
      initializingMs: 0,
      activeMs: 6_000,
      total: 100,
      curve: (t) => (t < 0.9 ? 0.1 : t),
    });
    const events: WatchEvent[] = [];
    const end = await watchRun(id, client.runs, { stallAfterMs: 2_000, onEvent: (e) => events.push(e) });
    const stalled = events.filter((e) => e.type === 'stalled');
    assert.equal(stalled.length, 1);
    assert.ok(
      stalled[0].type === 'stalled' && stalled[0].forMs >= 2_000 && stalled[0].run.progress.processed === 10,
    );
    assert.equal(stalled[0].type === 'stalled' && stalled[0].explanation.cause, 'object-stuck');
    assert.equal(end.type === 'final' && end.run.progress.state, 'COMPLETED');
  });

  it('gives up on a stalled run when asked, naming the cut filter from the job it is told', async () => {
    // ACTIVE with total 0 for good: what OpenIDM shows for a filter cut after its macro (§4.2).
    const id = tenant.addRun({ initializingMs: 0, activeMs: 1e9, total: 0 });
    const events: WatchEvent[] = [];
    let asked = 0;
    const end = await watchRun(id, client.runs, {
      stallAfterMs: 2_000,
      stopWhenStalled: true,
      stallContext: () => {
        asked++;
        return { openidm: true, filter: '(/d lt "${Time.now}") and /a pr' };
      },
      onEvent: (e) => events.push(e),
    });
    assert.equal(end.type, 'stopped');
    assert.equal(end.type === 'stopped' && end.reason, 'stalled');
    assert.equal(end.run?.progress.state, 'ACTIVE');
    assert.match(end.type === 'stopped' ? end.message : '', /text after its last macro .*OpenIDM cuts off/);
    assert.match(end.type === 'stopped' ? end.message : '', new RegExp(`scanjobs cancel ${id}`));
    assert.equal(asked, 1);
    const stalled = events.find((e) => e.type === 'stalled');
    assert.ok(stalled?.type === 'stalled' && stalled.thresholdMs === 2_000 && stalled.forMs >= 2_000);
    assert.equal(stalled.explanation.cause, 'truncated-filter');
  });

  it("waits as long as the job's history says before its first object, asking for it once", async () => {
    // ACTIVE, nothing counted: the job's earlier runs took up to 2 s to count their first object, so
    // the threshold is 2 × 2 s = 4 s, not the 1 s floor (stall.ts, HISTORY_START_FACTOR).
    const id = tenant.addRun({ initializingMs: 0, activeMs: 1e9, total: 0 });
    let asked = 0;
    const events: WatchEvent[] = [];
    const end = await watchRun(id, client.runs, {
      stallAfterMs: 1_000,
      stopWhenStalled: true,
      stallHistory: () => {
        asked++;
        return { firstObjectMs: 2_000 };
      },
      onEvent: (e) => events.push(e),
    });
    assert.equal(end.type === 'stopped' && end.reason, 'stalled');
    assert.equal(asked, 1);
    const stalled = events.find((e) => e.type === 'stalled');
    assert.ok(stalled?.type === 'stalled');
    assert.equal(stalled.thresholdMs, 4_000);
    assert.ok(stalled.forMs >= 4_000);
  });

  it('a failing stall context still ends the watch, with the cause told by the run alone', async () => {
    const id = tenant.addRun({ initializingMs: 0, activeMs: 1e9, total: 0 });
    const end = await watchRun(id, client.runs, {
      stallAfterMs: 1_000,
      stopWhenStalled: true,
      stallContext: () => Promise.reject(new Error('job unreadable')),
    });
    assert.equal(end.type === 'stopped' && end.reason, 'stalled');
    assert.match(end.type === 'stopped' ? end.message : '', /query never returned \(total is still 0\)/);
  });

  it('explains a 404 and gives up after the configured number of tries', async () => {
    const events: WatchEvent[] = [];
    const end = await watchRun('gone-1', client.runs, { notFoundLimit: 2, onEvent: (e) => events.push(e) });
    assert.equal(end.type, 'stopped');
    assert.equal(end.type === 'stopped' && end.reason, 'not-found');
    assert.match(end.type === 'stopped' ? end.message : '', /evicted .* or it lives on another server node/);
    assert.equal(events.filter((e) => e.type === 'not-found').length, 1);
  });

  it('reports a cancelled run as final', async () => {
    const id = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 20 });
    const watching = watchRun(id, client.runs);
    await new Promise((r) => setTimeout(r, 300));
    await client.runs.cancel(id);
    const end = await watching;
    assert.equal(end.type === 'final' && end.run.progress.state, 'CANCELLED');
  });

  it('stops when aborted', async () => {
    const id = tenant.addRun({ initializingMs: 0, activeMs: 60_000, total: 20 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const end = await watchRun(id, client.runs, { signal: ac.signal });
    assert.equal(end.type === 'stopped' && end.reason, 'aborted');
  });
});

describe('watch pace', () => {
  it('starts quick, then slows down up to the maximum', () => {
    const pace = new Pace({ firstIntervalMs: 1000, quickPolls: 2, growth: 2, maxIntervalMs: 5000 });
    const waits = Array.from({ length: 6 }, () => pace.next(undefined));
    assert.deepEqual(waits, [1000, 1000, 2000, 4000, 5000, 5000]);
  });

  it('aims at the predicted end of the run, but never under a second', () => {
    const pace = new Pace({ quickPolls: 0, maxIntervalMs: 10_000 });
    for (let i = 0; i < 5; i++) pace.next(undefined);
    assert.equal(pace.next(3_000), 3_250);
    assert.equal(pace.next(100), MIN_INTERVAL_MS);
  });

  it('refuses to be configured faster than once a second', () => {
    const pace = new Pace({ firstIntervalMs: 10, quickPolls: 5 });
    assert.equal(pace.next(undefined), MIN_INTERVAL_MS);
  });
});
