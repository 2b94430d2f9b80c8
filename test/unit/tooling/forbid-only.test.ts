// A committed `it.only` must fail the run, not shrink a suite to one test (.mocharc.json forbid-only).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
