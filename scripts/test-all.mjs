// Runs every test suite that exists, one after another, and closes with one line:
// "N passed, N failed" (and ", N skipped" when some were). Exit code 0 only when nothing failed.
// `npm run typecheck` and `npm run lint` run first and count as one test each (argument "static").
// A suite listed here with no test files is skipped silently; a suite that needs a host that is not
// installed fails loudly unless SCANJOBS_ALLOW_MISSING_HOSTS=1 (never set in CI).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const statsFile = join(mkdtempSync(join(tmpdir(), 'scanjobs-tests-')), 'stats.jsonl');
const only = process.argv.slice(2);

function hasTests(dir, suffix) {
  // true when the folder holds at least one file ending in suffix, at any depth
  const abs = join(root, dir);
  if (!existsSync(abs)) return false;
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory() ? hasTests(join(dir, name), suffix) : name.endsWith(suffix)) return true;
  }
  return false;
}

const mocha = (glob) => ['node_modules/.bin/mocha', ['--config', '.mocharc.json', glob]];

/** name, the folder its tests live in, and the command that runs them. */
const suites = [
  { name: 'unit', dir: 'test/unit', cmd: mocha('test/unit/**/*.test.ts') },
  { name: 'differential', dir: 'test/differential', cmd: mocha('test/differential/**/*.test.ts') },
  { name: 'emulator', dir: 'test/emulator', cmd: mocha('test/emulator/**/*.test.ts') },
  { name: 'tenant', dir: 'test/tenant', cmd: mocha('test/tenant/**/*.test.ts') },
  { name: 'cli', dir: 'test/cli', cmd: mocha('test/cli/**/*.test.ts') },
  // the CLI packed, installed with npm into a temporary prefix and run from there (minutes: npm builds
  // better-sqlite3 from source on Node 20)
  { name: 'package', dir: 'test/package', cmd: mocha('test/package/**/*.test.ts') },
  { name: 'contract', dir: 'test/contract', cmd: ['node', ['test/contract/run.mjs']] },
  { name: 'vscode', dir: 'test/vscode', cmd: ['node', ['test/vscode/run-vscode-tests.mjs']] },
  { name: 'ui', dir: 'test/ui', cmd: mocha('test/ui/**/*.test.ts') },
];

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.log('build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let crashed = 0;
// Typecheck and lint are part of the test command (CI runs nothing else): each counts as one test.
const staticChecks = [];
if (!only.length || only.includes('static')) {
  for (const script of ['typecheck', 'lint']) {
    console.log(`\n=== check: npm run ${script} ===`);
    const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    staticChecks.push({ script, ok: r.status === 0 });
  }
}
for (const suite of suites) {
  if (only.length && !only.includes(suite.name)) continue;
  if (!hasTests(suite.dir, '.test.ts')) continue;
  console.log(`\n=== suite: ${suite.name} ===`);
  const before = existsSync(statsFile)
    ? readFileSync(statsFile, 'utf8').split('\n').filter(Boolean).length
    : 0;
  const [cmd, args] = suite.cmd;
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SCANJOBS_TEST_STATS: statsFile, SCANJOBS_TEST_SUITE: suite.name },
  });
  const after = existsSync(statsFile)
    ? readFileSync(statsFile, 'utf8').split('\n').filter(Boolean).length
    : 0;
  if (after === before) {
    // The suite died before its reporter could write its counts: count that as a failure.
    console.log(`suite ${suite.name} exited with ${r.status ?? r.signal} before reporting any result`);
    crashed++;
  } else if (r.status !== 0 && r.status !== null) {
    // Counts were written; a non-zero exit with zero failures still means something went wrong.
    const lines = readFileSync(statsFile, 'utf8').split('\n').filter(Boolean).slice(before);
    if (lines.every((l) => JSON.parse(l).failed === 0)) {
      console.log(`suite ${suite.name} exited with ${r.status} although no test failed`);
      crashed++;
    }
  }
}

let passed = 0;
let failed = crashed;
let skipped = 0;
const perSuite = [];
const failedTitles = [];
if (existsSync(statsFile)) {
  for (const line of readFileSync(statsFile, 'utf8').split('\n').filter(Boolean)) {
    const s = JSON.parse(line);
    passed += s.passed;
    failed += s.failed;
    skipped += s.skipped;
    for (const f of s.failures ?? []) failedTitles.push(`  ${s.suite}: ${f.title}\n      ${f.error}`);
    perSuite.push(
      `${s.suite}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`,
    );
  }
}
for (const c of staticChecks) {
  if (c.ok) passed++;
  else failed++;
  perSuite.push(`${c.script}: ${c.ok ? 'clean' : 'FAILED'}`);
}
// The failed tests again, next to the totals: CI keeps only the tail of this output.
if (failedTitles.length) console.log('\nfailed tests:\n' + failedTitles.join('\n'));
console.log('\n' + perSuite.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
