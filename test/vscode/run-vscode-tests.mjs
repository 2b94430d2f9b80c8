#!/usr/bin/env node
// Runs the extension's tests inside a real VS Code (shared/spec/vscode-testing.md): each suite below is
// a folder of mocha tests run in the extension host of a fresh VS Code server window, with the
// extension under development loaded from this repository, on its own workspace:
//   editor: a copy of examples/ (job files in every layout, the documentation's job as published);
//   quiet:  a workspace without job files, where the extension must stay inactive.
// Exit code 0 only when every test passed. Closes with "N passed, N failed" and appends
// {"suite":"vscode","passed","failed","skipped"} to $SCANJOBS_TEST_STATS (test/support/stats-reporter.cjs).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestSuites } from './build-tests.mjs';
import { missingHost, root, runInVSCode } from './vscode-host.mjs';

const counts = { passed: 0, failed: 0, skipped: 0 };
function finish(extraFailures = 0) {
  counts.failed += extraFailures;
  const file = process.env.SCANJOBS_TEST_STATS;
  if (file)
    appendFileSync(
      file,
      JSON.stringify({ suite: process.env.SCANJOBS_TEST_SUITE || 'vscode', ...counts }) + '\n',
    );
  console.log(
    `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
  process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
}

const missing = missingHost();
if (missing) {
  console.log(missing);
  if (process.env.SCANJOBS_ALLOW_MISSING_HOSTS === '1') {
    counts.skipped = 1;
    finish();
  }
  finish(1);
}

if (!existsSync(path.join(root, 'dist/extension.js'))) {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) finish(1);
}
const outdir = await buildTestSuites(['editor', 'quiet']);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ws-'));
const jobsWorkspace = path.join(scratch, 'jobs');
cpSync(path.join(root, 'examples'), jobsWorkspace, { recursive: true });
const quietWorkspace = path.join(scratch, 'quiet');
mkdirSync(path.join(quietWorkspace, 'config'), { recursive: true });
// A JSON file that is not a job: opening it must not wake the extension.
writeFileSync(
  path.join(quietWorkspace, 'config', 'settings.json'),
  JSON.stringify({ name: 'not a job', enabled: true }, null, 2),
);

const runs = [
  { name: 'editor', folder: jobsWorkspace },
  { name: 'quiet', folder: quietWorkspace },
];
const only = (process.env.VSCODE_SUITES || '').split(',').filter(Boolean);
let crashed = 0;
try {
  for (const run of runs.filter((r) => !only.length || only.includes(r.name))) {
    console.log(`\n--- vscode/${run.name} (workspace ${run.folder}) ---`);
    const t0 = Date.now();
    const { code, lines } = await runInVSCode({
      folder: run.folder,
      testsPath: path.join(outdir, run.name, 'index.js'),
      timeoutMs: Number(process.env.TEST_TIMEOUT_MS || 300000),
      shot: process.env.SHOT ? process.env.SHOT.replace(/\.png$/, `-${run.name}.png`) : undefined,
    });
    const summary = lines
      .map((l) => /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(l))
      .filter(Boolean)
      .pop();
    console.log(`vscode/${run.name}: exit ${code} after ${Date.now() - t0} ms`);
    if (!summary) {
      console.log(`vscode/${run.name}: the suite reported no counts (exit ${code})`);
      crashed++;
      continue;
    }
    counts.passed += Number(summary[1]);
    counts.failed += Number(summary[2]);
    counts.skipped += Number(summary[3]);
    if (code !== 0 && Number(summary[2]) === 0) crashed++;
  }
} catch (e) {
  console.log(`vscode: ${e instanceof Error ? e.message : e}`);
  crashed++;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
finish(crashed);
