#!/usr/bin/env node
// Runs the extension's tests inside a real VS Code (shared/spec/vscode-testing.md): each suite
// (test/vscode/<suite>/) is a folder of mocha tests run in the extension host of a fresh VS Code
// server window, with the extension under development loaded from this repository, on the
// workspace workspaces.mjs builds for it. VSCODE_SUITES=editor runs one; MOCHA_GREP filters tests.
// Exit code 0 only when every test passed. Closes with "N passed, N failed" and appends
// {"suite":"vscode","passed","failed","skipped"} to $SCANJOBS_TEST_STATS (test/support/stats-reporter.cjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildTestSuites } from './build-tests.mjs';
import { missingHost, root, runInVSCode } from './vscode-host.mjs';
import { prepareWorkspaces, reportCounts } from './workspaces.mjs';

const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
function finish(extraFailures = 0) {
  counts.failed += extraFailures;
  reportCounts(counts);
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

// scripts/test-all.mjs has just built dist/; run alone, build it here so the tests see the current code.
if (!process.env.SCANJOBS_TEST_SUITE || !existsSync(path.join(root, 'dist/extension.js'))) {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) finish(1);
}
const workspaces = prepareWorkspaces();
const outdir = await buildTestSuites(workspaces.suites.map((s) => s.name));
const only = (process.env.VSCODE_SUITES || '').split(',').filter(Boolean);
let crashed = 0;
try {
  for (const run of workspaces.suites.filter((r) => !only.length || only.includes(r.name))) {
    console.log(`\n--- vscode/${run.name} (workspace ${run.folder}) ---`);
    const t0 = Date.now();
    const { code, lines } = await runInVSCode({
      folder: run.folder,
      testsPath: path.join(outdir, run.name, 'index.js'),
      settings: run.settings,
      // The server build leaves out the built-in extensions this variable lists.
      env: run.withoutBuiltins && { VSCODE_SKIP_BUILTIN_EXTENSIONS: run.withoutBuiltins.join(',') },
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
    // The spec reporter's numbered lines ("  1) title"): each failed test once, for test-all's list.
    const numbered = new Map();
    for (const l of lines) {
      const m = /^\s+(\d+)\) (.+)$/.exec(l);
      if (m && !numbered.has(m[1])) numbered.set(m[1], `${run.name}: ${m[2].trim()}`);
    }
    counts.failures.push(...[...numbered.values()].map((title) => ({ title, error: '(see the log)' })));
    counts.passed += Number(summary[1]);
    counts.failed += Number(summary[2]);
    counts.skipped += Number(summary[3]);
    if (code !== 0 && Number(summary[2]) === 0) crashed++;
  }
} catch (e) {
  console.log(`vscode: ${e instanceof Error ? e.message : e}`);
  crashed++;
} finally {
  workspaces.dispose();
}
finish(crashed);
