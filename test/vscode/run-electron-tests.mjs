#!/usr/bin/env node
// The same in-editor suites under @vscode/test-electron, for machines where VS Code desktop can be
// downloaded (it cannot here: DESIGN.md "Runtime notes"). `npm run test:electron`; VSCODE_VERSION
// picks the build (default: the minimum the manifest supports, then stable, as rust-analyzer does).
// Counts come from the suites' closing lines, which the extension host prints to this stdout.
import { runTests } from '@vscode/test-electron';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestSuites } from './build-tests.mjs';
import { root } from './vscode-host.mjs';
import { prepareWorkspaces, reportCounts } from './workspaces.mjs';

const minimum = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines.vscode.replace(
  /^\^/,
  '',
);
const versions = (process.env.VSCODE_VERSION || `${minimum},stable`).split(',');
const workspaces = prepareWorkspaces();
const outdir = await buildTestSuites(workspaces.suites.map((s) => s.name));
const counts = { passed: 0, failed: 0, skipped: 0 };
const countsDir = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-electron-'));
try {
  for (const version of versions) {
    for (const suite of workspaces.suites) {
      console.log(`\n--- VS Code ${version}: vscode/${suite.name} ---`);
      const countsFile = path.join(countsDir, `${version}-${suite.name}.txt`);
      try {
        await runTests({
          version,
          extensionDevelopmentPath: root,
          extensionTestsPath: path.join(outdir, suite.name, 'index.js'),
          extensionTestsEnv: { SCANJOBS_SUITE_COUNTS: countsFile },
          launchArgs: [
            suite.folder,
            '--disable-extensions',
            '--skip-welcome',
            '--skip-release-notes',
            // the suites that run trusted in the server build (workspaces.mjs settings)
            ...(suite.settings?.['security.workspace.trust.enabled'] === false
              ? ['--disable-workspace-trust']
              : []),
            // the built-in extensions a suite runs without (workspaces.mjs withoutBuiltins)
            ...(suite.withoutBuiltins ?? []).flatMap((id) => ['--disable-extension', id]),
          ],
        });
      } catch (e) {
        console.log(`vscode/${suite.name} on ${version}: ${e instanceof Error ? e.message : e}`);
      }
      let line = '';
      try {
        line = readFileSync(countsFile, 'utf8').trim();
      } catch {
        counts.failed++; // the suite never reported: VS Code did not start or the suite crashed
        continue;
      }
      const m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(line);
      if (!m) counts.failed++;
      else
        [counts.passed, counts.failed, counts.skipped] = [
          counts.passed + +m[1],
          counts.failed + +m[2],
          counts.skipped + +m[3],
        ];
    }
  }
} finally {
  workspaces.dispose();
  rmSync(countsDir, { recursive: true, force: true });
}
reportCounts(counts);
process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
