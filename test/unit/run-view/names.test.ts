// Run names, outcomes and durations as people see them (core/run-view; idm-api.md §4.1, §4.2, §5.6).
import assert from 'node:assert/strict';
import { outcomeText, runDurationMs, runEnd, runOutcome, shortRunId } from '../../../src/core/run-view';
import { RUN_UUID, runRecord } from './builders';

describe('run names', () => {
  it('tells runs of one server apart by the counter after the UUID', () => {
    assert.equal(shortRunId(`${RUN_UUID}-3`), '2410…-3');
    assert.equal(shortRunId(`${RUN_UUID}-17`), '2410…-17');
    assert.notEqual(shortRunId(`${RUN_UUID}-3`), shortRunId(`${RUN_UUID}-4`));
  });
  it('tells servers apart by the UUID', () => {
    assert.equal(shortRunId('9f2564c8-193c-4871-8869-6080f374b1bd-3'), '9f25…-3');
  });
  it('shortens ids of other shapes by their start, and keeps short ones whole', () => {
    assert.equal(shortRunId('9f2564c8-193c-4871-8869-6080f374b1bd'), '9f25…');
    assert.equal(shortRunId('run-1'), 'run-1');
  });
});

describe('run outcomes', () => {
  it('sets COMPLETED with failed objects apart from a clean COMPLETED', () => {
    const clean = runRecord({ processed: 30 });
    const failed = runRecord({ processed: 10, total: 30, failures: 2 });
    assert.equal(runOutcome(clean), 'completed');
    assert.equal(runOutcome(failed), 'completed-with-failures');
    assert.equal(outcomeText(failed, runOutcome(failed)), 'COMPLETED with failures');
    assert.equal(outcomeText(clean, runOutcome(clean)), 'COMPLETED');
  });
  it('says Cancelling… for an active run with a cancel in flight, and nothing else', () => {
    const active = runRecord({ state: 'ACTIVE', processed: 17, total: 121 });
    assert.equal(outcomeText(active, runOutcome(active, true)), 'Cancelling…');
    assert.equal(runOutcome(active, false), 'active');
    assert.equal(runOutcome(runRecord({ state: 'INITIALIZED', processed: 0 }), true), 'cancelling');
    // Once the tenant says CANCELLED (or it completed first), the tenant's state wins.
    assert.equal(runOutcome(runRecord({ state: 'CANCELLED' }), true), 'cancelled');
    assert.equal(runOutcome(runRecord({ state: 'COMPLETED' }), true), 'completed');
  });
});

describe('run ends and durations', () => {
  const started = Date.parse('2026-11-29T15:20:39.000Z');
  it('takes the tenant end time when it has one', () => {
    const r = runRecord();
    assert.deepEqual(runEnd(r, started + 99_000), { at: started + 12_500, source: 'tenant' });
    assert.equal(runDurationMs(r, undefined, 0), 12_500);
  });
  it('uses the moment this client saw a cancelled run end (the platform records none)', () => {
    const r = runRecord({ state: 'CANCELLED', processed: 79, total: 200 });
    assert.equal(r.ended, null);
    assert.deepEqual(runEnd(r, started + 42_000), { at: started + 42_000, source: 'seen' });
    assert.equal(runDurationMs(r, started + 42_000, started + 500_000), 42_000);
  });
  it('has no duration for a cancelled run nobody saw end', () => {
    const r = runRecord({ state: 'CANCELLED' });
    assert.equal(runEnd(r, undefined), undefined);
    assert.equal(runDurationMs(r, undefined, started + 500_000), undefined);
  });
  it('counts an active run up to now, and never a seen end for it', () => {
    const r = runRecord({ state: 'ACTIVE', processed: 5, total: 50 });
    assert.equal(runEnd(r, started + 1000), undefined);
    assert.equal(runDurationMs(r, undefined, started + 7000), 7000);
  });
  it('has no duration for a run that has not started', () => {
    assert.equal(runDurationMs(runRecord({ state: 'INITIALIZED', started: null }), undefined, 1), undefined);
  });
});
