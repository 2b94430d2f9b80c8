// rhino-compat on a job's script (docs/rules.md): each class of difference measured on the live Rhino,
// the severity (error where Rhino rejects the script), the range inside the JSON string or the script
// file, and quiet on what Rhino runs the same. The corpus-wide check is test/emulator/rhino-corpus.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rhinoFindings } from '../../../src/core/job/rules/rhino';
import { RHINO_CORPUS, type Outcome } from '../../fixtures/rhino/corpus';
import { check, folder, jobText, withContext } from './builders';

const observed = (
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/rhino/observed.json'), 'utf8')) as {
    results: Record<string, Outcome>;
  }
).results;

const findings = (source: string) => rhinoFindings(source).map((f) => `${f.severity}: ${f.message}`);

describe('rhino-compat', () => {
  it('errors on syntax Rhino rejects, each with what to write instead', () => {
    const cases: [string, RegExp][] = [
      ['class A {}', /`class` is a reserved word/],
      ['f(...args);', /spread `\.\.\.`/],
      ['function f(a = 1) {}', /default values/],
      ['var x = o?.a;', /optional chaining/],
      ['var x = a ?? b;', /nullish/],
      ['a ||= 1;', /`\|\|=` is not supported/],
      ['var o = { [k]: 1 };', /computed property names/],
      ['async function f() {}', /`async` functions/],
      ['try { x(); } catch { y(); }', /`catch` without a binding/],
      ['for (const k of ks) {}', /`const` in a `for…of` head/],
      ['/a.b/s.test(x);', /flag s/],
      ['/(?<=\\$)\\d+/.exec(x);', /lookbehind/],
      ['"a.b".replaceAll(".", "");', /no `replaceAll\(\)`/],
      ['[1, [2]].flat();', /no `flat\(\)`/],
      ['new Intl.NumberFormat("en").format(1);', /`Intl` does not exist/],
      ['function f(a, b,) {}', /trailing comma after the last parameter/],
    ];
    for (const [source, message] of cases) {
      const found = rhinoFindings(source);
      assert.equal(found[0]?.severity, 'error', `${source}: ${JSON.stringify(found)}`);
      assert.match(found[0].message, message, source);
      assert.match(found[0].message, /Rhino 1\.7\.14/);
    }
  });

  it('warns where Rhino runs the script with another result', () => {
    const cases: [string, RegExp][] = [
      [
        'var fs = []; for (let i = 0; i < 3; i++) fs.push(function () { return i; });',
        /one binding for all iterations/,
      ],
      ['const a = 1; a = 2;', /ignores an assignment to the const `a`/],
      ['var s = "\\u{1F600}";', /`\\u\{…\}` escapes are not read/],
      ['(1234.5).toLocaleString("en-US");', /Java locale/],
      ['var f = /x/g.flags;', /no `flags`/],
      ['new Error("m", { cause: e });', /ignores the options/],
      ['function f() { "use strict"; return this; }', /does not apply "use strict"/],
    ];
    for (const [source, message] of cases) {
      const found = rhinoFindings(source);
      assert.equal(found[0]?.severity, 'warning', `${source}: ${JSON.stringify(found)}`);
      assert.match(found[0].message, message, source);
    }
  });

  it('is quiet on what Rhino runs as written: ES5, arrows, templates, let, destructuring, for…of', () => {
    for (const source of [
      'var patch = [{ operation: "replace", field: "/active", value: false }]; openidm.patch(objectID, null, patch); true;',
      'var f = (x) => x * 2; `v ${f(2)}`;',
      'let n = 0; for (let i = 0; i < 3; i++) n += i; true;',
      'var { a, b } = input; var [c] = [a]; true;',
      'for (var v of [1, 2]) {} true;',
      'var m = new Map(); m.set("a", 1); Object.entries({ a: 1 }); "x".padStart(2); true;',
    ])
      assert.deepEqual(findings(source), [], source);
  });

  it('reports inside the job: on the script text of an inline source and of a script file', () => {
    const source = 'var o = input?.mail;\ntrue;';
    const job = withContext({ script: { source } });
    const d = check(job).find((x) => x.code === 'rhino-compat');
    assert.ok(d);
    assert.equal(d.severity, 'error');
    assert.equal(jobText(job).slice(d.start, d.end), 'input?.mail');
    const text = jobText(withContext({ script: { source: undefined, file: 'sweep.js' } }));
    const dir = folder({ 'sweep.scanjob.json': text, 'sweep.js': source });
    const inFile = check(null, { path: join(dir, 'sweep.scanjob.json'), text }).find(
      (x) => x.code === 'rhino-compat',
    );
    assert.ok(inFile, 'no rhino-compat finding in the script file');
    assert.ok(inFile.path?.endsWith('sweep.js'), JSON.stringify(inFile));
    assert.equal(source.slice(inFile.start, inFile.end), 'input?.mail');
  });

  it('leaves Groovy scripts alone', () => {
    const job = withContext({ script: { type: 'groovy', source: 'class A {}' } });
    assert.ok(!check(job).some((d) => d.code === 'rhino-compat'));
  });

  it('errs on every corpus script the recorded Rhino would not compile (observed.json)', () => {
    const rejected = RHINO_CORPUS.filter(
      (s) => !observed[s.id].ok && (observed[s.id] as { stage: string }).stage === 'compile',
    );
    assert.ok(rejected.length >= 30, `${rejected.length} scripts`);
    for (const s of rejected)
      assert.ok(
        rhinoFindings(s.source).some((f) => f.severity === 'error'),
        `${s.id}: ${s.source}`,
      );
  });
});
