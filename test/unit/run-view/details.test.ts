// The details model (core/run-view/details.ts), the reports of the local tenant's run log
// (tenant-report.ts), the chart geometry (chart.ts) and a job's history view (history.ts).
import assert from 'node:assert/strict';
import type { HistoryRun } from '../../../src/core/history';
import {
  DETAILS_LIMITS,
  RunSightings,
  barChart,
  failuresOf,
  jobHistoryView,
  niceTicks,
  progressChart,
  runDetails,
  scriptLinesOf,
  type FailedObject,
  type Part,
} from '../../../src/core/run-view';
import { RUN_UUID, runRecord } from './builders';

const none: Part<never> = { state: 'unavailable', message: 'cannot tell' };
const STARTED = Date.parse('2026-11-29T15:20:39.000Z');

function historyRun(n: number, o: Partial<HistoryRun> = {}): HistoryRun {
  const started = new Date(STARTED + n * 3_600_000).toISOString();
  return {
    runId: `${RUN_UUID}-${n}`,
    job: 'sunset',
    state: 'COMPLETED',
    processed: 100,
    total: 100,
    successes: 100,
    failures: 0,
    started,
    ended: new Date(Date.parse(started) + 10_000 * n).toISOString(),
    seenAt: started,
    samples: [],
    ...o,
  };
}

describe('run details model', () => {
  it('has the record, the duration and the rate of a finished run', () => {
    const d = runDetails({
      tenant: 'local',
      run: runRecord({ processed: 30, total: 40, failures: 2 }),
      failures: none,
      log: none,
      now: 0,
    });
    assert.equal(d.job, 'sunset');
    assert.equal(d.shortId, '2410…-3');
    assert.equal(d.headline, 'COMPLETED with failures');
    assert.equal(d.durationMs, 12_500);
    assert.equal(d.rate, 30 / 12.5);
    assert.deepEqual(d.counts, { processed: 30, total: 40, successes: 28, failures: 2, skipped: 10 });
    assert.deepEqual(d.ended, { at: '2026-11-29T15:20:51.500Z', source: 'tenant' });
    assert.deepEqual(d.actions, { cancel: false, runAgain: true, openJob: true });
    assert.deepEqual(d.chart, {
      unavailable:
        'No chart: progress over time is drawn only for runs this client followed (Execute Job or Watch Run) while they were active.',
    });
  });

  it('offers Cancel only while active and not already cancelling', () => {
    const run = runRecord({ state: 'ACTIVE', processed: 5, total: 50 });
    const s = new RunSightings();
    const base = { tenant: 'local', run, failures: none, log: none, now: STARTED + 5000 };
    assert.equal(runDetails(base).actions.cancel, true);
    assert.equal(runDetails(base).durationMs, 5000);
    s.cancelRequested('local', run._id);
    const d = runDetails({ ...base, sighting: s.get('local', run._id) });
    assert.equal(d.actions.cancel, false);
    assert.equal(d.headline, 'Cancelling…');
  });

  it('draws progress from what this client saw, relative to the start', () => {
    const s = new RunSightings();
    for (const [t, p, f] of [
      [1000, 0, 0],
      [3000, 40, 1],
      [5000, 100, 2],
    ])
      s.see(
        'local',
        runRecord({ state: p === 100 ? 'COMPLETED' : 'ACTIVE', processed: p, total: 100, failures: f }),
        STARTED + t,
      );
    const d = runDetails({
      tenant: 'local',
      run: runRecord({ processed: 100, total: 100, failures: 2 }),
      sighting: s.get('local', `${RUN_UUID}-3`),
      failures: none,
      log: none,
      now: 0,
    });
    assert.ok(!('unavailable' in d.chart));
    if ('unavailable' in d.chart) return;
    const [processed, failed] = d.chart.series;
    assert.equal(processed.kind === 'line' && processed.points.split(' ').length, 3);
    // The last point is at the right edge (t = 5 s is the widest) and at the top (100 of 100).
    assert.equal(
      processed.kind === 'line' && processed.points.split(' ')[2],
      `${d.chart.plot.right},${d.chart.plot.top}`,
    );
    assert.equal(failed.kind === 'line' && failed.name, 'failed');
  });

  /** The details of an active run at 5 of 50 that this client read at `polls` ms after its start. */
  function stoppedRun(polls: number[]) {
    const s = new RunSightings();
    for (const t of polls)
      s.see('local', runRecord({ state: 'ACTIVE', processed: 5, total: 50 }), STARTED + t);
    const sighting = s.get('local', `${RUN_UUID}-3`);
    const run = runRecord({ state: 'ACTIVE', processed: 5, total: 50 });
    const now = STARTED + polls[polls.length - 1]! + 500;
    return {
      sighting,
      details: runDetails({ tenant: 'local', run, sighting, failures: none, log: none, now }),
    };
  }

  it('draws a run whose counts stopped moving flat up to the latest reading', () => {
    // Three polls 5 s apart answer the same counts: only the first is kept as a sample.
    const { sighting, details: d } = stoppedRun([1000, 6000, 11_000]);
    assert.equal(sighting?.samples.length, 1);
    assert.ok(!('unavailable' in d.chart), JSON.stringify(d.chart));
    if ('unavailable' in d.chart) return;
    const processed = d.chart.series[0];
    assert.ok(processed.kind === 'line');
    const points = processed.points.split(' ').map((p) => p.split(',').map(Number));
    assert.equal(points.length, 2);
    // Flat: the same height at the first reading and at the latest, which is the right edge.
    assert.equal(points[0][1], points[1][1]);
    assert.equal(points[1][0], d.chart.plot.right);
  });

  it('says the chart comes with the next reading when this client has read the run once', () => {
    assert.deepEqual(stoppedRun([1000]).details.chart, {
      unavailable: 'No chart yet: one reading of this run so far; the chart is drawn from the next one.',
    });
  });

  it('takes the end of a cancelled run kept in the history from an earlier session', () => {
    const run = runRecord({ state: 'CANCELLED', processed: 10, total: 100 });
    const d = runDetails({
      tenant: 'local',
      run,
      history: historyRun(3, { state: 'CANCELLED', started: run.started, ended: '2026-11-29T15:21:39.000Z' }),
      failures: none,
      log: none,
      now: 0,
    });
    assert.deepEqual(d.ended, { at: '2026-11-29T15:21:39.000Z', source: 'seen' });
    assert.equal(d.durationMs, 60_000);
  });

  it("keeps at most the CLI's limit of failed objects when asked, and counts the rest", () => {
    const items: FailedObject[] = Array.from({ length: DETAILS_LIMITS.failures + 7 }, (_, i) => ({
      objectId: `managed/alpha_user/${i}`,
      reason: 'x',
      level: 'error',
      time: '',
    }));
    const d = runDetails({
      tenant: 'local',
      run: runRecord(),
      failures: { state: 'ready', items, more: 0 },
      log: none,
      now: 0,
      limits: DETAILS_LIMITS,
    });
    assert.equal(d.failures.state === 'ready' && d.failures.items.length, DETAILS_LIMITS.failures);
    assert.equal(d.failures.state === 'ready' && d.failures.more, 7);
  });
});

describe("the local tenant's run log as failures and lines", () => {
  const entries = [
    { time: 't1', level: 'info', source: 'script', objectID: 'managed/alpha_user/a', message: 'kept a' },
    {
      time: 't2',
      level: 'warn',
      source: 'scanner',
      objectID: 'managed/alpha_user/b',
      message: 'script returned boolean, not true',
    },
    {
      time: 't3',
      level: 'error',
      source: 'scanner',
      objectID: 'managed/alpha_user/c',
      message: 'script failed: boom',
    },
    { time: 't4', level: 'warn', source: 'scanner', message: 'a note about no object' },
    {
      time: 't5',
      level: 'error',
      source: 'scanner',
      objectID: 'managed/alpha_user/b',
      message: 'later reason',
    },
  ];
  it('names each failed object once, with its last reason', () => {
    assert.deepEqual(
      failuresOf(entries).map((f) => [f.objectId, f.reason, f.level]),
      [
        ['managed/alpha_user/c', 'script failed: boom', 'error'],
        ['managed/alpha_user/b', 'later reason', 'error'],
      ],
    );
  });
  it("keeps the script's own lines as log lines", () => {
    assert.deepEqual(scriptLinesOf(entries), [
      { time: 't1', level: 'INFO', message: 'kept a', objectId: 'managed/alpha_user/a' },
    ]);
  });
});

describe('chart geometry', () => {
  it('picks round ticks that cover the maximum', () => {
    assert.deepEqual(niceTicks(200), [0, 50, 100, 150, 200]);
    assert.deepEqual(niceTicks(7), [0, 2, 4, 6, 8]);
    assert.deepEqual(niceTicks(0), [0, 1]);
    assert.deepEqual(niceTicks(0.3), [0, 0.1, 0.2, 0.3]);
  });
  it('scales bars to the top tick, and leaves unknown values empty', () => {
    const c = barChart(
      'Duration',
      [
        { label: 'a', tick: 'a', value: 100, cls: '' },
        { label: 'b', tick: 'b', value: 50, cls: '' },
        { label: 'c', tick: 'c', value: null, cls: '' },
      ],
      (v) => `${v} s`,
      'summary',
    );
    const bars = c.series[0].kind === 'bars' ? c.series[0].bars : [];
    const full = c.plot.bottom - c.plot.top;
    assert.equal(bars[0].height, full);
    assert.equal(bars[1].height, full / 2);
    assert.equal(bars[2].height, 0);
    assert.equal(bars[2].title, 'c: unknown');
    assert.equal(c.yTicks[c.yTicks.length - 1].label, '100 s');
  });
  it('puts a run that has not moved on the bottom line', () => {
    const c = progressChart(
      [
        { tMs: 0, processed: 0, failures: 0 },
        { tMs: 2000, processed: 0, failures: 0 },
      ],
      100,
    );
    const line = c.series[0];
    assert.equal(
      line.kind === 'line' && line.points,
      `${c.plot.left},${c.plot.bottom} ${c.plot.right},${c.plot.bottom}`,
    );
  });
});

describe('job history view', () => {
  it("charts the job's finished runs, oldest first, with durations, throughput and failures", () => {
    const runs = [
      historyRun(1),
      historyRun(2, { failures: 5, successes: 95 }),
      historyRun(3, { state: 'CANCELLED', ended: null, processed: 10 }),
      historyRun(4, { job: 'other' }),
      historyRun(5, { state: 'ACTIVE', ended: null }),
    ];
    const v = jobHistoryView('local', 'sunset', runs);
    assert.deepEqual(
      v.runs.map((p) => [p.runId.slice(-2), p.durationMs, p.throughput, p.failures]),
      [
        ['-1', 10_000, 10, 0],
        ['-2', 20_000, 5, 5],
        ['-3', null, null, 0],
      ],
    );
    assert.ok(!('unavailable' in v.charts));
    if ('unavailable' in v.charts) return;
    assert.deepEqual(
      v.charts.map((c) => c.title),
      ['Duration', 'Throughput', 'Failures'],
    );
    const duration = v.charts[0].series[0];
    assert.deepEqual(duration.kind === 'bars' && duration.bars.map((b) => b.cls), ['', 'warn', 'cancelled']);
    assert.match(v.charts[0].summary, /^Mean duration 15 s over 2 of the last 3 runs/);
  });
  it('ticks each run by its start minute, or by the second when two runs share a minute', () => {
    const ticks = (runs: HistoryRun[]) => {
      const v = jobHistoryView('local', 'sunset', runs);
      if ('unavailable' in v.charts) throw new Error(v.charts.unavailable);
      return v.charts[0].xTicks.map((t) => t.label);
    };
    // an hour apart (historyRun): minutes tell them apart
    assert.deepEqual(ticks([historyRun(1), historyRun(2)]), ['11-29 16:20', '11-29 17:20']);
    const sameMinute = [
      historyRun(1, { started: '2026-11-29T15:20:05.000Z', ended: '2026-11-29T15:20:09.000Z' }),
      historyRun(2, { started: '2026-11-29T15:20:41.000Z', ended: '2026-11-29T15:20:50.000Z' }),
      historyRun(3, { started: '2026-11-29T15:24:00.000Z', ended: '2026-11-29T15:24:30.000Z' }),
    ];
    assert.deepEqual(ticks(sameMinute), ['11-29 15:20:05', '11-29 15:20:41', '11-29 15:24:00']);
  });
  it('says so when no run of the job is known', () => {
    const v = jobHistoryView('local', 'sunset', [historyRun(1, { job: 'other' })]);
    assert.match(
      (v.charts as { unavailable: string }).unavailable,
      /^No finished run of sunset is known yet/,
    );
  });
  it('keeps the last runs only', () => {
    const v = jobHistoryView(
      'local',
      'sunset',
      Array.from({ length: 50 }, (_, i) => historyRun(i + 1)),
      40,
    );
    assert.equal(v.runs.length, 40);
    assert.equal(v.kept, 50);
    assert.equal(v.runs[0].runId, `${RUN_UUID}-11`);
  });
});
