// Script lines from log entries: level prefix, marker, duplicates, and the run a line belongs to
// (docs/logs.md "Tying lines to a run").
import assert from 'node:assert/strict';
import { Deduper, belongsToRun, toLogPage, toScriptLine } from '../../../src/core/logs';
import { jsonEntry, runWindow, textEntry } from './builders';

describe('log lines', () => {
  it('reads idm-core plain text "LEVEL: message" and JSON payloads with level and message', () => {
    assert.deepEqual(toScriptLine(textEntry('2026-01-01T00:00:01.000Z', 'WARN: user u1 has no mail')), {
      time: '2026-01-01T00:00:01.000Z',
      level: 'WARN',
      message: 'user u1 has no mail',
      job: undefined,
      source: 'idm-core',
    });
    assert.equal(toScriptLine(textEntry('2026-01-01T00:00:01.000Z', 'no level here'))?.level, 'INFO');
    assert.equal(
      toScriptLine(textEntry('2026-01-01T00:00:01.000Z', 'no level here'))?.message,
      'no level here',
    );
    const j = toScriptLine(jsonEntry('2026-01-01T00:00:02.000Z', { level: 'error', message: 'boom' }));
    assert.equal(j?.level, 'ERROR');
    assert.equal(j?.message, 'boom');
    assert.equal(toScriptLine(jsonEntry('2026-01-01T00:00:02.000Z', { eventName: 'access' })), undefined);
  });

  it('takes a push marker off the message and keeps its job (percent-encoded names too)', () => {
    const l = toScriptLine(textEntry('2026-01-01T00:00:01.000Z', 'INFO: [scanjobs:sunset%20users] done u1'));
    assert.equal(l?.job, 'sunset users');
    assert.equal(l?.message, 'done u1');
  });

  it('drops an entry seen before (a tail repeats its last entry), keeps equal text at another time', () => {
    const d = new Deduper(3);
    const a = textEntry('2026-01-01T00:00:01.000Z', 'INFO: a');
    const b = textEntry('2026-01-01T00:00:02.000Z', 'INFO: a');
    assert.deepEqual(d.fresh([a, b]), [a, b]);
    assert.deepEqual(d.fresh([b, textEntry('2026-01-01T00:00:03.000Z', 'INFO: c')]).length, 1);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const d = new Deduper(2);
    const e = (n: number) => textEntry(`2026-01-01T00:00:0${n}.000Z`, `INFO: ${n}`);
    d.fresh([e(1), e(2), e(3)]);
    assert.equal(d.fresh([e(1)]).length, 1);
    assert.equal(d.fresh([e(3)]).length, 0);
  });

  it('a line belongs to a run inside its window, by its job when marked, never another job', () => {
    const run = runWindow('sunset', '2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z');
    const line = (time: string, job?: string) => ({
      time,
      level: 'INFO',
      message: 'm',
      job,
      source: 'idm-core',
    });
    assert.equal(belongsToRun(line('2026-01-01T10:00:30.000Z'), run), true);
    assert.equal(belongsToRun(line('2026-01-01T09:59:59.980Z'), run), true, 'rounding is tolerated');
    assert.equal(belongsToRun(line('2026-01-01T09:59:59.900Z'), run), false, 'an earlier run’s line');
    assert.equal(belongsToRun(line('2026-01-01T10:01:04.000Z'), run), true, 'late delivery is tolerated');
    assert.equal(belongsToRun(line('2026-01-01T10:01:06.000Z'), run), false);
    assert.equal(belongsToRun(line('2026-01-01T10:00:30.000Z', 'sunset'), run), true);
    assert.equal(belongsToRun(line('2026-01-01T10:00:30.000Z', 'other'), run), false);
    assert.equal(belongsToRun(line('2026-01-01T10:00:30.000Z'), run, { markedOnly: true }), false);
    const active = runWindow('sunset', '2026-01-01T10:00:00.000Z');
    assert.equal(belongsToRun(line('2026-01-02T00:00:00.000Z'), active), true, 'an active run has no end');
  });

  it('reads a log page whose resultCount is a string (as AIC documents it) and skips broken entries', () => {
    const page = toLogPage(
      {
        result: [
          { payload: 'INFO: x', timestamp: '2026-01-01T00:00:00Z', type: 'text/plain', source: 'idm-core' },
          { payload: 'no time' },
          { timestamp: '2026-01-01T00:00:00Z' },
        ],
        resultCount: '1000',
        pagedResultsCookie: 'abc',
        totalPagedResultsPolicy: 'NONE',
      },
      'test',
    );
    assert.equal(page.result.length, 1);
    assert.equal(page.resultCount, 1000);
    assert.equal(page.pagedResultsCookie, 'abc');
    assert.throws(
      () => toLogPage({ nope: 1 }, 'the tail of t1'),
      /the tail of t1: the reply is not a log page/,
    );
  });
});
