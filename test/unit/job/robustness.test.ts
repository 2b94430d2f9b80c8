// Bad input never crashes the checks: every finding has a range inside the text, whatever the text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateJob } from '../../../src/core/job';
import { jobText, scanJob } from './builders';

function checkRanges(text: string): void {
  const found = validateJob({ path: '/x/a.scanjob.json', text });
  for (const d of found) {
    assert.ok(d.path === undefined, 'no script file is involved');
    assert.ok(
      0 <= d.start && d.start <= d.end && d.end <= text.length,
      `${d.code} ${d.start}-${d.end} of ${text.length}`,
    );
    assert.ok(d.message.length > 0);
  }
}

describe('job checks on bad input', () => {
  it('absurd nesting is a finding, not a stack overflow', () => {
    const [d] = validateJob({ path: '/x/a.scanjob.json', text: '['.repeat(100_000) });
    assert.equal(d.code, 'json-syntax');
    assert.match(d.message, /nested more than 1000 levels/);
    assert.equal(d.start, 1000);
  });

  it('an empty file is one finding', () => {
    assert.deepEqual(
      validateJob({ path: '/x/a.scanjob.json', text: ' \n' }).map((d) => d.message),
      ['JSON: the file is empty'],
    );
  });

  it('one finding per wrong value, even when two schema branches reject it', () => {
    const found = validateJob({
      path: '/x/a.scanjob.json',
      text: jobText(scanJob({ schedule: 5 as unknown as string })),
    });
    assert.equal(found.filter((d) => d.code === 'schema-value').length, 1);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkRanges), { numRuns: 300 });
  });

  it('never throws on arbitrary JSON values, as the job or as parts of it', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('', 'invokeContext', 'scan', 'script', 'taskState'),
        (v, where) => {
          const job = scanJob() as Record<string, unknown>;
          const ic = job.invokeContext as Record<string, Record<string, unknown>>;
          if (where === '') return checkRanges(JSON.stringify(v));
          if (where === 'invokeContext') job.invokeContext = v;
          if (where === 'scan') ic.scan = v as Record<string, unknown>;
          if (where === 'script') ic.task = { script: v };
          if (where === 'taskState') ic.scan.taskState = v;
          checkRanges(jobText(job));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws when a valid job is cut or has a character changed', () => {
    const text = jobText(scanJob());
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 3 }), (a, b, insert) => {
        checkRanges(text.slice(0, a));
        checkRanges(text.slice(0, b) + insert + text.slice(b + 1));
      }),
      { numRuns: 300 },
    );
  });
});
