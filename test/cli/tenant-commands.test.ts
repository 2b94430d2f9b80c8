import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { FaultProxy } from '../support/fault-proxy';
import { scanJob, slowScript } from '../tenant/support/jobs';
import { CliResult, cli, ensureBuilt } from './support';

const EXAMPLES = resolve(__dirname, '../../examples');

describe('scanjobs tenant commands against the emulator', function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  let env: NodeJS.ProcessEnv;
  let work: string;

  before(async () => {
    ensureBuilt();
    emu = await startEmulator({ port: 0, inMemory: true, seedUsers: 40, log: () => undefined });
  });
  after(async () => emu.close());
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'scanjobs-cli-'));
    env = {
      SCANJOBS_CONFIG_DIR: join(work, 'config'),
      IDM_USERNAME: 'openidm-admin',
      IDM_PASSWORD: 'openidm-admin',
    };
  });

  const writeJob = (name: string, job: Record<string, unknown>) => {
    const path = join(work, `${name}.scanjob.json`);
    writeFileSync(path, JSON.stringify(job, null, 2));
    return path;
  };

  describe('tenants', () => {
    it('adds, lists and removes profiles, and keeps no secret in the file', async () => {
      const add = await cli(
        [
          'tenants',
          'add',
          'emu',
          '--url',
          `${emu.url}/openidm`,
          '--sign-in',
          'idm-password',
          '--username',
          'openidm-admin',
        ],
        env,
      );
      assert.equal(add.code, 0, add.err);
      assert.match(add.out, /Added tenant 'emu' \(http:\/\/127\.0\.0\.1:\d+, idm-password, development\)/);
      const list = await cli(['tenants', 'list'], env);
      assert.match(
        list.out,
        /^NAME +BASE URL +SIGN-IN +ENVIRONMENT +REALM\nemu +http:\/\/127\.0\.0\.1:\d+ +idm-password +development/,
      );
      const file = readFileSync(join(work, 'config', 'tenants.json'), 'utf8');
      assert.doesNotMatch(file, /"(password|key|token|secret)"/i);
      const test = await cli(['tenants', 'test', '--tenant', 'emu'], env);
      assert.equal(test.code, 0, test.err);
      assert.match(test.out, /^OK: emu .* signed in with idm-password/);
      assert.equal((await cli(['tenants', 'remove', 'emu'], env)).code, 0);
      assert.equal((await cli(['tenants', 'remove', 'emu'], env)).code, 3);
    });

    it('rejects a bad profile with the field named, as a usage error', async () => {
      const r = await cli(
        [
          'tenants',
          'add',
          'x',
          '--url',
          'https://t.example.com',
          '--sign-in',
          'service-account',
          '--environment',
          'prod',
        ],
        env,
      );
      assert.equal(r.code, 3);
      assert.match(r.err, /'environment' must be one of development, staging, production, not 'prod'/);
    });

    it('exits 3 and says what failed when the tenant cannot be reached', async () => {
      const r = await cli(['tenants', 'test', '--tenant', 'http://127.0.0.1:9'], env);
      assert.equal(r.code, 3);
      assert.match(r.err, /127\.0\.0\.1:9: the connection was refused/);
    });

    it('with no tenant configured, uses the local tenant and says how to start it', async () => {
      const r = await cli(['runs'], { SCANJOBS_CONFIG_DIR: env.SCANJOBS_CONFIG_DIR });
      if (r.code === 0) return assert.match(r.out, /Run|No runs/); // a local tenant happens to be running on 8080
      assert.equal(r.code, 3);
      assert.match(r.err, /127\.0\.0\.1:8080: the connection was refused/);
      assert.match(r.err, /this was the built-in local tenant; start it with 'scanjobs emulator --in-memory/);
    });

    it('exits 3 when a URL is given without credentials in the environment', async () => {
      const r = await cli(['jobs', '--tenant', emu.url], { SCANJOBS_CONFIG_DIR: env.SCANJOBS_CONFIG_DIR });
      assert.equal(r.code, 3);
      assert.match(r.err, /no credentials in the environment\. Set IDM_USERNAME and IDM_PASSWORD/);
    });
  });

  describe('push, pull, jobs', () => {
    it('pushes the example in each layout, naming the job after the file', async () => {
      const layouts = [
        ['sunset.scanjob.json', 'sunset'],
        ['fr-config-manager/schedules/sunset/sunset.json', 'sunset'],
        ['idm/conf/schedule-sunset.json', 'sunset'],
        ['frodo/sunset/sunset.idm.json', 'sunset'],
      ];
      cpSync(EXAMPLES, join(work, 'examples'), { recursive: true });
      for (const [file, name] of layouts) {
        const r = await cli(['push', join(work, 'examples', file), '--tenant', emu.url], env);
        assert.equal(r.code, 0, `${file}: ${r.err}`);
        assert.match(r.out, new RegExp(`(Created|Updated) /openidm/scheduler/job/${name} on `));
      }
      const jobs = await cli(['jobs', '--tenant', emu.url, '--json'], env);
      const listed = JSON.parse(jobs.out) as {
        _id: string;
        invokeContext: { task: { script: { source: string } } };
      }[];
      const sunset = listed.find((j) => j._id === 'sunset');
      assert.ok(sunset);
      assert.match(sunset.invokeContext.task.script.source, /openidm\.patch/);
      assert.doesNotMatch(sunset.invokeContext.task.script.source, /^file/);
    });

    it('--dry-run shows the change and changes nothing', async () => {
      const path = writeJob('drydemo', scanJob({ schedule: '0 0 1 * * ?' }));
      assert.match(
        (await cli(['push', path, '--dry-run', '--tenant', emu.url], env)).out,
        /Would create \/openidm\/scheduler\/job\/drydemo/,
      );
      assert.equal((await cli(['push', path, '--tenant', emu.url], env)).code, 0);
      assert.match((await cli(['push', path, '--dry-run', '--tenant', emu.url], env)).out, /is up to date/);
      writeJob('drydemo', scanJob({ schedule: '0 30 1 * * ?', script: 'var a = 1;\ntrue;' }));
      const dry = await cli(['push', path, '--dry-run', '--tenant', emu.url], env);
      assert.match(
        dry.out,
        /Would update \/openidm\/scheduler\/job\/drydemo on .*:\n {2}~ \/schedule: "0 0 1 \* \* \?" -> "0 30 1 \* \* \?"/,
      );
      assert.match(dry.out, /~ \/invokeContext\/task\/script\/source:\n {6}\+ var a = 1;\n {8}true;\n/);
      const read = JSON.parse((await cli(['jobs', '--all', '--json', '--tenant', emu.url], env)).out) as {
        _id: string;
        schedule: string;
      }[];
      assert.equal(read.find((j) => j._id === 'drydemo')?.schedule, '0 0 1 * * ?');
    });

    it('refuses to push a job with errors unless forced, and names the place', async () => {
      const bad = scanJob();
      (bad as { schedule: string }).schedule = '0 0 25 * * ?';
      const path = writeJob('broken', bad);
      const r = await cli(['push', path, '--tenant', emu.url], env);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: `));
      assert.match(r.err, /Not pushed: \d+ error\(s\)/);
    });

    it('pulls a job into the fr-config-manager layout, which pushes back unchanged', async () => {
      const path = writeJob('pullme', scanJob({ script: 'var n = 1;\ntrue;' }));
      await cli(['push', path, '--tenant', emu.url], env);
      const pulled = await cli(
        ['pull', 'pullme', '--layout', 'fr-config-manager', '--out', join(work, 'repo'), '--tenant', emu.url],
        env,
      );
      assert.equal(pulled.code, 0, pulled.err);
      const json = join(work, 'repo', 'schedules', 'pullme', 'pullme.json');
      assert.equal(
        readFileSync(join(work, 'repo', 'schedules', 'pullme', 'pullme.js'), 'utf8'),
        'var n = 1;\ntrue;',
      );
      assert.match(readFileSync(json, 'utf8'), /"file": "pullme\.js"/);
      assert.match((await cli(['push', json, '--dry-run', '--tenant', emu.url], env)).out, /is up to date/);
      const again = await cli(
        ['pull', 'pullme', '--layout', 'fr-config-manager', '--out', join(work, 'repo'), '--tenant', emu.url],
        env,
      );
      assert.equal(again.code, 2);
      assert.match(again.err, /already exist/);
      assert.ok(existsSync(json));
    });
  });

  describe('execute, watch, runs, cancel', () => {
    it('executes and follows a run: JSON events ending with the final record, exit 0', async () => {
      await cli(['push', writeJob('clean', scanJob({ stateKey: 'clean' })), '--tenant', emu.url], env);
      const r = await cli(['execute', 'clean', '--watch', '--json', '--tenant', emu.url], env);
      assert.equal(r.code, 0, r.err);
      const lines = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; state?: string; runId?: string });
      assert.equal(lines[0].event, 'started');
      assert.equal(lines[lines.length - 1].event, 'final');
      assert.equal(lines[lines.length - 1].state, 'COMPLETED');
      const runs = await cli(['runs', '--job', 'clean', '--tenant', emu.url], env);
      assert.match(runs.out, new RegExp(`${lines[0].runId}\\s+clean\\s+COMPLETED`));
    });

    it('exits 1 when the run completed with failures, with plain lines and a summary', async () => {
      await cli(
        [
          'push',
          writeJob('failing', scanJob({ stateKey: 'failing', script: 'false;' })),
          '--tenant',
          emu.url,
        ],
        env,
      );
      const r = await cli(['execute', 'failing', '--watch', '--tenant', emu.url], env);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /^Started run \S+ of failing on /);
      assert.match(
        r.out,
        /Run \S+ of failing COMPLETED in [\d.]+ (?:ms|s): (\d+)\/\1 processed, 0 succeeded, \1 failed\.\n$/,
      );
    });

    it('prints the details of one run: which objects failed and why, and the script lines', async () => {
      const script = "logger.warn('refusing {}', input.userName); false;";
      await cli(
        ['push', writeJob('refuser', scanJob({ stateKey: 'refuser', script })), '--tenant', emu.url],
        env,
      );
      const exec = await cli(['execute', 'refuser', '--watch', '--tenant', emu.url], env);
      assert.equal(exec.code, 1, exec.err);
      const runId = /^Started run (\S+) of refuser/.exec(exec.out)?.[1];
      assert.ok(runId, exec.out);
      // The users the tenant holds, asked directly: each one was refused.
      const users = (await (
        await fetch(`${emu.url}/openidm/managed/alpha_user?_queryFilter=true&_fields=_id`, {
          headers: { 'x-openidm-username': 'openidm-admin', 'x-openidm-password': 'openidm-admin' },
        })
      ).json()) as { result: { _id: string }[] };
      const r = await cli(['runs', runId, '--tenant', emu.url], env);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Job {7}refuser\n/);
      assert.match(r.out, new RegExp(`\nRun {7}${runId}\n`));
      assert.match(r.out, /\nState {5}COMPLETED with failures\n/);
      assert.match(r.out, new RegExp(`\nFailed objects \\(${users.result.length}\\):\n`));
      for (const u of users.result)
        assert.match(r.out, new RegExp(`\n  managed/alpha_user/${u._id}  script returned boolean, not true`));
      assert.match(r.out, new RegExp(`\nLog lines \\(${users.result.length}\\):\n`));
      assert.match(r.out, /\n {2}\d\d:\d\d:\d\d\.\d{3} WARN {2}managed\/alpha_user\/\S+: refusing \S+\n/);

      const json = await cli(['runs', runId, '--tenant', emu.url, '--json'], env);
      const d = JSON.parse(json.out) as { outcome: string; failures: { state: string; items: unknown[] } };
      assert.equal(d.outcome, 'completed-with-failures');
      assert.equal(d.failures.items.length, users.result.length);
      assert.ok(!('chart' in d));

      // --grep: one user's failure and line, found among all of them, said as how many of how many
      const one = users.result[users.result.length - 1]!._id;
      const found = await cli(['runs', runId, '--grep', one.toUpperCase(), '--tenant', emu.url], env);
      assert.equal(found.code, 0, found.err);
      assert.match(
        found.out,
        new RegExp(
          `\nFailed objects \\(1\\):\n {2}1 of ${users.result.length} match "${one.toUpperCase()}"\n {2}managed/alpha_user/${one} `,
        ),
      );
      assert.match(
        found.out,
        new RegExp(
          `\nLog lines \\(1\\):\n {2}1 of ${users.result.length} match "${one.toUpperCase()}"\n.*managed/alpha_user/${one}: refusing`,
        ),
      );
      const nothing = await cli(['runs', runId, '--grep', 'no such text', '--tenant', emu.url], env);
      assert.match(nothing.out, /\nFailed objects \(0\):\n {2}0 of \d+ match "no such text"\n {2}none\n/);
      const noId = await cli(['runs', '--grep', 'x', '--tenant', emu.url], env);
      assert.equal(noId.code, 3);
      assert.match(noId.err, /--grep is for one run/);
      const blank = await cli(['runs', runId, '--grep', '  ', '--tenant', emu.url], env);
      assert.equal(blank.code, 3);
      assert.match(blank.err, /--grep needs a text/);

      const two = await cli(['runs', runId, 'other', '--tenant', emu.url], env);
      assert.equal(two.code, 3);
      assert.match(two.err, /scanjobs runs takes at most one run id/);
      const missing = await cli(['runs', `${runId}9`, '--tenant', emu.url], env);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /not found/);
    });

    it('cancels a running run (exit 0), and watch then exits 2', async () => {
      await cli(
        [
          'push',
          writeJob('slow', scanJob({ stateKey: 'slow', threads: 1, script: slowScript(100) })),
          '--tenant',
          emu.url,
        ],
        env,
      );
      const started = await cli(['execute', 'slow', '--json', '--tenant', emu.url], env);
      const runId = (JSON.parse(started.out) as { runId: string }).runId;
      const cancel = await cli(['cancel', runId, '--tenant', emu.url], env);
      assert.equal(cancel.code, 0, cancel.err);
      assert.equal(cancel.out, `Cancelled run ${runId}.\n`);
      const watch = await cli(['watch', runId, '--tenant', emu.url], env);
      assert.equal(watch.code, 2);
      assert.match(watch.out, /CANCELLED/);
    });

    it('watch rides out the tenant going away and still reports the final state', async () => {
      const proxy = await FaultProxy.start(emu.url);
      const job = scanJob({ stateKey: 'outage', threads: 1, script: slowScript(100) });
      await cli(['push', writeJob('outage', job), '--tenant', emu.url], env);
      const started = await cli(['execute', 'outage', '--json', '--tenant', emu.url], env);
      const runId = (JSON.parse(started.out) as { runId: string }).runId;
      const watching = cli(['watch', runId, '--tenant', proxy.url], env);
      await new Promise((r) => setTimeout(r, 1_200));
      await proxy.outage(2_500, 'refuse');
      const r = await watching;
      await proxy.close();
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(
        r.out,
        /connection lost \(GET \/openidm\/taskscanner\/\S+ on 127\.0\.0\.1:\d+: the connection was refused/,
      );
      assert.match(r.out, /connection restored after [\d.]+ s/);
      assert.match(
        r.out,
        /Run \S+ of outage COMPLETED in [\d.]+ s: 40\/40 processed, 40 succeeded, 0 failed\.\n$/,
      );
    });

    it('asks for --yes before executing on a production tenant', async () => {
      await cli(
        [
          'tenants',
          'add',
          'prod',
          '--url',
          emu.url,
          '--sign-in',
          'idm-password',
          '--environment',
          'production',
        ],
        env,
      );
      const r = await cli(['execute', 'clean', '--tenant', 'prod'], env);
      assert.equal(r.code, 3);
      assert.match(r.err, /'prod' is a production tenant: add --yes to execute a job there/);
    });
  });

  describe('secrets', () => {
    it('never prints a credential, whatever happens', async () => {
      const proxy = await FaultProxy.start(emu.url);
      const sa = await emu.createServiceAccount();
      const jwk = JSON.stringify(sa.jwk);
      const saEnv = {
        SCANJOBS_CONFIG_DIR: env.SCANJOBS_CONFIG_DIR,
        SERVICE_ACCOUNT_ID: sa.id,
        SERVICE_ACCOUNT_KEY: jwk,
        SCANJOBS_DEBUG: '1',
      };
      proxy.add(
        { method: 'GET', fault: { kind: 'status', status: 503 }, times: 2 },
        { method: 'POST', path: /execute/, fault: { kind: 'drop-after-forward' }, times: 1 },
      );
      const outputs: CliResult[] = [];
      const path = writeJob('secret', scanJob({ stateKey: 'secret' }));
      outputs.push(await cli(['tenants', 'test', '--tenant', proxy.url], saEnv));
      outputs.push(await cli(['push', path, '--tenant', proxy.url], saEnv));
      outputs.push(await cli(['execute', 'secret', '--watch', '--tenant', proxy.url], saEnv));
      outputs.push(await cli(['runs', '--tenant', proxy.url, '--json'], saEnv));
      // Failures: a key of another account, a wrong password, a revoked token.
      const other = await emu.createServiceAccount();
      outputs.push(
        await cli(['jobs', '--tenant', proxy.url], {
          ...saEnv,
          SERVICE_ACCOUNT_KEY: JSON.stringify(other.jwk),
        }),
      );
      outputs.push(
        await cli(['jobs', '--tenant', proxy.url], {
          SCANJOBS_DEBUG: '1',
          IDM_USERNAME: 'openidm-admin',
          IDM_PASSWORD: 'hunter2-wrong-pass',
        }),
      );
      outputs.push(
        await cli(['jobs', '--tenant', proxy.url], {
          SCANJOBS_DEBUG: '1',
          SCANJOBS_ACCESS_TOKEN: 'pasted-token-never-valid-123',
        }),
      );
      await proxy.close();
      assert.equal(outputs[2].code, 0, outputs[2].err);
      const everything = outputs.map((o) => o.out + o.err).join('\n');
      const secrets = [
        ...proxy.secrets,
        jwk,
        String((sa.jwk as { d?: string }).d),
        String((other.jwk as { d?: string }).d),
        'hunter2-wrong-pass',
        'pasted-token-never-valid-123',
      ];
      assert.ok(proxy.secrets.size >= 3, 'tokens and assertions crossed the proxy');
      for (const s of secrets)
        assert.ok(!everything.includes(s), `a secret appeared in the output: ${s.slice(0, 6)}…`);
      assert.match(everything, /debug: GET \/openidm\/scheduler\/job/);
    });
  });
});
