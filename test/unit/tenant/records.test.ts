// What the client reads off tenant records: which jobs are scan jobs and which job a run belongs to
// (idm-api.md §2.2, §4.1). The extension's tree and pickers and the CLI rely on these.
import assert from 'node:assert/strict';
import { isScanJob, jobOfRun, runBelongsTo, SCAN_JOB_FILTER } from '../../../src/core/tenant';
import type { RunRecord } from '../../../src/core/tenant';
import { evaluateFilter, parseFilter } from '../../../src/core/queryfilter';

const run = (name: string | undefined): RunRecord => ({ _id: 'r1', name }) as RunRecord;

describe('tenant records', () => {
  it('a scan job is one whose invokeService is taskscanner, as sent or as the server echoes it', () => {
    assert.equal(isScanJob({ invokeService: 'taskscanner' }), true);
    assert.equal(isScanJob({ invokeService: 'org.forgerock.openidm.taskscanner' }), true);
    assert.equal(isScanJob({ invokeService: 'script' }), false);
    assert.equal(isScanJob({ invokeService: 'mytaskscanner' }), false);
    assert.equal(isScanJob({}), false);
  });

  it('the scan-job filter parses and selects the same jobs on the server side', () => {
    const parsed = parseFilter(SCAN_JOB_FILTER);
    assert.ok(parsed.ok);
    assert.equal(evaluateFilter(parsed.ast, { invokeService: 'org.forgerock.openidm.taskscanner' }), true);
    assert.equal(evaluateFilter(parsed.ast, { invokeService: 'org.forgerock.openidm.script' }), false);
  });

  it('names the job of a run in AIC (schedule/<job>) and in the fork (the bare name)', () => {
    assert.equal(jobOfRun(run('schedule/sunsetTask')), 'sunsetTask');
    assert.equal(jobOfRun(run('sunsetTask')), 'sunsetTask');
    assert.equal(jobOfRun(run(undefined)), undefined);
    assert.equal(runBelongsTo(run('schedule/sunsetTask'), 'sunsetTask'), true);
    assert.equal(runBelongsTo(run('schedule/sunsetTask'), 'sunset'), false);
  });
});
