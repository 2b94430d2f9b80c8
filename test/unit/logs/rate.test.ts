// The per-tenant rate budget (docs/logs.md "Rate budget"), on an injected clock.
import assert from 'node:assert/strict';
import { RateBudget, budgetFor, readRateHeaders } from '../../../src/core/logs';

describe('log rate budget', () => {
  it('grants perMinute requests in any 60 s window, then makes the next wait for the oldest to age out', async () => {
    let now = 1_000_000;
    const b = new RateBudget({ perMinute: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      await b.acquire();
      now += 1000;
    }
    assert.equal(b.waitMs(), 60_000 - 3000);
    now += 57_000;
    assert.equal(b.waitMs(), 0);
  });

  it('waits for Retry-After after a 429, and a minute when the tenant sent none', () => {
    let now = 0;
    const b = new RateBudget({ now: () => now });
    b.refused(7000);
    assert.equal(b.waitMs(), 7000);
    now = 7000;
    assert.equal(b.waitMs(), 0);
    b.refused(undefined);
    assert.equal(b.waitMs(), 60_000);
  });

  it("obeys the tenant's x-ratelimit-remaining: at the reserve it waits for the reset", () => {
    const now = 1_700_000_000_000;
    const b = new RateBudget({ now: () => now, reserve: 2 });
    b.observe(readRateHeaders({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1700000030' }, now));
    assert.equal(b.waitMs(), 0);
    b.observe(readRateHeaders({ 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '1700000030' }, now));
    assert.equal(b.waitMs(), 30_000);
  });

  it('reads x-ratelimit-reset as epoch seconds or as seconds from now', () => {
    assert.deepEqual(readRateHeaders({ 'x-ratelimit-limit': '60', 'x-ratelimit-reset': '12' }, 1000), {
      limit: 60,
      remaining: undefined,
      resetAt: 13_000,
    });
    assert.equal(readRateHeaders({ 'x-ratelimit-reset': 'soon' }).resetAt, undefined);
  });

  it('serves waiting callers in turn, and one that gives up does not block the next', async () => {
    const b = new RateBudget({ perMinute: 1 });
    await b.acquire();
    const ac = new AbortController();
    const gaveUp = b.acquire(ac.signal);
    ac.abort();
    await assert.rejects(gaveUp);
    b.refused(0);
    assert.ok(b.waitMs() > 0, 'the window is still spent');
  });

  it('is one budget per tenant in a process', () => {
    assert.equal(budgetFor('https://a.example/'), budgetFor('https://a.example/'));
    assert.notEqual(budgetFor('https://a.example/'), budgetFor('https://b.example/'));
  });
});
