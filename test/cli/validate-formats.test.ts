// `scanjobs validate --format sarif|github`: SARIF 2.1.0 checked against the OASIS schema, and GitHub
// workflow annotations, on the published job whose findings' places are read from the file here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { run } from '../../src/cli/commands/validate';
import { toGithubAnnotations } from '../../src/cli/render/findings';
import type { CliIO } from '../../src/cli/io';

const root = path.resolve(__dirname, '../..');
const PUBLISHED = 'examples/published/sunsetTask.scanjob.json';

async function validate(args: string[]): Promise<{ code: number; stdout: string }> {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (c) => (stdout += c));
  const io: CliIO = { stdout: out, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: root };
  const code = await run(args, io);
  return { code, stdout };
}

/** 1-based line and column of the first occurrence of `needle` in the published job, read here. */
function placeOf(needle: string): { line: number; column: number } {
  const lines = readFileSync(path.join(root, PUBLISHED), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} is in the published job`);
  return { line: line + 1, column: lines[line].indexOf(needle) + 1 };
}

const sarifSchema = JSON.parse(
  readFileSync(
    require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', { paths: [root] }),
    'utf8',
  ),
) as Record<string, unknown>;

describe('scanjobs validate --format sarif', function () {
  it('writes a SARIF 2.1.0 log that the OASIS schema accepts', async function () {
    const { code, stdout } = await validate(['--format', 'sarif', PUBLISHED]);
    assert.equal(code, 1, 'the published job has errors');
    const log = JSON.parse(stdout) as Record<string, unknown>;
    // The OASIS schema's language-tag pattern is not valid with the `u` flag; it is a plain regex there.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const check = ajv.compile(sarifSchema);
    assert.ok(check(log), JSON.stringify(check.errors, null, 2));
    assert.equal(log.version, '2.1.0');
  });

  it('names each rule with a help link to its docs/rules.md section and marks the exact region', async function () {
    const { stdout } = await validate(['--format', 'sarif', PUBLISHED]);
    const run0 = (JSON.parse(stdout) as { runs: SarifRun[] }).runs[0];
    const escape = run0.results.find((r) => r.ruleId === 'json-invalid-escape');
    assert.ok(escape, 'the invalid escape is reported');
    const at = placeOf('\\{');
    const region = escape.locations[0].physicalLocation.region;
    assert.deepEqual(
      { line: region.startLine, column: region.startColumn, endColumn: region.endColumn },
      { line: at.line, column: at.column, endColumn: at.column + 2 },
    );
    assert.equal(escape.locations[0].physicalLocation.artifactLocation.uri, PUBLISHED);
    assert.equal(escape.level, 'error');
    const rule = run0.tool.driver.rules[escape.ruleIndex];
    assert.equal(rule.id, 'json-invalid-escape');
    assert.match(rule.helpUri, /\/docs\/rules\.md#json-invalid-escape$/);
    const warning = run0.results.find((r) => r.ruleId === 'simple-runs-on-push');
    assert.equal(warning?.level, 'warning');
    // every rule that has a help link has a heading of that name in docs/rules.md
    const headings = new Set(
      readFileSync(path.join(root, 'docs/rules.md'), 'utf8')
        .split('\n')
        .filter((l) => /^#{2,3} /.test(l))
        .map((l) => l.replace(/^#+ /, '').trim()),
    );
    for (const r of run0.tool.driver.rules) assert.ok(headings.has(r.id), `docs/rules.md has ${r.id}`);
  });
});

describe('scanjobs validate --format github', function () {
  it('prints one workflow annotation per finding with file, line and column', async function () {
    const { code, stdout } = await validate(['--format', 'github', PUBLISHED]);
    assert.equal(code, 1);
    const at = placeOf('\\{');
    const lines = stdout.trimEnd().split('\n');
    const escape = lines.find((l) => l.includes('title=scanjobs json-invalid-escape'));
    assert.ok(escape, stdout);
    assert.ok(
      escape.startsWith(
        `::error file=${PUBLISHED},line=${at.line},col=${at.column},endLine=${at.line},endColumn=${at.column + 2},`,
      ),
      escape,
    );
    assert.ok(lines.some((l) => l.startsWith('::warning file=') && l.includes('simple-runs-on-push')));
    assert.ok(
      lines.every((l) => /^::(error|warning|notice) file=[^:]+::./.test(l)),
      stdout,
    );
  });

  it('escapes what workflow commands reserve in properties and messages', function () {
    const text = toGithubAnnotations([
      {
        path: 'jobs/a,b:c%.json',
        line: 2,
        column: 3,
        endLine: 4,
        endColumn: 5,
        severity: 'info',
        code: 'x',
        message: '100% done\nnext: line',
      },
    ]);
    assert.equal(
      text,
      '::notice file=jobs/a%2Cb%3Ac%25.json,line=2,col=3,endLine=4,endColumn=5,title=scanjobs x::100%25 done%0Anext: line\n',
    );
  });
});

interface SarifRun {
  tool: { driver: { rules: { id: string; helpUri: string }[] } };
  results: {
    ruleId: string;
    ruleIndex: number;
    level: string;
    locations: {
      physicalLocation: {
        artifactLocation: { uri: string };
        region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
      };
    }[];
  }[];
}
