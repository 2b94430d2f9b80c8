// The packaged extension works from its own folder: installed from the .vsix by VS Code's installer,
// its bundles are there and the local tenant's host starts and runs scripts in the sandbox with
// only what the .vsix carries (bundles, plus the WebAssembly sandbox kept outside them).
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { installVsix, missingHost } from '../vscode/vscode-host.mjs';
import { packageVsix } from './vsix';

describe('the installed .vsix', function () {
  this.timeout(120000);
  let installed: { dir: string; node: string; dispose(): void };

  before(() => {
    const missing = missingHost();
    if (missing) throw new Error(missing);
    installed = installVsix(packageVsix());
  });
  after(() => installed?.dispose());

  it('holds the three extension bundles and the local tenant host with its script thread', () => {
    for (const f of [
      'extension.js',
      'extension-editor.js',
      'extension-tenant.js',
      'emulator-host.js',
      'emulator-script-thread.js',
    ]) {
      assert.ok(existsSync(path.join(installed.dir, 'dist', f)), `dist/${f} is missing from the .vsix`);
    }
  });

  it('runs a script in the local tenant sandbox from the packaged files alone', () => {
    const probe =
      "require('./node_modules/quickjs-emscripten').getQuickJS().then((q) => { const vm = q.newContext();" +
      " process.stdout.write(String(vm.dump(vm.unwrapResult(vm.evalCode('[1, 2, 3].map((x) => x * 2).join()'))))); })";
    const out = execFileSync(installed.node, ['-e', probe], { cwd: installed.dir, encoding: 'utf8' });
    assert.equal(out, '2,4,6');
  });

  it('starts the local tenant host, which reports its address and runs a scan on its script thread', async () => {
    const host = spawn(
      installed.node,
      [path.join(installed.dir, 'dist/emulator-host.js'), '--in-memory', '--port', '0'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        host.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        host.stderr.on('data', (d) => (err += d));
        host.on('exit', (code) => reject(new Error(`emulator-host exited with ${code}: ${err}`)));
      });
      const url = JSON.parse(line).url as string;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      // Scripts run on dist/emulator-script-thread.js, with only what the .vsix carries.
      const headers = {
        'X-OpenIDM-Username': 'openidm-admin',
        'X-OpenIDM-Password': 'openidm-admin',
        'Content-Type': 'application/json',
      };
      const job = {
        schedule: '0 0 0 1 1 ? 2099',
        invokeService: 'taskscanner',
        invokeContext: {
          waitForCompletion: true,
          scan: {
            object: 'managed/alpha_user',
            _queryFilter: '_id eq "probe-user"',
            taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
          },
          task: { script: { type: 'text/javascript', source: "logger.info('ok'); true" } },
        },
      };
      const user = await fetch(`${url}/openidm/managed/alpha_user/probe-user`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ userName: 'probe', sunset: { date: '2020-01-01T00:00:00.000Z' } }),
      });
      assert.equal(user.status, 201);
      const put = await fetch(`${url}/openidm/scheduler/job/probe`, {
        method: 'PUT',
        headers,
        body: JSON.stringify(job),
      });
      assert.equal(put.status, 201);
      const executed = await fetch(`${url}/openidm/taskscanner?_action=execute&name=probe`, {
        method: 'POST',
        headers,
      });
      const runId = ((await executed.json()) as { _id: string })._id;
      const run = (await (await fetch(`${url}/openidm/taskscanner/${runId}`, { headers })).json()) as {
        progress: { state: string; successes: number; failures: number };
      };
      assert.deepEqual(
        [run.progress.state, run.progress.successes, run.progress.failures],
        ['COMPLETED', 1, 0],
      );
    } finally {
      host.kill();
    }
  });
});
