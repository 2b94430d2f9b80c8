// Stuck-run detection (src/core/watch/stall.ts): the threshold from the run's pace and the floor, and
// the likely cause from the run's shape and its job's filter (idm-api.md §4.2; queryfilter.md §9).
import assert from 'node:assert/strict';
import type { RunRecord, RunState } from '../../../src/core/tenant';
import {
  DEFAULT_STALL_FACTOR,
  DEFAULT_STALL_FLOOR_MS,
  explainStall,
  stallThresholdMs,
} from '../../../src/core/watch';
import { textAfterLastMacro, unwrapTail, wrapTail } from '../../../src/core/queryfilter';

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
