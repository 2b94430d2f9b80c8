// Two runs over the same objects at once (idm-api.md §5.3, §5.4, §5.5, §5.9): an overlapping scheduled
// fire, another node, or Execute while a run is active. No timing: run A (one worker) is held on its
// first object by a gated script until the test opens the gate; run B (same objects, a fast script)
// starts once A's claim is visible and ends before the gate opens. Expectations are the live OpenIDM
// 6.1.0's observed answers (the same on 3 runs); both local flavours give the same.
import { strict as assert } from 'node:assert';
import {
  COMPLETED,
  STARTED,
  type ContractUser,
  batchFilter,
  contractUser,
  gatedScript,
  newBatch,
  scanJob,
} from './support/builders';
import { show } from './support/http';
import {
  ISO_MILLIS,
  type Run,
  at,
  createUsers,
  execute,
  isDone,
  pushExecutable,
  readRun,
  readUser,
  removeExecutable,
  waitForRun,
} from './support/runs';
import { forEachTarget, type Target } from './support/targets';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the users until one carries a `started` time (run A's claim); fails after `timeoutMs`. */
async function firstClaimed(t: Target, users: ContractUser[], timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const u of users) if (at(await readUser(t, u._id), STARTED)) return u._id;
    if (Date.now() > deadline) assert.fail('run A claimed no object');
    await sleep(100);
  }
}

interface Overlap {
  users: ContractUser[];
  /** The object run A's script is held on, as read once A had claimed it and again at the end. */
  held: string;
  heldClaimed: Record<string, unknown>;
  heldAfter: Record<string, unknown>;
  /** The other objects at the end. */
  others: Record<string, unknown>[];
  /** Run A as it was when run B had ended, and both runs at the end. */
  aWhileB: Run;
  a: Run;
  b: Run;
}

/** Runs A and B as the header says, with `recovery` as both jobs' `scan.recovery.timeout`. */
async function overlap(
  t: Target,
  label: string,
  recovery: string | null,
  cleanup: string[],
): Promise<Overlap> {
  const batch = newBatch(label);
  const users = Array.from({ length: 3 }, (_, i) => contractUser(batch, i));
  await createUsers(t, users);
  const gate = `${batch}-gate`;
  const filter = batchFilter(batch);
  cleanup.push(`${batch}-a`, `${batch}-b`);
  const nameA = await pushExecutable(
    t,
    `${batch}-a`,
    scanJob({ filter, script: gatedScript(gate), numberOfThreads: 1, recovery }),
  );
  const nameB = await pushExecutable(t, `${batch}-b`, scanJob({ filter, script: 'true;', recovery }));
  const runA = await execute(t, nameA);
  let gateOpen = false;
  const openGate = async () => {
    if (gateOpen) return;
    gateOpen = true;
    const reply = await t.http.put(
      `/openidm/managed/user/${encodeURIComponent(gate)}`,
      {
        userName: gate,
        givenName: 'Gate',
        sn: 'Gate',
        mail: `${gate}@example.com`,
        description: `${batch}-gate`,
      },
      { headers: { 'If-None-Match': '*' } },
    );
    assert.equal(reply.status, 201, `opening the gate: ${show(reply)}`);
  };
  try {
    const held = await firstClaimed(t, users);
    const heldClaimed = await readUser(t, held);
    const b = await waitForRun(t, await execute(t, nameB), isDone);
    const aWhileB = await readRun(t, runA);
    await openGate();
    const a = await waitForRun(t, runA, isDone);
    const heldAfter = await readUser(t, held);
    const others: Record<string, unknown>[] = [];
    for (const u of users) if (u._id !== held) others.push(await readUser(t, u._id));
    return { users, held, heldClaimed, heldAfter, others, aWhileB, a, b };
  } finally {
    // Never leave run A's script waiting on a server thread, whatever failed above.
    await openGate().catch(() => undefined);
  }
}

const progress = (state: string, processed: number, successes: number) => ({
  state,
  processed,
  total: 3,
  successes,
  failures: 0,
});

forEachTarget('two runs over the same objects', (t) => {
  const cleanup: string[] = [];
  after(async () => {
    for (const id of cleanup) await removeExecutable(t, id);
  });

  describe('without recovery.timeout (the default window of 0)', () => {
    let o: Overlap;
    before(async () => {
      o = await overlap(t, 'overlap0', null, cleanup);
    });

    it('run B re-claims the object run A is processing and completes all three (§5.5)', () => {
      assert.deepEqual(o.b.progress, progress('COMPLETED', 3, 3), JSON.stringify(o.b));
      assert.notEqual(at(o.heldAfter, STARTED), at(o.heldClaimed, STARTED), 'B wrote its own claim');
      assert.match(String(at(o.heldAfter, STARTED)), ISO_MILLIS);
    });

    it('run A is still on that object, nothing counted, when run B ends', () => {
      assert.deepEqual(o.aWhileB.progress, progress('ACTIVE', 0, 0), JSON.stringify(o.aWhileB));
    });

    it('run A still completes its object after B, and gives up the two B took, uncounted (§5.4)', () => {
      assert.deepEqual(o.a.progress, progress('COMPLETED', 1, 1), JSON.stringify(o.a));
    });

    it('run A writes its completion last: re-read after its script, not refused (§5.4)', () => {
      const completed = String(at(o.heldAfter, COMPLETED));
      assert.match(completed, ISO_MILLIS);
      for (const other of o.others) {
        assert.match(String(at(other, COMPLETED)), ISO_MILLIS, JSON.stringify(other));
        assert.ok(completed > String(at(other, COMPLETED)), JSON.stringify({ held: o.heldAfter, other }));
      }
    });

    it("revisions: B's re-claim is one write (completed was null already), then B's and A's completions", () => {
      assert.equal(Number(o.heldAfter._rev) - Number(o.heldClaimed._rev), 3, JSON.stringify(o.heldAfter));
    });
  });

  describe('with recovery.timeout "10m"', () => {
    let o: Overlap;
    before(async () => {
      o = await overlap(t, 'overlap10m', '10m', cleanup);
    });

    it('run B skips the object run A holds, uncounted, and completes the other two (§5.4)', () => {
      assert.deepEqual(o.b.progress, progress('COMPLETED', 2, 2), JSON.stringify(o.b));
      for (const other of o.others)
        assert.match(String(at(other, COMPLETED)), ISO_MILLIS, JSON.stringify(other));
    });

    it('run A is still on that object, nothing counted, when run B ends', () => {
      assert.deepEqual(o.aWhileB.progress, progress('ACTIVE', 0, 0), JSON.stringify(o.aWhileB));
    });

    it('run A completes its object and gives up the two B took, uncounted', () => {
      assert.deepEqual(o.a.progress, progress('COMPLETED', 1, 1), JSON.stringify(o.a));
    });

    it("the held object keeps A's claim and gets only A's completion", () => {
      assert.equal(at(o.heldAfter, STARTED), at(o.heldClaimed, STARTED));
      assert.match(String(at(o.heldAfter, COMPLETED)), ISO_MILLIS);
      assert.equal(Number(o.heldAfter._rev) - Number(o.heldClaimed._rev), 1, JSON.stringify(o.heldAfter));
    });
  });
});
