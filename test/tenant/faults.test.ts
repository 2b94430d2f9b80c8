import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import {
  AmbiguousExecuteError,
  CrestError,
  IdmPasswordSignIn,
  TenantClient,
  type RetryPolicy,
} from '../../src/core/tenant';
import { watchRun, type WatchEvent } from '../../src/core/watch';
import { Fault, FaultProxy } from '../support/fault-proxy';
import { scanJob, slowScript } from './support/jobs';

const EXECUTE = /_action=execute/;
const policy: RetryPolicy = {
  maxAttempts: 4,
  maxTotalMs: 3_000,
  baseDelayMs: 50,
  maxDelayMs: 400,
  maxRetryAfterMs: 2_000,
};

/** A deterministic PRNG so a failing fault sequence can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tenant client through the fault proxy, against the emulator', function () {
  this.timeout(120_000);
  let emu: EmulatorHandle;
  let proxy: FaultProxy;
  let client: TenantClient;
  /** The emulator seen without faults, to check what really happened. */
  let direct: TenantClient;

  before(async () => {
    emu = await startEmulator({ port: 0, inMemory: true, seedUsers: 60, log: () => undefined });
    direct = new TenantClient(emu.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), { env: {} });
  });
  after(async () => {
    await direct.close();
    await emu.close();
  });
  beforeEach(async () => {
    proxy = await FaultProxy.start(emu.url);
    client = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
      retry: policy,
      headersTimeoutMs: 1_500,
    });
  });
  afterEach(async () => {
    await client.close();
    await proxy.close();
  });

  const faults: Fault[] = [
    { kind: 'drop' },
    { kind: 'drop-after-forward' },
    { kind: 'truncate' },
    { kind: 'status', status: 502 },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 504 },
    { kind: 'status', status: 429, retryAfter: '0' },
    { kind: 'delay', ms: 2_000 },
  ];

  for (const fault of faults) {
    const label = fault.kind === 'status' ? `${fault.status}` : fault.kind;
    it(`never sends execute twice when it meets ${label}`, async () => {
      const job = `once-${label}`;
      await direct.jobs.upsert(job, scanJob({ stateKey: `s${label.replace(/\W/g, '')}` }));
      proxy.add({ method: 'POST', path: EXECUTE, fault, times: 1 });
      let outcome: string;
      try {
        const r = await client.runs.execute(job);
        outcome = r.runId;
      } catch (err) {
        assert.ok(err instanceof AmbiguousExecuteError || err instanceof CrestError, String(err));
        outcome = 'error';
      }
      // A delayed execute is forwarded only after the client may have given up on it; count what reached
      // the tenant once the proxy has finished with every request, not after a guessed pause.
      await proxy.settled();
      const sent = proxy.forwarded('POST', EXECUTE).length;
      const runs = await direct.runs.list({ job });
      assert.ok(sent <= 1, `execute reached the tenant ${sent} times`);
      assert.equal(runs.length, sent, 'every execute that arrived made exactly one run');
      if (outcome !== 'error')
        assert.equal(runs[0]?._id, outcome, 'the reported run is the one that started');
      else
        assert.ok(fault.kind !== 'status' || fault.status !== 429, '429 is safe to resend and must succeed');
    });
  }

  /** Queries jobs through the proxy with its own retry policy; resolves with the GETs that reached it. */
  async function attemptsWith(retry: RetryPolicy): Promise<number> {
    const c = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
      retry,
    });
    proxy.add({ method: 'GET', fault: { kind: 'status', status: 503 } });
    try {
      await assert.rejects(c.jobs.query(), (err: unknown) => err instanceof CrestError && err.status === 503);
    } finally {
      await c.close();
    }
    return proxy.log.filter((r) => r.method === 'GET').length;
  }

  it('keeps retries of a GET within their attempt bound', async () => {
    // A budget no machine reaches: the attempt bound is what stops it.
    assert.equal(await attemptsWith({ ...policy, maxTotalMs: 600_000 }), policy.maxAttempts);
  });

  it('stops retrying when the next wait would end past the time budget', async () => {
    // Every wait (at least 500 ms) is longer than the whole 100 ms budget: one attempt, however fast
    // or slow the machine (a count, not a clock, is checked).
    const budget = { ...policy, maxAttempts: 10, maxTotalMs: 100, baseDelayMs: 1_000, maxDelayMs: 1_000 };
    assert.equal(await attemptsWith(budget), 1);
  });

  it('reports the final state of every watched run through random faults and an outage', async () => {
    await direct.jobs.upsert('chaos', scanJob({ stateKey: 'chaos', threads: 1, script: slowScript(40) }));
    const random = prng(20261128);
    const kinds: Fault[] = [
      { kind: 'drop' },
      { kind: 'truncate' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, retryAfter: '1' },
    ];
    for (let i = 0; i < 40; i++) {
      if (random() < 0.35)
        proxy.add({ method: 'GET', fault: kinds[Math.floor(random() * kinds.length)], times: 1 });
      else proxy.add({ method: 'GET', fault: { kind: 'delay', ms: 0 }, times: 1 });
    }
    const runs = await Promise.all([1, 2].map(async () => (await direct.runs.execute('chaos')).runId));
    const events: WatchEvent[][] = [[], []];
    const watching = runs.map((id, i) =>
      watchRun(id, client.runs, { onEvent: (e) => events[i].push(e), maxRetryDelayMs: 1_500 }),
    );
    await new Promise((r) => setTimeout(r, 1_200));
    await proxy.outage(2_500, 'reset');
    const ends = await Promise.all(watching);
    for (const [i, end] of ends.entries()) {
      assert.equal(end.type, 'final', JSON.stringify(end));
      const truth = await direct.runs.read(runs[i]);
      assert.deepEqual(end.type === 'final' && end.run.progress, truth.progress);
      assert.equal(events[i].filter((e) => e.type === 'final').length, 1);
    }
    assert.ok(
      events.flat().some((e) => e.type === 'connection-lost'),
      'the outage was noticed',
    );
  });
});
