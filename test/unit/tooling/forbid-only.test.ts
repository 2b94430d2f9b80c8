// A committed `it.only` must fail the run, not shrink a suite to one test (.mocharc.json forbid-only).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

describe('test tooling', function () {
  it('fails a mocha run that contains it.only', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'scanjobs-only-'));
    try {
      const file = path.join(dir, 'only.test.ts');
      writeFileSync(file, "it.only('one', () => undefined);\nit('two', () => undefined);\n");
      const r = spawnSync(
        path.join(root, 'node_modules/.bin/mocha'),
        ['--config', path.join(root, '.mocharc.json'), '--reporter', 'dot', file],
        { cwd: root, encoding: 'utf8', env: { ...process.env, SCANJOBS_TEST_STATS: '' } },
      );
      assert.notEqual(r.status, 0, `mocha accepted it.only:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, /`\.only` forbidden/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // CI keeps only the tail of the log: the stats line carries each failed test's title and first
  // error line, so scripts/test-all.mjs can print them next to the totals.
  it('records the failed tests by title and first error line in the stats file', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'scanjobs-stats-'));
    try {
      const file = path.join(dir, 'mixed.test.ts');
      const stats = path.join(dir, 'stats.jsonl');
      writeFileSync(
        file,
        "describe('outer', () => {\n" +
          "  it('passes', () => undefined);\n" +
          "  it('breaks', () => { throw new Error('first line\\nsecond line'); });\n" +
          '});\n',
      );
      spawnSync(
        path.join(root, 'node_modules/.bin/mocha'),
        ['--config', path.join(root, '.mocharc.json'), file],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, SCANJOBS_TEST_STATS: stats, SCANJOBS_TEST_SUITE: 'probe' },
        },
      );
      const line = JSON.parse(readFileSync(stats, 'utf8').trim()) as unknown;
      assert.deepEqual(line, {
        suite: 'probe',
        passed: 1,
        failed: 1,
        skipped: 0,
        failures: [{ title: 'outer breaks', error: 'first line' }],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
