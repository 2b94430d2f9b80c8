// The output channel's words for a run (src/extension/tenant/run-lines.ts): the progress line of the
// issue, throttling, and the summary (idm-api.md §4.1: skipped objects explain processed < total).
import * as assert from 'node:assert/strict';
import type { RunRecord, RunState } from '../../../src/core/tenant';
import { RunLines, progressLine, summaryLine } from '../../../src/extension/tenant/run-lines';

function run(state: RunState, processed: number, total: number, failures = 0): RunRecord {
  return {
    _id: '9f2564c8-193c-4871-8869-6080f374b1bd-2073',
    name: 'schedule/sunsetTask',
    progress: { state, processed, total, successes: processed - failures, failures },
    started: '2026-11-28T10:00:00.000Z',
    ended: state === 'COMPLETED' ? '2026-11-28T10:00:12.400Z' : null,
  };
}

const stats = (r: RunRecord, rate?: number, etaMs?: number) => ({ ...r.progress, rate, etaMs });

describe('run lines', () => {
  it('writes the progress line with rate and time left', () => {
    const r = run('ACTIVE', 80, 980);
    assert.equal(
      progressLine('sunsetTask', r, stats(r, 120, 7000)),
      'sunsetTask 9f25…-2073 ACTIVE 80/980 (8%) · 80 ok · 0 failed · 120 obj/s · 7 s left',
    );
    assert.equal(
      progressLine('sunsetTask', r),
      'sunsetTask 9f25…-2073 ACTIVE 80/980 (8%) · 80 ok · 0 failed',
    );
  });

  it('says why processed is below total at COMPLETED', () => {
    assert.equal(
      summaryLine('sunsetTask', run('COMPLETED', 970, 980, 2)),
      'sunsetTask 9f2564c8-193c-4871-8869-6080f374b1bd-2073 COMPLETED in 12 s: 970/980 processed · 968 ok · 2 failed (10 skipped or claimed elsewhere)',
    );
  });

  it('writes every state change, progress at most every 2 s, and the last progress before the end', () => {
    let now = 0;
    const out: string[] = [];
    const sink = {
      info: (l: string) => out.push(`info ${l}`),
      warn: (l: string) => out.push(`warn ${l}`),
      error: (l: string) => out.push(`error ${l}`),
    };
    const lines = new RunLines('sunsetTask', sink, 2000, () => now);
    const at = (ms: number, r: RunRecord, kind: 'state' | 'progress') => {
      now = ms;
      if (kind === 'state') lines.listener({ type: 'state', run: r, from: 'INITIALIZED' });
      else lines.listener({ type: 'progress', run: r, stats: stats(r) });
    };
    at(0, run('ACTIVE', 0, 100), 'state');
    at(0, run('ACTIVE', 0, 100), 'progress');
    at(1000, run('ACTIVE', 10, 100), 'progress'); // throttled
    at(1500, run('ACTIVE', 20, 100), 'progress'); // throttled
    at(2100, run('ACTIVE', 30, 100), 'progress');
    at(2500, run('ACTIVE', 40, 100), 'progress'); // throttled, flushed by the end
    const end = run('CANCELLED', 40, 100);
    lines.listener({ type: 'final', run: end, stats: stats(end) });
    assert.deepEqual(
      out.map((l) => l.replace(/ · \d+ ok · \d+ failed.*$/, '')),
      [
        'info sunsetTask 9f25…-2073 INITIALIZED → ACTIVE',
        'info sunsetTask 9f25…-2073 ACTIVE 0/100 (0%)',
        'info sunsetTask 9f25…-2073 ACTIVE 30/100 (30%)',
        'info sunsetTask 9f25…-2073 CANCELLED 40/100 (40%)',
        'warn sunsetTask 9f2564c8-193c-4871-8869-6080f374b1bd-2073 CANCELLED: 40/100 processed',
      ],
    );
  });
});
