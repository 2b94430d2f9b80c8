// Quick fixes for error findings that have one sensible answer (issue 16 item 5): cron-invalid,
// task-state, recovery-timeout and schema-value. Every expected text is written out by hand.
import assert from 'node:assert/strict';
import { applyTextEdits, cronFix, type JobDiagnostic } from '../../../src/core/job';
import { check, jobText, scanJob, withContext } from './builders';

function first(job: unknown, code: string): JobDiagnostic {
  const d = check(job).find((x) => x.code === code);
  assert.ok(
    d,
    `expected ${code} among ${check(job)
      .map((x) => x.code)
      .join(', ')}`,
  );
  return d;
}

/** The job after the finding's first (preferred) fix. */
function afterFix(job: unknown, code: string): unknown {
  const d = first(job, code);
  assert.ok(d.fixes?.length, `${code} has a fix`);
  return JSON.parse(applyTextEdits(jobText(job), d.fixes[0].edits));
}

describe('quick fixes for error findings', () => {
  describe('cron-invalid (cronFix)', () => {
    it('turns Unix cron into Quartz: seconds first, ? for the unused day, day numbers as names', () => {
      assert.equal(cronFix('0 2 * * *'), '0 0 2 * * ?');
      assert.equal(cronFix('30 4 * * 1'), '0 30 4 ? * MON');
      assert.equal(cronFix('0 6 * * 1-5'), '0 0 6 ? * MON-FRI');
      assert.equal(cronFix('0 0 * * 0,6'), '0 0 0 ? * SUN,SAT');
      assert.equal(cronFix('0 0 * * 7'), '0 0 0 ? * SUN');
      assert.equal(cronFix('15 3 1 * *'), '0 15 3 1 * ?');
    });

    it('puts ? in the day field that is *, or * where both are ?', () => {
      assert.equal(cronFix('0 0 2 * * SUN'), '0 0 2 ? * SUN');
      assert.equal(cronFix('0 0 2 1 * *'), '0 0 2 1 * ?');
      assert.equal(cronFix('0 0 2 ? * ?'), '0 0 2 * * ?');
    });

    it('offers nothing without one sensible answer, nor for a valid expression', () => {
      assert.equal(cronFix('0 2 1 * 1'), undefined); // Unix: the 1st OR Mondays
      assert.equal(cronFix('0 0 2 1 * MON'), undefined); // both days given
      assert.equal(cronFix('0 0 * * */2'), undefined); // a step over day numbers
      assert.equal(cronFix('0 0 25 * * ?'), undefined); // hour 25: not a shape mistake
      assert.equal(cronFix('0 0 2 * * ?'), undefined);
    });

    it('is the preferred fix of the finding, replacing the schedule string', () => {
      assert.equal(
        (afterFix(scanJob({ schedule: '0 2 * * *' }), 'cron-invalid') as { schedule: string }).schedule,
        '0 0 2 * * ?',
      );
      assert.equal(first(scanJob({ schedule: '0 2 1 * 1' }), 'cron-invalid').fixes, undefined);
    });
  });

  describe('task-state', () => {
    const taskState = (job: unknown) =>
      (job as { invokeContext: { scan: { taskState: Record<string, string> } } }).invokeContext.scan
        .taskState;

    it('adds a missing completed field beside started', () => {
      const job = withContext({ scan: { taskState: { started: '/sunset/task-started' } } });
      assert.deepEqual(taskState(afterFix(job, 'task-state')), {
        started: '/sunset/task-started',
        completed: '/sunset/task-completed',
      });
    });

    it('adds a missing started field in the folder of completed', () => {
      const job = withContext({ scan: { taskState: { completed: '/sunset/done' } } });
      assert.equal(taskState(afterFix(job, 'task-state')).started, '/sunset/task-started');
    });

    it('adds a missing taskState under the job name, one field per fix', () => {
      const job = withContext({ scan: { taskState: undefined } }, { _id: 'sunset' });
      assert.deepEqual(taskState(afterFix(job, 'task-state')), { started: '/sunset/task-started' });
    });

    it('moves completed off the started field when they are the same', () => {
      const job = withContext({
        scan: { taskState: { started: '/sunset/task-started', completed: '/sunset/task-started' } },
      });
      assert.deepEqual(taskState(afterFix(job, 'task-state')), {
        started: '/sunset/task-started',
        completed: '/sunset/task-completed',
      });
    });
  });

  describe('recovery-timeout', () => {
    const timeout = (job: unknown) =>
      (job as { invokeContext: { scan: { recovery: { timeout: unknown } } } }).invokeContext.scan.recovery
        .timeout;

    it('writes a spelled-out unit as <integer><unit>', () => {
      for (const [written, meant] of [
        ['10 minutes', '10m'],
        ['2 hours', '2h'],
        ['30 sec', '30s'],
        ['1 day', '1d'],
      ])
        assert.equal(
          timeout(afterFix(withContext({ scan: { recovery: { timeout: written } } }), 'recovery-timeout')),
          meant,
        );
    });

    it('offers nothing for text without a number or for a number', () => {
      assert.equal(
        first(withContext({ scan: { recovery: { timeout: 'ten minutes' } } }), 'recovery-timeout').fixes,
        undefined,
      );
      assert.equal(
        first(withContext({ scan: { recovery: { timeout: 600 } } }), 'recovery-timeout').fixes,
        undefined,
      );
    });
  });

  describe('schema-value', () => {
    it('corrects an allowed value written in another case', () => {
      assert.equal((afterFix(scanJob({ type: 'Cron' }), 'schema-value') as { type: string }).type, 'cron');
    });

    it('offers nothing for a value that is not a case away from an allowed one', () => {
      assert.equal(first(scanJob({ type: 'weekly' }), 'schema-value').fixes, undefined);
    });
  });
});
