// Runs the TextMate grammar tests with vscode-tmgrammar-test (real vscode-textmate and Oniguruma)
// and turns each case file into a mocha test, so the counts reach our runner.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const HERE = resolve(__dirname);
const TOOL = require.resolve('vscode-tmgrammar-test/dist/unit.js', { paths: [ROOT] });

function runCases(config: string, pattern: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [TOOL, '--compact', '--config', config, pattern], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('TextMate grammars (vscode-tmgrammar-test)', function () {
  this.timeout(60_000);
  const config = join(HERE, 'grammars.json');

  for (const file of readdirSync(join(HERE, 'cases')).sort()) {
    it(`passes ${file}`, () => {
      const { status, out } = runCases(config, join(HERE, 'cases', file));
      assert.equal(status, 0, out);
      assert.doesNotMatch(out, /failed|grammar not found/i, out);
    });
  }

  it('fails on a wrong assertion (the harness can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanjobs-grammar-'));
    const wrong = join(dir, 'wrong.test.qf');
    writeFileSync(
      wrong,
      '# SYNTAX TEST "source.crest-queryfilter" "negative control"\n/a eq 1\n#  ^^ constant.numeric.queryfilter\n',
    );
    const { status, out } = runCases(config, wrong);
    assert.notEqual(status, 0, out);
    assert.match(out, /constant\.numeric\.queryfilter/);
  });

  it('package.json contributes the grammars, the injection into JSON and into the job language', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
    };
    const tested = (JSON.parse(readFileSync(config, 'utf8')) as typeof pkg).contributes.grammars!;
    for (const g of tested.filter((x) => x.path.includes('syntaxes/'))) {
      const shipped = pkg.contributes.grammars?.find((x) => x.scopeName === g.scopeName);
      assert.ok(shipped, `package.json contributes ${g.scopeName}`);
      assert.equal(resolve(ROOT, shipped.path), resolve(HERE, g.path));
      for (const scope of g.injectTo ?? [])
        assert.ok(shipped.injectTo?.includes(scope), `injected into ${scope}`);
    }
  });
});
