import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io';
import { RunView, duration, exitCodeOf, summary } from '../../src/cli/render/run-view';
import type { RunRecord, RunState } from '../../src/core/tenant';
import type { WatchEvent } from '../../src/core/watch';

/** A run record as the tenant sends it (idm-api.md §4.1). */
function run(
  state: RunState,
  processed: number,
  total: number,
  failures = 0,
  times?: { started: string; ended: string | null },
): RunRecord {
  return {
    _id: 'a1b2-7',
    name: 'schedule/sunset',
    progress: { state, processed, total, successes: processed - failures, failures },
    started: times?.started ?? '2026-11-28T10:00:00.000Z',
    ended: times?.ended ?? (state === 'COMPLETED' ? '2026-11-28T10:00:12.300Z' : null),
  };
}

const stats = (r: RunRecord, rate?: number, etaMs?: number) => ({ ...r.progress, rate, etaMs });

function view(tty: boolean, json = false): { view: RunView; text: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty, columns: 120 });
  let out = '';
  stdout.on('data', (c) => (out += c));
  const io: CliIO = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: '/' };
  return { view: new RunView(io, json), text: () => out };
}

const EVENTS: WatchEvent[] = [
  { type: 'state', run: run('ACTIVE', 0, 100), from: 'INITIALIZED' },
  { type: 'progress', run: run('ACTIVE', 40, 100), stats: stats(run('ACTIVE', 40, 100), 20, 3000) },
  {
    type: 'connection-lost',
    message: 'GET /openidm/taskscanner/a1b2-7 on t: the connection was refused (ECONNREFUSED); retrying',
    attempt: 1,
    retryInMs: 1500,
  },
  { type: 'connection-restored', downForMs: 4200 },
  { type: 'final', run: run('COMPLETED', 100, 100, 2), stats: stats(run('COMPLETED', 100, 100, 2)) },
];

describe('scanjobs run rendering', () => {
  it('draws a progress bar in place on a terminal', () => {
    const { view: v, text } = view(true);
    EVENTS.slice(0, 2).forEach(v.listener);
    const ERASE_LINE = '\r\u001b[2K';
    assert.ok(
      text().startsWith(`ACTIVE (was INITIALIZED): run a1b2-7\n${ERASE_LINE}`),
      JSON.stringify(text()),
    );
    assert.equal(
      text().slice(text().lastIndexOf(ERASE_LINE) + ERASE_LINE.length),
      `[${'#'.repeat(12)}${'-'.repeat(18)}]  40% 40/100 processed, 40 succeeded, 0 failed · 20/s, 3.0 s left`,
    );
  });

  it('writes plain lines when not on a terminal, ending with the summary', () => {
    const { view: v, text } = view(false);
    EVENTS.forEach(v.listener);
    assert.equal(
      text(),
      'ACTIVE (was INITIALIZED): run a1b2-7\n' +
        'progress: 40/100 processed, 40 succeeded, 0 failed (20/s, 3.0 s left)\n' +
        'connection lost (GET /openidm/taskscanner/a1b2-7 on t: the connection was refused (ECONNREFUSED); retrying); next try in 1.5 s\n' +
        'connection restored after 4.2 s\n' +
        'Run a1b2-7 of sunset COMPLETED in 12.3 s: 100/100 processed, 98 succeeded, 2 failed.\n',
    );
  });

  it('writes one JSON object per event with --json', () => {
    const { view: v, text } = view(true, true);
    EVENTS.forEach(v.listener);
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; state?: string });
    assert.deepEqual(
      lines.map((l) => l.event),
      ['state', 'progress', 'connection-lost', 'connection-restored', 'final'],
    );
    assert.equal(lines[4].state, 'COMPLETED');
  });

  it('says when a completed run skipped objects', () => {
    assert.match(
      summary(run('COMPLETED', 60, 100)),
      /60\/100 processed.*\(40 skipped or claimed by another run\)\.$/,
    );
  });

  it('maps the end of a watch to the documented exit codes', () => {
    const final = (r: RunRecord) => exitCodeOf({ type: 'final', run: r, stats: stats(r) });
    assert.equal(final(run('COMPLETED', 10, 10)), 0);
    assert.equal(final(run('COMPLETED', 10, 10, 1)), 1);
    assert.equal(final(run('CANCELLED', 3, 10)), 2);
    assert.equal(final(run('ERROR', 3, 10)), 2);
    assert.equal(exitCodeOf({ type: 'stopped', reason: 'not-found', message: 'gone', run: undefined }), 2);
  });

  it('prints durations for people', () => {
    assert.deepEqual(
      [duration(850), duration(12_345), duration(245_000)],
      ['850 ms', '12.3 s', '4 min 05 s'],
    );
  });
});
