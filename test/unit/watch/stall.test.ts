// Stuck-run detection (src/core/watch/stall.ts): the threshold from the run's pace and the floor, and
// the likely cause from the run's shape and its job's filter (idm-api.md §4.2; queryfilter.md §9).
import assert from 'node:assert/strict';
import type { RunRecord, RunState } from '../../../src/core/tenant';
import {
  DEFAULT_STALL_FACTOR,
  DEFAULT_STALL_FLOOR_MS,
  HISTORY_START_FACTOR,
  explainStall,
  stallHistoryOf,
  stallThresholdMs,
} from '../../../src/core/watch';
import type { HistoryRun } from '../../../src/core/history';
import { textAfterLastMacro, unwrapTail, wrapTail } from '../../../src/core/queryfilter';

/** A kept run of `job`: `seconds` long, with its first counted object seen `firstAtMs` after its start. */
function kept(
  job: string,
  state: RunState,
  processed: number,
  seconds: number,
  firstAtMs?: number,
): HistoryRun {
  const started = Date.parse('2026-11-28T10:00:00.000Z');
  return {
    runId: `${job}-${processed}-${seconds}`,
    job,
    state,
    processed,
    total: processed,
    successes: processed,
    failures: 0,
    started: new Date(started).toISOString(),
    ended: new Date(started + seconds * 1000).toISOString(),
    seenAt: new Date(started + seconds * 1000).toISOString(),
    samples:
      firstAtMs === undefined
        ? []
        : [
            { atMs: 0, processed: 0 },
            { atMs: firstAtMs, processed: 1 },
            { atMs: seconds * 1000, processed },
          ],
  };
}

function run(state: RunState, processed: number, total: number): RunRecord {
  return {
    _id: 'r-1',
    name: null,
    progress: { state, processed, total, successes: processed, failures: 0 },
    started: '2026-11-29T10:00:00.000Z',
    ended: null,
  };
}

describe('stalled runs', () => {
  describe('stallThresholdMs', () => {
    it('is the floor before any pace is known (the query phase)', () => {
      assert.equal(stallThresholdMs(undefined), DEFAULT_STALL_FLOOR_MS);
      assert.equal(DEFAULT_STALL_FLOOR_MS, 120_000);
      assert.equal(stallThresholdMs(undefined, { floorMs: 5_000 }), 5_000);
    });
    it('grows to factor × the time per object for a slow run, never below the floor', () => {
      // One object per 30 s: 20 × 30 s = 10 min.
      assert.equal(stallThresholdMs(1 / 30), 600_000);
      assert.equal(DEFAULT_STALL_FACTOR, 20);
      // A fast run keeps the floor.
      assert.equal(stallThresholdMs(500), 120_000);
      assert.equal(stallThresholdMs(1, { floorMs: 2_000, factor: 5 }), 5_000);
    });
    it('never goes under one second, whatever it is told', () => {
      assert.equal(stallThresholdMs(undefined, { floorMs: 0 }), 1_000);
      assert.equal(stallThresholdMs(0, { floorMs: -5 }), 1_000);
      assert.equal(stallThresholdMs(Number.NaN, { factor: 0, floorMs: 1_500 }), 1_500);
    });
  });

  describe("the job's history (stallHistoryOf)", () => {
    it("takes the median time per object of the job's completed runs, and its slowest start", () => {
      const runs = [
        kept('nightly', 'COMPLETED', 100, 50, 4_000), // 500 ms per object
        kept('nightly', 'COMPLETED', 10, 30, 9_000), // 3 s per object
        kept('nightly', 'COMPLETED', 40, 40), // 1 s per object, not followed: no samples
        kept('other', 'COMPLETED', 1, 600, 60_000), // another job: ignored
        kept('nightly', 'CANCELLED', 5, 900, 2_000), // not a pace; its start still counts
      ];
      assert.deepEqual(stallHistoryOf(runs, 'nightly'), { msPerObject: 1_000, firstObjectMs: 9_000 });
      assert.equal(stallHistoryOf(runs, 'absent'), undefined);
      assert.equal(stallHistoryOf([kept('nightly', 'COMPLETED', 0, 3)], 'nightly'), undefined);
    });
    it('sets the threshold while the run has no pace of its own; its own pace wins once known', () => {
      const policy = { floorMs: 2_000, history: { msPerObject: 1_000, firstObjectMs: 9_000 } };
      // Before its first object: max(floor 2 s, 20 × 1 s, 2 × 9 s) = 20 s.
      assert.equal(stallThresholdMs(undefined, policy), 20_000);
      // A job whose runs take long to count their first object: 2 × 60 s.
      assert.equal(
        stallThresholdMs(undefined, { floorMs: 2_000, history: { firstObjectMs: 60_000 } }),
        120_000,
      );
      assert.equal(HISTORY_START_FACTOR, 2);
      // With a pace of 10 objects a second: 20 × 100 ms = 2 s, the floor.
      assert.equal(stallThresholdMs(10, policy), 2_000);
      // No history: the floor alone, as before.
      assert.equal(stallThresholdMs(undefined, { floorMs: 2_000 }), 2_000);
    });
  });

  describe('explainStall', () => {
    it('names the cut filter when the job has text after its last macro', () => {
      const e = explainStall(run('ACTIVE', 0, 0), { filter: '(/d lt "${Time.now}") and /a pr' });
      assert.equal(e.cause, 'truncated-filter');
      assert.match(e.message, /\$\{Time.now\}"\) and \/a pr/);
      assert.match(e.message, /scanjobs cancel r-1/);
    });
    it('does not blame the filter where the server is known not to be OpenIDM', () => {
      const e = explainStall(run('ACTIVE', 0, 0), { filter: '/d lt "${Time.now}"', openidm: false });
      assert.equal(e.cause, 'query-not-returned');
    });
    it('without the job: a query that never returned, with OpenIDM macros named as the usual cause', () => {
      const e = explainStall(run('ACTIVE', 0, 0));
      assert.equal(e.cause, 'query-not-returned');
      assert.match(e.message, /text after the last \$\{…\} macro/);
    });
    it('a count frozen part-way is an object stuck; INITIALIZED is a run never started', () => {
      assert.equal(explainStall(run('ACTIVE', 3, 10)).cause, 'object-stuck');
      assert.match(explainStall(run('ACTIVE', 3, 10)).message, /since 3 of 10/);
      assert.equal(explainStall(run('INITIALIZED', 0, 0)).cause, 'not-started');
    });
  });

  describe('the text OpenIDM cuts (queryfilter/truncation.ts)', () => {
    it('finds the text after the last macro, none when the macro is last', () => {
      assert.deepEqual(textAfterLastMacro('/d lt "${Time.now}" and /a pr'), {
        start: 18,
        text: '" and /a pr',
        macro: '${Time.now}',
      });
      assert.equal(textAfterLastMacro('/d lt ${Time.now}'), undefined);
      assert.equal(textAfterLastMacro('/a pr'), undefined);
      // An escaped macro is not expanded, so nothing after it is cut.
      assert.equal(textAfterLastMacro('/d lt "\\${Time.now}"'), undefined);
    });
    it('wraps only closing text without spaces that matter or braces', () => {
      assert.equal(wrapTail('")'), '${")}');
      assert.equal(wrapTail('"  '), '${"}');
      assert.equal(wrapTail('") and /a pr'), undefined);
      assert.equal(wrapTail('}'), undefined);
      assert.equal(wrapTail(''), undefined);
    });
    it('reads a wrapped tail back as the expanded filter, offsets mapped to the written one', () => {
      const written = '/d lt "${Time.now}${")}';
      const u = unwrapTail(written)!;
      assert.equal(u.text, '/d lt "${Time.now}")');
      assert.equal(written.slice(u.toWritten(18), u.toWritten(18) + 1), '"');
      assert.equal(written.slice(u.toWritten(19), u.toWritten(19) + 1), ')');
      assert.equal(u.toWritten(3), 3);
      assert.equal(unwrapTail('/d lt "${Time.now}"'), undefined);
      assert.equal(unwrapTail('/d lt "${Time.now}${x}'), undefined);
    });
  });
});
