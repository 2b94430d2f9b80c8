// What this client saw of runs (core/run-view/sightings.ts): samples for the progress chart, the end
// of a CANCELLED run (which the platform never records, idm-api.md §4.2), cancels in flight.
import assert from 'node:assert/strict';
import { RunSightings } from '../../../src/core/run-view';
import { RUN_UUID, runRecord } from './builders';

const ID = `${RUN_UUID}-3`;

describe('run sightings', () => {
  it('keeps a sample per change in the counts, with the time it was seen', () => {
    const s = new RunSightings();
    s.see('local', runRecord({ state: 'ACTIVE', processed: 0, total: 100 }), 1000);
    s.see('local', runRecord({ state: 'ACTIVE', processed: 0, total: 100 }), 2000);
    s.see('local', runRecord({ state: 'ACTIVE', processed: 40, total: 100, failures: 1 }), 3000);
    s.see('local', runRecord({ state: 'COMPLETED', processed: 100, total: 100, failures: 1 }), 4000);
    const seen = s.get('local', ID);
    assert.deepEqual(
      seen?.samples.map((x) => [x.at, x.processed, x.failures]),
      [
        [1000, 0, 0],
        [3000, 40, 1],
        [4000, 100, 1],
      ],
    );
    assert.equal(seen?.endSeenAt, 4000);
  });

  it('records no end for a run first seen already finished', () => {
    const s = new RunSightings();
    s.see('local', runRecord({ state: 'CANCELLED', processed: 79, total: 200 }), 5000);
    assert.equal(s.get('local', ID)?.endSeenAt, undefined);
  });

  it('keeps the first end seen', () => {
    const s = new RunSightings();
    s.see('local', runRecord({ state: 'ACTIVE', processed: 10, total: 200 }), 1000);
    s.see('local', runRecord({ state: 'CANCELLED', processed: 12, total: 200 }), 2000);
    s.see('local', runRecord({ state: 'CANCELLED', processed: 12, total: 200 }), 9000);
    assert.equal(s.get('local', ID)?.endSeenAt, 2000);
  });

  it('says cancelling from the request until a final state is seen', () => {
    const s = new RunSightings({ now: () => 100 });
    const changes: string[] = [];
    s.onDidChange((t, id) => changes.push(`${t}/${id}`));
    s.see('local', runRecord({ state: 'ACTIVE', processed: 10, total: 200 }), 50);
    s.cancelRequested('local', ID);
    assert.equal(s.isCancelling('local', ID), true);
    assert.equal(s.isCancelling('other', ID), false);
    s.see('local', runRecord({ state: 'ACTIVE', processed: 11, total: 200 }), 150);
    assert.equal(s.isCancelling('local', ID), true, 'still ACTIVE: the workers have not seen the flag yet');
    s.see('local', runRecord({ state: 'CANCELLED', processed: 11, total: 200 }), 200);
    assert.equal(s.isCancelling('local', ID), false);
    assert.equal(changes.length, 4);
  });

  it('takes an accepted cancel as proof the run was unfinished', () => {
    let now = 1000;
    const s = new RunSightings({ now: () => now });
    // The watcher's first poll comes only after the cancel took effect.
    s.cancelRequested('local', ID);
    s.cancelAccepted('local', ID);
    now = 3000;
    s.see('local', runRecord({ state: 'CANCELLED', processed: 1, total: 200 }), 2500);
    assert.equal(s.get('local', ID)?.endSeenAt, 2500);
    // The poll answered before the cancel did: the end is when the answer came (an upper bound).
    const t = new RunSightings({ now: () => now });
    t.cancelRequested('local', ID);
    t.see('local', runRecord({ state: 'CANCELLED', processed: 1, total: 200 }), 2000);
    assert.equal(t.get('local', ID)?.endSeenAt, undefined);
    t.cancelAccepted('local', ID);
    assert.equal(t.get('local', ID)?.endSeenAt, 3000);
  });

  it('stops saying cancelling when the cancel is refused', () => {
    const s = new RunSightings();
    s.cancelRequested('local', ID);
    s.cancelSettled('local', ID);
    assert.equal(s.isCancelling('local', ID), false);
  });

  it('thins samples evenly past the limit, keeping the first and the last', () => {
    const s = new RunSightings({ maxSamples: 10 });
    for (let i = 0; i <= 100; i++)
      s.see('local', runRecord({ state: 'ACTIVE', processed: i, total: 100 }), i * 1000);
    const samples = s.get('local', ID)?.samples ?? [];
    assert.ok(samples.length <= 10, `${samples.length} samples kept`);
    assert.ok(samples.length >= 5, `${samples.length} samples kept`);
    assert.equal(samples[0].processed, 0);
    assert.equal(samples[samples.length - 1].processed, 100);
    const at = samples.map((x) => x.at);
    assert.deepEqual(
      at,
      [...at].sort((a, b) => a - b),
    );
  });

  it('forgets the oldest run past the limit', () => {
    const s = new RunSightings({ maxRuns: 2 });
    for (const n of [1, 2, 3]) s.see('local', runRecord({ id: `${RUN_UUID}-${n}` }), n);
    assert.equal(s.get('local', `${RUN_UUID}-1`), undefined);
    assert.ok(s.get('local', `${RUN_UUID}-3`));
  });
});
