// `scanjobs logs`, `execute --watch --logs` and `runs --history` against the local tenant over HTTP
// (docs/cli.md, docs/logs.md).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { LOCAL_TENANT } from '../../src/core/tenant';
import { scanJob } from '../tenant/support/jobs';
import { FaultProxy } from '../support/fault-proxy';
import { cli, ensureBuilt } from './support';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('scanjobs logs and run history against the local tenant', function () {
  this.timeout(120_000);
  let emu: EmulatorHandle;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ensureBuilt();
    emu = await startEmulator({ port: 0, inMemory: true, seedUsers: 6, log: () => undefined });
  });
  after(async () => emu.close());
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'scanjobs-logs-'));
    env = {
      XDG_CONFIG_HOME: join(work, 'xdg'),
      HOME: work,
      SCANJOBS_TENANT: emu.url,
      IDM_USERNAME: 'openidm-admin',
      IDM_PASSWORD: 'openidm-admin',
      SCANJOBS_LOG_API_KEY: LOCAL_TENANT.logKey.id,
      SCANJOBS_LOG_API_SECRET: LOCAL_TENANT.logKey.secret,
    };
  });

  const putJob = async (name: string, script: string) => {
    const r = await fetch(`${emu.url}/openidm/scheduler/job/${name}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        'x-openidm-username': 'openidm-admin',
        'x-openidm-password': 'openidm-admin',
      },
      body: JSON.stringify(scanJob({ script, stateKey: name, threads: 1 })),
    });
    assert.ok(r.ok, await r.text());
  };

  it('execute --watch --logs prints the run’s script lines before the summary, and keeps the run in history', async () => {
    await putJob('greet', "logger.warn('hello ' + input.userName); true;");
    const r = await cli(['execute', 'greet', '--watch', '--logs'], env);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    const hello = lines.filter((l) => / WARN +hello \S+$/.test(l));
    assert.equal(hello.length, 6, r.out);
    assert.match(lines.at(-1)!, /^Run \S+ of greet COMPLETED/);
    const csv = await cli(['runs', '--job', 'greet', '--history', '--format', 'csv'], env);
    assert.equal(csv.code, 0, csv.err);
    const [header, row, more] = csv.out.trim().split('\n');
    assert.equal(header, 'job,runId,state,started,ended,durationMs,throughput,processed,total,failures');
    assert.match(row!, /^greet,\S+,COMPLETED,[^,]+Z,[^,]+Z,\d+,[\d.]*,6,6,0$/);
    assert.equal(more, undefined);
    const file = filesUnder(join(work, 'xdg', 'scanjobs', 'history'));
    assert.equal(file.length, 1, 'one history file for the tenant, under XDG_CONFIG_HOME');
    const saved = JSON.parse(readFileSync(file[0]!, 'utf8'));
    assert.ok(saved.runs[0].samples.length >= 1, 'a followed run has rate samples');
  });

  it('logs --run prints that run’s lines only; --format json one object per line', async () => {
    await putJob('first', "logger.info('from first ' + input.userName); true;");
    await putJob('second', "logger.error('from second ' + input.userName); true;");
    assert.equal((await cli(['execute', 'first', '--watch'], env)).code, 0);
    const second = await cli(['execute', 'second', '--watch', '--json'], env);
    const runId = JSON.parse(second.out.split('\n')[0]!).runId as string;
    const text = await cli(['logs', '--run', runId], env);
    assert.equal(text.code, 0, text.err);
    const lines = text.out.trim().split('\n');
    assert.equal(lines.length, 6, text.out);
    assert.ok(
      lines.every((l) => /^\S+Z ERROR from second \S+$/.test(l)),
      text.out,
    );
    const json = await cli(['logs', '--run', runId, '--format', 'json'], env);
    const objects = json.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(objects.length, 6);
    assert.deepEqual(Object.keys(objects[0]).sort(), ['event', 'job', 'level', 'message', 'source', 'time']);
    assert.equal(objects[0].level, 'ERROR');

    // --grep: one user's line among the six, found ignoring case; none, said on stderr
    const user = (l: string) => l.split(' ').at(-1)!.toLowerCase();
    // a user whose name is in no other line (`x.y1` would also be found in `x.y12`)
    const only = lines.find((l) => lines.filter((m) => m.toLowerCase().includes(user(l))).length === 1)!;
    const one = await cli(['logs', '--run', runId, '--grep', user(only).toUpperCase()], env);
    assert.equal(one.code, 0, one.err);
    assert.deepEqual(one.out.trim().split('\n'), [only]);
    const none = await cli(['logs', '--run', runId, '--grep', 'from first'], env);
    assert.equal(none.code, 0, none.err);
    assert.equal(none.out, '');
    assert.match(
      none.err,
      new RegExp(`No idm-core lines holding "from first" in the window of run ${runId}`),
    );
    const blank = await cli(['logs', '--run', runId, '--grep', ' '], env);
    assert.equal(blank.code, 3);
    assert.match(blank.err, /--grep needs a text to look for/);
  });

  it('logs --job: the lines in its runs’ windows within --since', async () => {
    await putJob('third', "logger.info('from third ' + input.userName); true;");
    assert.equal((await cli(['execute', 'third', '--watch'], env)).code, 0);
    const r = await cli(['logs', '--job', 'third', '--since', '5m'], env);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 6, r.out);
    assert.ok(lines.every((l) => l.includes('from third')));
  });

  it('with no log key: logs says so and how to add one (exit 3); watch --logs still watches', async () => {
    const noKey = { ...env, SCANJOBS_LOG_API_KEY: undefined, SCANJOBS_LOG_API_SECRET: undefined };
    const r = await cli(['logs', '--since', '1m'], noKey);
    assert.equal(r.code, 3);
    assert.match(r.err, /No log API key is set for 127\.0\.0\.1:\d+.*Log API Keys.*SCANJOBS_LOG_API_KEY/);
    await putJob('quiet', "logger.info('x'); true;");
    const w = await cli(['execute', 'quiet', '--watch', '--logs'], noKey);
    assert.equal(w.code, 0, w.err);
    assert.match(w.err, /No log API key is set/);
    assert.match(w.out, /COMPLETED/);
  });

  it('a log key never reaches the output, debug lines or any file it writes', async () => {
    const key = emu.createLogKey();
    const withKey = {
      ...env,
      SCANJOBS_DEBUG: '1',
      SCANJOBS_LOG_API_KEY: key.id,
      SCANJOBS_LOG_API_SECRET: key.secret,
    };
    await putJob('secretive', "logger.info('key check'); true;");
    const a = await cli(['execute', 'secretive', '--watch', '--logs'], withKey);
    assert.equal(a.code, 0, a.err);
    const b = await cli(['logs', '--since', '2m', '--format', 'json'], withKey);
    const wrong = await cli(['logs', '--since', '2m'], {
      ...withKey,
      SCANJOBS_LOG_API_SECRET: 'wrong-secret-value-1',
    });
    assert.equal(wrong.code, 3);
    assert.match(wrong.err, /refused the log API key/);
    const written = filesUnder(work).map((f) => readFileSync(f, 'utf8'));
    for (const text of [a.out, a.err, b.out, b.err, wrong.out, wrong.err, ...written]) {
      assert.ok(
        !text.includes(key.secret) && !text.includes(key.id) && !text.includes('wrong-secret-value-1'),
      );
    }
    assert.match(a.err, /debug: GET \/monitoring\/logs/, 'debug lines were on');
  });

  it('push --mark-logs: two jobs running at once, each one’s lines told apart; pull gives the script back unmarked', async () => {
    const script = (word: string) =>
      `var t0 = Date.now(); while (Date.now() - t0 < 40) {}\nlogger.info(${JSON.stringify(word)} + ' ' + input.userName);\ntrue;`;
    // Each job on its own three of the six users: two scans over the same objects at once race on
    // the platform (a completion that finds the object changed by the other scan's claim ends that
    // worker: seen on the live OpenIDM 6.1.0, and the local tenant does the same), so lines could be
    // written for objects a run then does not count.
    for (const [name, word, ends] of [
      ['markA', 'alpha', ['0', '1', '2']],
      ['markB', 'beta', ['3', '4', '5']],
    ] as const) {
      const file = join(work, `${name}.scanjob.json`);
      const filter = ends.map((e) => `/userName co "lovelace${e}"`).join(' or ');
      writeFileSync(
        file,
        JSON.stringify(scanJob({ script: script(word), stateKey: name, threads: 1, filter }), null, 2),
      );
      const push = await cli(['push', file, '--mark-logs'], env, work);
      assert.equal(push.code, 0, push.err);
    }
    const [a, b] = await Promise.all([
      cli(['execute', 'markA', '--watch'], env),
      cli(['execute', 'markB', '--watch'], env),
    ]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const r = await cli(['logs', '--job', 'markA', '--marked', '--since', '5m', '--format', 'json'], env);
    assert.equal(r.code, 0, r.err);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 3, r.out);
    assert.ok(
      lines.every((l) => l.job === 'markA' && /^alpha \S+$/.test(l.message)),
      r.out,
    );
    const pulled = await cli(['pull', 'markA', '--out', join(work, 'pulled')], env, work);
    assert.equal(pulled.code, 0, pulled.err);
    const file = JSON.parse(readFileSync(join(work, 'pulled', 'markA.scanjob.json'), 'utf8'));
    assert.equal(file.invokeContext.task.script.source, script('alpha'));
  });

  it('a profile whose platform is OpenIDM: logs and execute --watch --logs say it has no log API and send no log request', async () => {
    const idm = await startEmulator({
      port: 0,
      inMemory: true,
      seedUsers: 3,
      flavor: 'openidm',
      log: () => undefined,
    });
    const proxy = await FaultProxy.start(idm.url);
    try {
      const added = await cli(
        [
          'tenants',
          'add',
          'idm',
          '--url',
          proxy.url,
          '--sign-in',
          'idm-password',
          '--username',
          'openidm-admin',
          '--platform',
          'openidm',
        ],
        env,
      );
      assert.equal(added.code, 0, added.err);
      const profile = { ...env, SCANJOBS_TENANT: 'idm' };
      const logs = await cli(['logs', '--since', '1m'], profile);
      assert.equal(logs.code, 3, logs.out);
      assert.match(logs.err, /127\.0\.0\.1:\d+ is OpenIDM, which has no log API/);
      // A run there (OpenIDM executes config schedules, idm-api.md §4.4), then its details.
      const put = await fetch(`${proxy.url}/openidm/config/schedule/idmQuiet`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'x-openidm-username': 'openidm-admin',
          'x-openidm-password': 'openidm-admin',
        },
        body: JSON.stringify(
          scanJob({ script: "logger.info('x'); true;", stateKey: 'idmquiet', threads: 1 }),
        ),
      });
      assert.ok(put.ok, await put.text());
      const run = await cli(['execute', 'idmQuiet', '--watch', '--logs'], profile);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /COMPLETED/);
      assert.match(run.err, /is OpenIDM, which has no log API/);
      assert.deepEqual(
        proxy.log.filter((r) => r.path.startsWith('/monitoring')).map((r) => r.path),
        [],
      );
    } finally {
      await proxy.close();
      await idm.close();
    }
  });

  it('bad options are usage errors naming the option', async () => {
    const since = await cli(['logs', '--since', '25h'], env);
    assert.equal(since.code, 3);
    assert.match(since.err, /--since 25h is longer than 24 h/);
    const format = await cli(['logs', '--format', 'xml'], env);
    assert.equal(format.code, 3);
    assert.match(format.err, /--format must be text or json, not 'xml'/);
    const csv = await cli(['runs', '--format', 'csv'], env);
    assert.equal(csv.code, 3);
    assert.match(csv.err, /--format csv is for --history/);
    const unknown = await cli(['logs', '--run', 'nope-1'], env);
    assert.equal(unknown.code, 3);
    assert.match(unknown.err, /run nope-1 is neither on the tenant \(404\) nor in the local run history/);
  });
});
