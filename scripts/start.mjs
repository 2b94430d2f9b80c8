// `npm start` (README "The two commands"): build, start the local tenant with seeded users, push the
// example sunset job, execute it and follow it live, print the summary, then leave the tenant running
// with the lines that connect the editor and the CLI to it. Options (after `npm start --`):
//   --port <n>    the tenant's port (default 8080; a free one if 8080 is taken)
//   --users <n>   users to seed (default 40000: a run of several seconds to watch)
//   --exit        stop the tenant after the run (for tests and scripts); exit code as `execute --watch`
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const job = join(root, 'examples', 'sunset.scanjob.json');
const ADMIN = { user: 'openidm-admin', password: 'openidm-admin' };

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (v === undefined || !/^\d+$/.test(v)) fail(`${name} needs a number`);
  return Number(v);
}

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(3);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const step = (text) => process.stdout.write(`\n==> ${text}\n`);

step('Building');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0)
  fail('the build failed; run `bash scripts/setup.sh` first if node_modules is missing');
if (!existsSync(job)) fail(`the example job ${job} is missing`);

const wanted = option('--port', 8080);
const users = option('--users', 40_000);
const keep = !process.argv.includes('--exit');
const port = wanted === 0 || (await portIsFree(wanted)) ? wanted : 0;
if (port !== wanted) process.stdout.write(`Port ${wanted} is taken; using a free port instead.\n`);

step(`Starting the local tenant with ${users} seeded users`);
const tenant = spawn(
  process.execPath,
  [cli, 'emulator', '--in-memory', '--port', String(port), '--seed-users', String(users)],
  { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
);
tenant.stderr.on('data', (chunk) => process.stderr.write(chunk));
let tenantOut = '';
const url = await new Promise((resolve) => {
  tenant.stdout.on('data', (chunk) => {
    tenantOut += chunk;
    const m = /listening on (http:\/\/\S+?) /.exec(tenantOut);
    if (m) resolve(m[1]);
  });
  tenant.on('exit', (code) => {
    process.stderr.write(tenantOut);
    fail(`the local tenant exited before it was ready (exit ${code})`);
  });
});
process.stdout.write(`Local tenant on ${url}\n`);

const env = { ...process.env, SCANJOBS_TENANT: url, IDM_USERNAME: ADMIN.user, IDM_PASSWORD: ADMIN.password };
function scanjobs(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 2));
  });
}

function stopTenant() {
  return new Promise((resolve) => {
    if (tenant.exitCode !== null) return resolve();
    tenant.removeAllListeners('exit');
    tenant.once('exit', () => resolve());
    tenant.kill('SIGTERM');
  });
}

step('Pushing examples/sunset.scanjob.json');
let code = await scanjobs(['push', job]);
if (code === 0) {
  step('Executing sunset and following the run');
  code = await scanjobs(['execute', 'sunset', '--watch']);
}

process.stdout.write(
  `\nThe local tenant keeps running on ${url} (user ${ADMIN.user}, password ${ADMIN.password}).\n` +
    `Connect the editor: run "Scan Jobs: Add Tenant" (or "Scan Jobs: Start Local Tenant" for a tenant of its own)\n` +
    `with base URL ${url} and sign-in "IDM user and password", user ${ADMIN.user}, password ${ADMIN.password}.\n` +
    `Use the CLI: SCANJOBS_TENANT=${url} IDM_USERNAME=${ADMIN.user} IDM_PASSWORD=${ADMIN.password} node dist/cli.js runs\n`,
);

if (!keep) {
  await stopTenant();
  process.exit(code);
}
process.stdout.write('Press Ctrl+C to stop the tenant.\n');
const stop = async () => {
  await stopTenant();
  process.exit(code);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
tenant.on('exit', (c) => {
  process.stderr.write(`The local tenant stopped (exit ${c}).\n`);
  process.exit(c === 0 ? code : 2);
});
