// recovery-timeout-missing: a scan without a recovery window re-claims objects another run is still
// processing (measured on the live OpenIDM 6.1.0: test/contract/overlap.test.ts). Both ways, and the
// fix in every place it has to write; expected texts are written out by hand.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyTextEdits, validateJob, type JobDiagnostic } from '../../../src/core/job';
import { check, jobText, scanJob, withContext, type JobSpec } from './builders';

const CODE = 'recovery-timeout-missing';
const ROOT = resolve(__dirname, '../../..');

/** The base job with `scan.recovery` replaced (`undefined`: no `recovery` at all). */
function withRecovery(recovery: unknown): JobSpec {
  const job = scanJob();
  const scan: Record<string, unknown> = { ...job.invokeContext!.scan };
  if (recovery === undefined) delete scan.recovery;
  else scan.recovery = recovery;
  return { ...job, invokeContext: { ...job.invokeContext, scan } };
}

function findings(text: string, path = '/work/jobs/sunset.scanjob.json'): JobDiagnostic[] {
  return validateJob({ path, text }).filter((d) => d.code === CODE);
}

function one(job: unknown): JobDiagnostic {
  const hits = check(job).filter((d) => d.code === CODE);
  assert.equal(hits.length, 1, JSON.stringify(check(job).map((d) => d.code)));
  return hits[0]!;
}

/** The text after the finding's first (preferred) fix. */
function fixed(text: string, d: JobDiagnostic): string {
  assert.ok(d.fixes?.length, `${d.code} has a fix`);
  return applyTextEdits(text, d.fixes[0]!.edits);
}

function scanOf(text: string): Record<string, unknown> {
  return (JSON.parse(text) as { invokeContext: { scan: Record<string, unknown> } }).invokeContext.scan;
}

describe('recovery-timeout-missing', () => {
  it('warns at the scan key when scan has no recovery, and says why', () => {
    const job = withRecovery(undefined);
    const text = jobText(job);
    const d = one(job);
    assert.equal(d.severity, 'warning');
    assert.equal(text.slice(d.start, d.end), '"scan"');
    assert.match(d.message, /^no recovery\.timeout: a run that overlaps another \(/);
    assert.match(d.message, /re-claims objects still in progress/);
    assert.match(d.message, /"10m"/);
  });

  it('adds "recovery": {"timeout": "10m"} at the end of scan, everything else unchanged', () => {
    const job = withRecovery(undefined);
    const text = jobText(job);
    const d = one(job);
    assert.equal(d.fixes?.[0]?.title, 'Add "recovery": {"timeout": "10m"}');
    const after = fixed(text, d);
    assert.deepEqual(JSON.parse(after), withRecovery({ timeout: '10m' }));
    assert.ok(
      after.includes(
        '      "taskState": {\n' +
          '        "started": "/sunset/task-started",\n' +
          '        "completed": "/sunset/task-completed"\n' +
          '      },\n' +
          '      "recovery": {\n' +
          '        "timeout": "10m"\n' +
          '      }\n' +
          '    },',
      ),
      after,
    );
    assert.deepEqual(findings(after), []);
  });

  it('warns at the recovery key of an empty recovery, and the fix adds the timeout there', () => {
    const job = withRecovery({});
    const text = jobText(job);
    const d = one(job);
    assert.equal(text.slice(d.start, d.end), '"recovery"');
    assert.deepEqual(scanOf(fixed(text, d)).recovery, { timeout: '10m' });
  });

  it('keeps the other keys of a recovery without a timeout', () => {
    const job = withRecovery({ note: 'kept' });
    const after = fixed(jobText(job), one(job));
    assert.deepEqual(scanOf(after).recovery, { note: 'kept', timeout: '10m' });
  });

  for (const zero of ['0m', '0', '00s', '0d', '-5m']) {
    it(`warns at the value of a timeout of ${JSON.stringify(zero)}, and the fix writes "10m" there`, () => {
      const job = withContext({ scan: { recovery: { timeout: zero } } });
      const text = jobText(job);
      const d = one(job);
      assert.equal(text.slice(d.start, d.end), JSON.stringify(zero));
      assert.match(d.message, new RegExp(`^\`recovery.timeout\` "${zero}" is no window: `));
      assert.equal(d.fixes?.[0]?.title, 'Use "10m"');
      assert.deepEqual(scanOf(fixed(text, d)).recovery, { timeout: '10m' });
    });
  }

  it('is quiet on a window of any length and unit', () => {
    for (const timeout of ['10m', '1s', '2M', '1y', '30'])
      assert.deepEqual(
        check(withContext({ scan: { recovery: { timeout } } })).filter((d) => d.code === CODE),
        [],
        timeout,
      );
  });

  it('leaves a malformed timeout or recovery to the checks that name the problem', () => {
    for (const recovery of [{ timeout: 'ten minutes' }, { timeout: 0 }, { timeout: null }, 'x', null, []]) {
      const all = check(withRecovery(recovery));
      assert.deepEqual(
        all.filter((d) => d.code === CODE),
        [],
        JSON.stringify(recovery),
      );
      assert.ok(all.length > 0, `something reports ${JSON.stringify(recovery)}`);
    }
  });

  it('is quiet on a job that is not a scan (no invokeContext.scan)', () => {
    const job = scanJob();
    const { scan: _scan, ...rest } = job.invokeContext!;
    assert.deepEqual(
      check({ ...job, invokeContext: rest }).filter((d) => d.code === CODE),
      [],
    );
  });

  it('fixes a job nested in a Frodo export in its own scan object', () => {
    const frodo = readFileSync(join(ROOT, 'examples/frodo/sunset/sunset.idm.json'), 'utf8');
    const text = frodo.replace(/,\s*"recovery": \{\s*"timeout": "10m"\s*\}/, '');
    assert.notEqual(text, frodo, 'the example writes recovery');
    const path = '/work/frodo/sunset/sunset.idm.json';
    const [d, ...more] = findings(text, path);
    assert.ok(d, 'fires on the Frodo layout');
    assert.equal(more.length, 0);
    const after = JSON.parse(fixed(text, d)) as {
      idm: Record<string, { invokeContext: { scan: Record<string, unknown> } }>;
    };
    assert.deepEqual(after.idm['schedule/sunset']!.invokeContext.scan.recovery, { timeout: '10m' });
    assert.deepEqual(findings(fixed(text, d), path), []);
  });

  it('fires on no example (they all write recovery; snippets.test.ts holds the snippets to no finding)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.json') ? [p] : [];
      });
    const examples = files(join(ROOT, 'examples')).filter((p) => !p.endsWith('jsconfig.json'));
    assert.ok(examples.length >= 5, `found ${examples.length} example jobs`);
    for (const p of examples) assert.deepEqual(findings(readFileSync(p, 'utf8'), p), [], p);
  });
});
