// A run's script lines read from an AIC tenant's log API are kept up to a bound (core/run-view
// report-source.ts MAX_REMOTE_LOG_LINES), the rest counted and said, so a chatty run cannot grow the
// extension host without bound. The log follower here is the boundary the report reads through: a
// hand-fed one stands in for the AIC log API, which no test here can reach (the local tenant keeps at
// most 2,000 entries per run, far below the bound).
import assert from 'node:assert/strict';
import type { LogListener, ScriptLine } from '../../../src/core/logs';
import {
  MAX_REMOTE_LOG_LINES,
  remoteReportSource,
  type OpenRunLogs,
  type RunReport,
} from '../../../src/core/run-view';
import { runRecord } from './builders';

const line = (i: number): ScriptLine => ({
  time: '2026-11-29T15:20:40.000Z',
  level: 'INFO',
  message: `line ${i}`,
  source: 'idm-core',
});

/** Opens a follower that delivers `batches` then ends; the report hears them through `listener`. */
function feeding(batches: ScriptLine[][], then?: { error: string }): OpenRunLogs {
  return (_run, listener: LogListener) => {
    for (const lines of batches) listener({ type: 'lines', lines });
    if (then) listener({ type: 'error', message: then.error });
    return Promise.resolve({ done: Promise.resolve(), ended: () => undefined, stop: () => undefined });
  };
}

async function lastReport(open: OpenRunLogs): Promise<RunReport> {
  const reports: RunReport[] = [];
  const handle = remoteReportSource(open).report(runRecord({ state: 'COMPLETED' }), (r) => reports.push(r));
  await handle.first;
  await new Promise((r) => setImmediate(r));
  handle.stop();
  return reports[reports.length - 1]!;
}

const batchesOf = (total: number, size: number) =>
  Array.from({ length: Math.ceil(total / size) }, (_, b) =>
    Array.from({ length: Math.min(size, total - b * size) }, (_, i) => line(b * size + i)),
  );

describe('script lines from the log API, bounded', () => {
  it('is fifty thousand lines', () => assert.equal(MAX_REMOTE_LOG_LINES, 50_000));

  it('keeps every line of a run under the bound, with no note', async () => {
    const r = await lastReport(feeding(batchesOf(1500, 1000)));
    assert.equal(r.log.state, 'ready');
    if (r.log.state !== 'ready') return;
    assert.equal(r.log.items.length, 1500);
    assert.equal(r.log.more, 0);
    assert.equal(r.log.note, undefined);
    assert.equal(r.log.items[1499]!.message, 'line 1499');
  });

  it('keeps the first 50,000 lines, counts the later ones and says so', async () => {
    const r = await lastReport(feeding(batchesOf(50_000 + 2_345, 1000)));
    assert.equal(r.log.state, 'ready');
    if (r.log.state !== 'ready') return;
    assert.equal(r.log.items.length, 50_000);
    assert.equal(r.log.items[0]!.message, 'line 0');
    assert.equal(r.log.items[49_999]!.message, 'line 49999');
    assert.equal(r.log.more, 2_345);
    assert.equal(
      r.log.note,
      'Kept the first 50,000 log lines of this run; 2,345 later lines were read but not kept.',
    );
  });

  it('says both the bound and a later read error', async () => {
    const r = await lastReport(feeding(batchesOf(50_001, 1000), { error: 'The tenant answered 503.' }));
    assert.equal(r.log.state, 'ready');
    if (r.log.state !== 'ready') return;
    assert.equal(r.log.more, 1);
    assert.equal(
      r.log.note,
      'Kept the first 50,000 log lines of this run; 1 later line was read but not kept. The tenant answered 503.',
    );
  });
});
