// The Rhino corpus (test/fixtures/rhino) through our QuickJS sandbox, held against what the live
// server's Rhino did with the same scripts (observed.json, kept true by test/contract/rhino.test.ts):
// every difference is flagged by rhino-compat on the job's script or is a documented emulator
// difference, and rhino-compat flags nothing else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rhinoFindings } from '../../src/core/job/rules/rhino';
import { RHINO_CORPUS, type Outcome } from '../fixtures/rhino/corpus';
import { EMULATOR_DIFFERENCES, FLAGGED_ALTHOUGH_EQUAL } from '../fixtures/rhino/differences';
import { sandboxOutcomes } from '../fixtures/rhino/sandbox';

const observed = (
  JSON.parse(readFileSync(join(__dirname, '../fixtures/rhino/observed.json'), 'utf8')) as {
    results: Record<string, Outcome>;
  }
).results;

const same = (a: Outcome, b: Outcome): boolean =>
  a.ok && b.ok ? JSON.stringify(a.value) === JSON.stringify(b.value) : !a.ok && !b.ok && a.stage === b.stage;

describe('Rhino corpus: our sandbox against the recorded Rhino results', function () {
  this.timeout(120_000);
  let ours: Record<string, Outcome>;
  let close = () => undefined as void;

  before(async () => {
    const run = await sandboxOutcomes();
    ours = run.results;
    close = run.close;
  });
  after(() => close());

  it('has at least 200 scripts, each with a recorded Rhino result', () => {
    assert.ok(RHINO_CORPUS.length >= 200, `${RHINO_CORPUS.length} scripts`);
    for (const s of RHINO_CORPUS) assert.ok(observed[s.id], `${s.id} has no recorded Rhino result`);
  });

  it('every difference is flagged by rhino-compat or documented as an emulator difference', () => {
    const unexplained: string[] = [];
    let differences = 0;
    for (const s of RHINO_CORPUS) {
      if (same(observed[s.id], ours[s.id])) continue;
      differences++;
      const flagged = rhinoFindings(s.source).length > 0;
      const documented = s.id in EMULATOR_DIFFERENCES;
      if (flagged === documented)
        unexplained.push(
          `${s.id}: ${flagged ? 'both flagged and documented' : 'neither flagged nor documented'} (Rhino ${JSON.stringify(observed[s.id])}, QuickJS ${JSON.stringify(ours[s.id])})`,
        );
    }
    assert.deepEqual(unexplained, []);
    // The recorded run found 67 differences in 353 scripts (docs/rules.md "rhino-compat").
    assert.equal(differences, 67);
  });

  it('documents only differences that are real, and flags nothing on which the engines agree', () => {
    for (const id of Object.keys(EMULATOR_DIFFERENCES))
      assert.ok(!same(observed[id], ours[id]), `${id} is documented as a difference but both engines agree`);
    const falsePositives = RHINO_CORPUS.filter(
      (s) =>
        same(observed[s.id], ours[s.id]) &&
        rhinoFindings(s.source).length > 0 &&
        !(s.id in FLAGGED_ALTHOUGH_EQUAL),
    ).map((s) => s.id);
    assert.deepEqual(falsePositives, []);
  });

  it('every script Rhino will not compile gets an error from rhino-compat', () => {
    const missed = RHINO_CORPUS.filter((s) => {
      const r = observed[s.id];
      return !r.ok && r.stage === 'compile' && !rhinoFindings(s.source).some((f) => f.severity === 'error');
    }).map((s) => s.id);
    assert.deepEqual(missed, []);
  });
});
