// scriptFindings: the job's findings for the script text being edited, placed in that text.
// Expected offsets are counted by hand in the script (not in the JSON, where escapes shift them).
import assert from 'node:assert/strict';
import { scriptFindings } from '../../../src/core/job';
import { jobText, scanJob, withContext } from './builders';

const PATH = '/work/jobs/sunset.scanjob.json';
const findings = (script: string, job: unknown = scanJob()) =>
  scriptFindings({ path: PATH, text: jobText(job), job: [], script })!;

describe('script findings placed in the script (Edit Script)', () => {
  // 0-7 `var s = `, 8 `"`, 9 é, 10 a tab, 11 `"`, 12 `;`, 13 newline, 14-46 the patch call, 47 `;`.
  // In the job's JSON the quotes, the tab and the newline are escapes, so JSON offsets differ.
  const SCRIPT = 'var s = "é\t";\nopenidm.patch(objectID, null, []);';

  it('puts script-not-true on the last statement of the text being edited, through its escapes', () => {
    const d = findings(SCRIPT).find((x) => x.code === 'script-not-true');
    assert.ok(d);
    assert.deepEqual([d.start, d.end], [14, 47]);
    assert.equal(SCRIPT.slice(d.start, d.end), 'openidm.patch(objectID, null, [])');
  });

  it("carries the fix as an edit of the script's own text, decoded from JSON", () => {
    const d = findings(SCRIPT).find((x) => x.code === 'script-not-true')!;
    assert.deepEqual(d.fixes, [
      { title: 'Append `true;` to the script', edits: [{ start: 48, end: 48, newText: '\ntrue;' }] },
    ]);
    const fixed = SCRIPT + '\ntrue;';
    assert.deepEqual(
      findings(fixed).map((x) => x.code),
      [],
    );
  });

  it('places a syntax error at its character', () => {
    const d = findings('var x = ;\ntrue;').find((x) => x.code === 'script-syntax');
    assert.ok(d);
    assert.deepEqual([d.start, d.end], [8, 9]);
  });

  it("checks the text given, not the job's saved script, and leaves the job's other findings out", () => {
    const saved = withContext({
      script: { source: 'var x = ;' },
      scan: { object: 'managed/realm-name_user' },
    });
    assert.deepEqual(findings('true;', saved), []);
  });

  it('keeps a fix that edits the script at both ends (script-throw wraps it in try/catch)', () => {
    const script = 'if (!input.mail) throw "no mail";\ntrue;';
    const d = findings(script).find((x) => x.code === 'script-throw');
    assert.ok(d);
    assert.equal(script.slice(d.start, d.end), 'throw "no mail";');
    const edits = d.fixes![0].edits;
    assert.deepEqual(
      edits.map((e) => [e.start, e.end]),
      [
        [0, 0],
        [39, 39],
      ],
    );
    assert.equal(edits[0].newText, 'try {\n');
  });

  it('is undefined for a job whose script lives in a file', () => {
    const job = withContext({ script: { source: undefined, file: 'sunset.js' } });
    assert.equal(scriptFindings({ path: PATH, text: jobText(job), job: [], script: 'true;' }), undefined);
  });
});
