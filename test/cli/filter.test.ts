// `scanjobs filter` end to end: the built CLI in a child process, fed the conformance cases and
// hand-made bad input. The bundle is rebuilt first when any source is newer than dist/cli.js.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { conformance, repoRoot } from '../unit/queryfilter/support';

const cli = path.join(repoRoot, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

function distIsStale(): boolean {
  try {
    return statSync(cli).mtimeMs < newestSource(path.join(repoRoot, 'src'));
  } catch {
    return true;
  }
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function scanjobs(args: string[], input = ''): Run {
  const r = spawnSync(process.execPath, [cli, 'filter', ...args], { input, encoding: 'utf8', cwd: repoRoot });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface PersonRecord {
  name: string;
  created: string;
  roles: string[];
}

function personRecord(overrides: Partial<PersonRecord> = {}): PersonRecord {
  return { name: 'alice', created: '2025-12-01T00:00:00.000Z', roles: ['Admin'], ...overrides };
}

describe('scanjobs filter (CLI)', function () {
  this.timeout(120_000);

  before(() => {
    if (distIsStale()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  });

  const data = conformance();

  it('check --jsonl answers every conformance parse case', () => {
    const input = data.parse.map((c) => JSON.stringify(c.filter)).join('\n') + '\n';
    const r = scanjobs(['check', '--jsonl'], input);
    const lines = jsonLines(r.stdout);
    assert.equal(lines.length, data.parse.length);
    data.parse.forEach((c, i) => {
      const line = lines[i]!;
      assert.equal(line.valid, c.valid, c.filter);
      if (c.valid) assert.equal(line.normalized, c.normalized, c.filter);
      else {
        const e = line.error as Record<string, unknown>;
        assert.deepEqual(Object.keys(e).sort(), ['code', 'end', 'message', 'start', 'upstreamMessage']);
      }
    });
    assert.equal(r.status, 1, 'some cases are invalid filters');
  });

  it('eval --jsonl answers every conformance evaluate case', () => {
    const input =
      data.evaluate.map((c) => JSON.stringify({ filter: c.filter, object: c.object })).join('\n') + '\n';
    const r = scanjobs(['eval', '--jsonl'], input);
    const lines = jsonLines(r.stdout);
    assert.equal(lines.length, data.evaluate.length);
    data.evaluate.forEach((c, i) => assert.deepEqual(lines[i], { result: c.expected }, c.filter));
    assert.equal(r.status, 0, r.stderr);
  });

  it('check prints the canonical form and exits 0', () => {
    const r = scanjobs(['check', '/sunset/date lt "${Time.now}" AND !(/sunset/task-completed pr)']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '(/sunset/date lt "${Time.now}" and ! (/sunset/task-completed pr))\n');
  });

  it('check explains an invalid filter with a caret under the span and exits 1', () => {
    const seed = '/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr';
    const r = scanjobs(['check', seed]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n');
    assert.match(lines[0]!, /`\)` at column 30 closes nothing/);
    assert.equal(lines[1], `  ${seed}`);
    assert.equal(lines[2], `  ${' '.repeat(29)}^`);
    assert.match(r.stderr, /400: IllegalArgumentException: Invalid query filter/);
  });

  it('check shows lints as warnings without changing the result', () => {
    const r = scanjobs(['check', '/a ne 1']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '/a ne 1\n');
    assert.match(r.stderr, /warning \[always-false-operator\]/);
  });

  it('format prints the readable form', () => {
    const r = scanjobs(['format', "((/a pr and /b eq 'x\"y') OR !(/c pr))"]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '/a pr and /b eq "x\\"y" or ! /c pr\n');
  });

  describe('eval', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scanjobs-filter-'));
    const objectFile = path.join(dir, 'person.json');
    writeFileSync(objectFile, JSON.stringify(personRecord()));

    it('evaluates against an object file, expanding macros with --now', () => {
      const f = '/created lt "${Time.now - 30d}"';
      assert.equal(
        scanjobs(['eval', f, '--object', objectFile, '--now', '2026-02-01T00:00:00Z']).stdout,
        'true\n',
      );
      assert.equal(
        scanjobs(['eval', f, '--object', objectFile, '--now', '2025-12-15T00:00:00Z']).stdout,
        'false\n',
      );
      assert.equal(scanjobs(['eval', '/roles eq "admin"', '--object', objectFile]).stdout, 'true\n');
    });

    it('points parse errors at the filter as written, not at the expanded text', () => {
      const f = '/created lt ${Time.now} and /x pr';
      const r = scanjobs(
        ['eval', '--jsonl'],
        JSON.stringify({ filter: f, object: {}, now: '2026-01-01T00:00:00Z' }),
      );
      const e = jsonLines(r.stdout)[0]!.error as { start: number; end: number; upstreamMessage: string };
      assert.equal(f.slice(e.start, e.end), '${Time.now}');
      assert.equal(e.upstreamMessage, 'For input string: "2026-01-01T00:00:00.000Z"');
      const after = '/created lt "${Time.now}" and /x eq';
      const r2 = scanjobs(['eval', after, '--object', objectFile]);
      assert.equal(r2.status, 1);
      assert.match(r2.stderr, /expected a value after `eq`/);
      assert.equal(r2.stderr.split('\n')[2], `  ${' '.repeat(after.length - 2)}^^`);
    });

    it('reports a bad macro offset as an error', () => {
      const r = scanjobs(['eval', '/created lt "${Time.now + 1}"', '--object', objectFile]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /not a number followed by a unit/);
    });

    it('eval --jsonl takes now per line and answers errors per line', () => {
      const lines = [
        { filter: '/created lt "${Time.now}"', object: personRecord(), now: '2026-01-01T00:00:00Z' },
        { filter: '/created lt "${Time.now}"', object: personRecord(), now: '2025-01-01T00:00:00Z' },
        { filter: '/a eq', object: {} },
        { filter: '/a lt "${Time.now + 1}"', object: {} },
      ];
      const r = scanjobs(['eval', '--jsonl'], lines.map((l) => JSON.stringify(l)).join('\n'));
      const out = jsonLines(r.stdout);
      assert.deepEqual(out.slice(0, 2), [{ result: true }, { result: false }]);
      assert.equal((out[2]!.error as { code: string }).code, 'missing-value');
      assert.equal((out[3]!.error as { code: string }).code, 'macro-bad-offset');
      assert.equal(r.status, 1);
    });

    it('answers malformed lines with an error object and goes on, then exits 3', () => {
      const input = [
        '{"filter":"true","object":{}}',
        'not json',
        '{"filter":1,"object":{}}',
        '{"filter":"true"}',
        '{"filter":"true","object":{},"now":"yesterday"}',
        '{"filter":"false","object":{}}',
      ].join('\n');
      const r = scanjobs(['eval', '--jsonl'], input);
      const out = jsonLines(r.stdout);
      assert.equal(out.length, 6);
      assert.deepEqual(out[0], { result: true });
      for (const line of out.slice(1, 5))
        assert.equal((line.error as { code: string }).code, 'malformed-line');
      assert.deepEqual(out[5], { result: false });
      assert.equal(r.status, 3);
      assert.match(r.stderr, /line 2 is not valid JSON/);
    });

    it('rejects a missing or unreadable object file with a clear message (exit 3)', () => {
      const missing = scanjobs(['eval', 'true', '--object', path.join(dir, 'nope.json')]);
      assert.equal(missing.status, 3);
      assert.match(missing.stderr, /cannot read --object file .*nope\.json.*no such file/);
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, '{');
      const broken = scanjobs(['eval', 'true', '--object', bad]);
      assert.equal(broken.status, 3);
      assert.match(broken.stderr, /is not valid JSON/);
      assert.equal(scanjobs(['eval', 'true']).status, 3);
      assert.equal(scanjobs(['eval', 'true', '--object', objectFile, '--now', 'soon']).status, 3);
    });
  });

  describe('usage errors exit 3', () => {
    const cases: [string[], RegExp][] = [
      [['check', '--bogus'], /Unknown option '--bogus'/],
      [['check'], /missing filter/],
      [['check', '/a', 'pr'], /quote the whole filter/],
      [['check', '--jsonl', '/a pr'], /reads filters from stdin/],
      [['format', '--object', 'x'], /does not take --object/],
      [['frobnicate'], /unknown subcommand 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      it(`scanjobs filter ${args.join(' ')}`, () => {
        const r = scanjobs(args);
        assert.equal(r.status, 3);
        assert.match(r.stderr, message);
      });
    }
  });

  it('check --jsonl answers a malformed line and keeps going', () => {
    const r = scanjobs(['check', '--jsonl'], '"/a pr"\n{"x":1}\n[\n"true"\n');
    const out = jsonLines(r.stdout);
    assert.deepEqual(out[0], { valid: true, normalized: '/a pr' });
    assert.equal((out[1]!.error as { code: string }).code, 'malformed-line');
    assert.equal((out[2]!.error as { code: string }).code, 'malformed-line');
    assert.deepEqual(out[3], { valid: true, normalized: 'true' });
    assert.equal(r.status, 3);
  });

  it('prints help', () => {
    const r = scanjobs(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /scanjobs filter check <filter>/);
  });
});
