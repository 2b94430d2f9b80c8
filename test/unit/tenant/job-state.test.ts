// Pause and Resume offer the jobs they can act on (issue 16 item 7: Resume listed jobs that were not
// paused). A job's trigger state is the scheduler's (idm-api.md §2.3–2.4).
import assert from 'node:assert/strict';
import {
  jobState,
  jobsToOffer,
  noJobsMessage,
  runsInProgress,
  type RunRecord,
  type RunState,
} from '../../../src/core/tenant';

const trigger = (state: string) => ({ name: 'trigger-x', state });
const job = (id: string, over: { enabled?: unknown; triggers?: unknown[] } = {}) => ({
  _id: id,
  enabled: true,
  triggers: [trigger('NORMAL')],
  ...over,
});

describe('job state and the jobs an action offers', () => {
  const jobs = [
    job('running'),
    job('paused', { triggers: [trigger('PAUSED')] }),
    job('disabled', { enabled: false, triggers: [] }),
    job('disabled-as-text', { enabled: 'false' }),
    job('no-trigger-yet', { triggers: [] }),
  ];

  it('reads paused from the trigger and disabled from enabled', () => {
    assert.deepEqual(
      jobs.map((j) => jobState(j)),
      ['enabled', 'paused', 'disabled', 'disabled', 'enabled'],
    );
  });

  it('offers Resume only paused jobs and Pause only the ones that run', () => {
    assert.deepEqual(
      jobsToOffer(jobs, 'paused').map((j) => j._id),
      ['paused'],
    );
    assert.deepEqual(
      jobsToOffer(jobs, 'not-paused').map((j) => j._id),
      ['running', 'no-trigger-yet'],
    );
    assert.equal(jobsToOffer(jobs, 'any').length, 5);
  });

  it('says what is missing when nothing fits', () => {
    assert.equal(noJobsMessage('paused', 'staging'), 'No paused jobs on staging');
    assert.equal(noJobsMessage('any', 'staging'), 'No jobs on staging');
  });
});

describe('runs in progress', () => {
  it('are the runs not yet COMPLETED, CANCELLED or ERROR', () => {
    const run = (id: string, state: RunState) => ({
      _id: id,
      progress: { state, processed: 0, total: 0, successes: 0, failures: 0 },
      started: '2026-11-29T00:00:00.000Z',
      ended: null,
    });
    const runs = [
      run('a', 'INITIALIZED'),
      run('b', 'ACTIVE'),
      run('c', 'COMPLETED'),
      run('d', 'CANCELLED'),
      run('e', 'ERROR'),
    ];
    assert.deepEqual(
      runsInProgress(runs as unknown as RunRecord[]).map((r) => r._id),
      ['a', 'b'],
    );
  });
});
