// `scanjobs validate` end to end through the command table, with captured streams, on the
// examples and on temporary folders of every layout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/commands/validate';
import { UsageError } from '../../src/cli/io';
import type { CliIO } from '../../src/cli/io';

const root = path.resolve(__dirname, '../..');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function validate(args: string[], cwd = root): Promise<Result> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CliIO = { stdout: out, stderr: err, stdin: new PassThrough(), env: {}, cwd };
  // The command module itself (the command table loads it with a dynamic import, which the mocha
  // require hook cannot follow; the last test runs the whole CLI as a process).
  let code: number;
  try {
    code = await run(args, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr += e.message;
    code = 3;
  }
  return { code, stdout, stderr };
}

function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scanjobs-validate-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const job = (over: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      type: 'cron',
      schedule: '0 0 2 * * ?',
      persisted: true,
      invokeService: 'taskscanner',
      invokeContext: {
        scan: {
          _queryFilter: '/d lt "${Time.now}" and !(/c pr)',
          object: 'managed/alpha_user',
          taskState: { started: '/s', completed: '/c' },
          recovery: { timeout: '10m' },
        },
        task: { script: { type: 'text/javascript', file: 'a.js' } },
      },
      ...over,
    },
    null,
    2,
  );

describe('scanjobs validate', () => {
  it("reports the documentation's job at its true lines and columns, and exits 1", async () => {
    const r = await validate(['examples/published/sunsetTask.scanjob.json']);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    const f = 'examples/published/sunsetTask.scanjob.json';
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        `${f}:3:12: warning simple-runs-on-push`,
        `${f}:6:3: warning concurrent-execution-ineffective`,
        `${f}:12:44: error json-invalid-escape`, // the \ of $\{
        `${f}:12:57: error filter-syntax`, // the stray )
        `${f}:13:18: error scan-object`, // managed/realm-name_user
      ],
    );
    assert.match(lines[0], /fires as soon as it is pushed/);
    assert.match(r.stderr, /1 job file checked: 3 errors, 2 warnings/);
  });

  it('reports nothing on the corrected examples of every layout, and exits 0', async () => {
    for (const f of [
      'examples/sunset.scanjob.json',
      'examples/fr-config-manager',
      'examples/frodo',
      'examples/idm',
    ]) {
      const r = await validate([f]);
      assert.equal(r.stdout, '', f);
      assert.equal(r.code, 0, f);
    }
  });

  it('walks folders of any layout and finds only job files', async () => {
    const dir = tempTree({
      'fr/schedules/a/a.json': job(),
      'fr/schedules/a/a.js': 'true;',
      'frodo/b/b.idm.json': JSON.stringify({
        idm: { 'schedule/b': JSON.parse(job({ schedule: '0 0 2 * * 0' })) },
      }),
      'frodo/b/a.js': 'true;',
      'idm/conf/schedule-c.json': job(),
      'idm/a.js': 'openidm.patch(objectID, null, []);',
      'idm/conf/schedule-recon.json': JSON.stringify({ invokeService: 'sync', schedule: 'not cron' }),
      'package.json': '{"name": "x"}',
      'node_modules/x/y.scanjob.json': '{',
    });
    const r = await validate(['.'], dir);
    assert.match(r.stderr, /3 job files checked/);
    const lines = r.stdout.trim().split('\n');
    assert.ok(
      lines.some((l) => l.startsWith(`frodo/b/b.idm.json:`) && l.includes('error cron-invalid')),
      r.stdout,
    );
    // the script finding is reported in the .js file, at its own line and column
    assert.ok(
      lines.some((l) => l.startsWith('idm/a.js:1:1: warning script-not-true')),
      r.stdout,
    );
    assert.ok(!r.stdout.includes('schedule-recon') && !r.stdout.includes('node_modules'));
    assert.equal(r.code, 1);
  });

  it('--format json gives the same findings with ranges', async () => {
    const r = await validate(['examples/published/sunsetTask.scanjob.json', '--format', 'json']);
    const findings = JSON.parse(r.stdout) as {
      line: number;
      column: number;
      endColumn: number;
      code: string;
    }[];
    const escape = findings.find((f) => f.code === 'json-invalid-escape')!;
    assert.deepEqual([escape.line, escape.column, escape.endColumn], [12, 44, 46]);
    assert.equal(r.code, 1);
  });

  it('exits 0 with warnings only', async () => {
    const dir = tempTree({ 'w.scanjob.json': job({ concurrentExecution: false }), 'a.js': 'true;' });
    const r = await validate(['w.scanjob.json'], dir);
    assert.match(r.stdout, /^w\.scanjob\.json:\d+:\d+: warning concurrent-execution-ineffective/);
    assert.equal(r.code, 0);
  });

  it('names a missing path (exit 2) and usage mistakes (exit 3)', async () => {
    const missing = await validate(['nope.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: nope\.json/);
    assert.equal((await validate([])).code, 3);
    const badFormat = await validate(['examples', '--format', 'xml']);
    assert.equal(badFormat.code, 3);
    assert.match(badFormat.stderr, /--format must be one of text, json, sarif, github/);
  });

  it('runs as a process through the command table, with the same exit code', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'validate', 'examples/published/sunsetTask.scanjob.json'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /:12:57: error filter-syntax/);
  });
});
