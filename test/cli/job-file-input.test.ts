// Job files people really have, through the real CLI (issue 12 items 13-16): another encoding, a key
// given twice, a 50 MB script, a script file outside the job's folder. Each gets the finding or the
// exit code docs/rules.md and docs/cli.md promise, and `push` sends exactly what the platform reads.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { scanJob } from '../tenant/support/jobs';
import { cli, ensureBuilt } from './support';

describe('job files as people have them, through the CLI', function () {
  this.timeout(120_000);
  let emu: EmulatorHandle;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ensureBuilt();
    emu = await startEmulator({ port: 0, inMemory: true, seedUsers: 5, log: () => undefined });
  });
  after(async () => emu.close());
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'scanjobs-input-'));
    env = {
      SCANJOBS_CONFIG_DIR: join(work, 'config'),
      IDM_USERNAME: 'openidm-admin',
      IDM_PASSWORD: 'openidm-admin',
    };
  });

  const file = (name: string, content: string | Uint8Array) => {
    const path = join(work, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  const text = (job: unknown) => `${JSON.stringify(job, null, 2)}\n`;
  const readJob = async (name: string) =>
    (
      JSON.parse((await cli(['jobs', '--all', '--json', '--tenant', emu.url], env)).out) as Record<
        string,
        unknown
      >[]
    ).find((j) => j._id === name);

  it('a UTF-16 file: one warning naming the encoding, and push sends the job it holds', async () => {
    const body = text(scanJob({ schedule: '0 0 0 1 1 ? 2099' }));
    const path = file('wide.scanjob.json', Buffer.from(`\ufeff${body}`, 'utf16le'));
    const v = await cli(['validate', path], env);
    assert.equal(v.code, 0, v.out + v.err);
    const lines = v.out.trim().split('\n');
    assert.equal(lines.length, 1, v.out);
    assert.match(lines[0], /:1:1: warning file-encoding the file is UTF-16 LE \(with a byte-order mark\)/);
    const p = await cli(['push', path, '--tenant', emu.url], env);
    assert.equal(p.code, 0, p.err);
    assert.equal((await readJob('wide'))?.schedule, '0 0 0 1 1 ? 2099');
  });

  it('a UTF-8 file with a byte-order mark: no finding, and it pushes', async () => {
    const path = file('marked.scanjob.json', `\ufeff${text(scanJob())}`);
    const v = await cli(['validate', path, '--format', 'json'], env);
    assert.equal(v.code, 0, v.err);
    assert.deepEqual(JSON.parse(v.out), []);
    assert.equal((await cli(['push', path, '--tenant', emu.url], env)).code, 0);
    assert.ok(await readJob('marked'));
  });

  it('a Latin-1 file: an error naming the byte, and push refuses it', async () => {
    const body = Buffer.from(text(scanJob({ script: '// café\ntrue;' })), 'latin1');
    const path = file('latin.scanjob.json', body);
    const v = await cli(['validate', path], env);
    assert.equal(v.code, 1);
    assert.match(v.out, /error file-encoding the file is not valid UTF-8: byte \d+ does not decode/);
    const p = await cli(['push', path, '--tenant', emu.url], env);
    assert.equal(p.code, 2, p.err);
    assert.equal(await readJob('latin'), undefined);
  });

  it('a key given twice: a warning, and push sends the last value as the platform reads it', async () => {
    const body = text(scanJob()).replace('"enabled": true,', '"enabled": true,\n  "enabled": false,');
    const path = file('twice.scanjob.json', body);
    const v = await cli(['validate', path], env);
    assert.equal(v.code, 0);
    assert.match(
      v.out,
      /twice\.scanjob\.json:2:3: warning json-duplicate-key 'enabled' is given again on line 3/,
    );
    assert.equal((await cli(['push', path, '--tenant', emu.url], env)).code, 0);
    assert.equal((await readJob('twice'))?.enabled, false);
  });

  it('a 50 MB script is checked as a script, not reported as nested too deep', async () => {
    const script = `var s = "${'x'.repeat(50 * 1024 * 1024)}";\ntrue;`;
    const path = file('huge.scanjob.json', text(scanJob({ script })));
    const v = await cli(['validate', path, '--format', 'json'], env);
    assert.equal(v.code, 0, v.err);
    const codes = (JSON.parse(v.out) as { code: string }[]).map((f) => f.code);
    assert.ok(!codes.includes('json-syntax'), codes.join(', '));
  });

  it('a script file outside the job folder: not pushed, with or without --force, exit 2', async () => {
    file('elsewhere/secret.js', 'true;');
    const job = scanJob();
    const task = (job.invokeContext as { task: { script: Record<string, unknown> } }).task;
    task.script = { type: 'text/javascript', file: '../elsewhere/secret.js' };
    const path = file('jobs/outside.scanjob.json', text(job));
    for (const argv of [
      ['push', path],
      ['push', path, '--force'],
    ]) {
      const r = await cli([...argv, '--tenant', emu.url], env);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, /error: .*\[script-file-outside\]/);
      assert.match(r.err, /Not pushed: 1 error\(s\) in .* \(--force cannot push it either: /);
      assert.doesNotMatch(r.err, /--force pushes anyway/);
    }
    assert.equal(await readJob('outside'), undefined);
  });

  it('a forceable error still says --force, and --force pushes it', async () => {
    const job = scanJob();
    const scan = (job.invokeContext as { scan: { taskState: Record<string, string> } }).scan;
    scan.taskState.completed = scan.taskState.started; // task-state: an error the server accepts
    const path = file('forceable.scanjob.json', text(job));
    const r = await cli(['push', path, '--tenant', emu.url], env);
    assert.equal(r.code, 2);
    assert.match(r.err, /\[task-state\]/);
    assert.match(r.err, /\(--force pushes anyway\)/);
    assert.equal(await readJob('forceable'), undefined);
    const f = await cli(['push', path, '--force', '--tenant', emu.url], env);
    assert.equal(f.code, 0, f.err);
    assert.ok(await readJob('forceable'));
  });
});
