import assert from 'node:assert/strict';
import {
  classifyTaskState,
  parseStartedTime,
  pointerSegments,
  recoveryWindow,
  RecoveryTimeoutError,
} from '../../../src/core/preview';

const T = Date.parse('2026-06-01T12:00:00.000Z');
const tenMinutes = recoveryWindow('10m');

describe('preview: the task scanner’s task-state rules (idm-api.md §5.4, §5.5)', () => {
  it('reads recovery.timeout units, an unknown unit as seconds with a note, none as 0', () => {
    assert.equal(recoveryWindow('10m')(0), 600_000);
    assert.equal(recoveryWindow('2h')(0), 7_200_000);
    assert.equal(recoveryWindow('1d')(0), 86_400_000);
    assert.equal(recoveryWindow('30s')(0), 30_000);
    assert.equal(recoveryWindow(undefined)(0), 0);
    // Months follow the calendar: from 1 February 2026, one month is 28 days.
    assert.equal(recoveryWindow('1M')(Date.parse('2026-02-01T00:00:00.000Z')), 28 * 86_400_000);
    const notes: string[] = [];
    assert.equal(recoveryWindow('5w', notes)(0), 5000);
    assert.match(notes[0]!, /unit 'w' is unknown; read as seconds/);
    assert.throws(() => recoveryWindow('soon'), RecoveryTimeoutError);
  });

  it('parses started only as Joda’s dateTime: millis and a zone', () => {
    assert.equal(parseStartedTime('2026-06-01T11:55:00.000Z'), Date.parse('2026-06-01T11:55:00.000Z'));
    assert.equal(parseStartedTime('2026-06-01T13:55:00.000+02:00'), Date.parse('2026-06-01T11:55:00.000Z'));
    assert.equal(parseStartedTime('2026-06-01T11:55:00Z'), undefined);
    assert.equal(parseStartedTime('2026-06-01'), undefined);
    assert.equal(parseStartedTime(42), undefined);
  });

  it('puts an object where the scanner would, in the order it checks', () => {
    assert.equal(classifyTaskState(undefined, undefined, tenMinutes, T), 'wouldProcess');
    assert.equal(classifyTaskState(null, '2026-06-01T11:00:00.000Z', tenMinutes, T), 'wouldProcess');
    assert.equal(classifyTaskState('2026-06-01T11:55:00.000Z', undefined, tenMinutes, T), 'claimed');
    assert.equal(classifyTaskState('2026-06-01T11:55:00.000Z', null, tenMinutes, T), 'claimed');
    assert.equal(
      classifyTaskState('2026-06-01T11:55:00.000Z', '2026-06-01T11:56:00.000Z', tenMinutes, T),
      'completed',
    );
    // Exactly at the end of the window the object may be claimed again (started + timeout > now fails).
    assert.equal(classifyTaskState('2026-06-01T11:50:00.000Z', undefined, tenMinutes, T), 'wouldProcess');
    assert.equal(classifyTaskState('yesterday', undefined, tenMinutes, T), 'invalidStarted');
    // With no timeout nothing is owned, except a started time in the future.
    assert.equal(
      classifyTaskState('2026-06-01T11:59:59.999Z', undefined, recoveryWindow(undefined), T),
      'wouldProcess',
    );
    assert.equal(
      classifyTaskState('2026-06-01T12:00:00.001Z', undefined, recoveryWindow(undefined), T),
      'claimed',
    );
  });

  it('reads taskState pointers with or without the leading slash, with ~ escapes', () => {
    assert.deepEqual(pointerSegments('/sunset/task-started'), ['sunset', 'task-started']);
    assert.deepEqual(pointerSegments('sunset/task-started'), ['sunset', 'task-started']);
    assert.deepEqual(pointerSegments('/a~1b/c~0d'), ['a/b', 'c~d']);
  });
});
