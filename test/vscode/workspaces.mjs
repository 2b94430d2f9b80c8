// The workspaces the in-editor suites open, built fresh for each run in a scratch folder:
//   editor: a copy of examples/ (job files in every layout, the documentation's job as published);
//   quiet:  a workspace without job files, where the extension must stay inactive;
//   trusted: an empty, trusted folder for editor features that need trust;
//   tenant: an empty folder (jobs/) where the tenant suite writes the jobs it pushes;
//   nomarkdown: an empty folder, in a VS Code without its built-in Markdown extension;
//   openidm: the same for the suite run against a live OpenIDM (only with SCANJOBS_OPENIDM_URL).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

export function prepareWorkspaces() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ws-'));
  const editor = path.join(scratch, 'jobs');
  cpSync(path.join(root, 'examples'), editor, { recursive: true });
  const quiet = path.join(scratch, 'quiet');
  mkdirSync(path.join(quiet, 'config'), { recursive: true });
  // A JSON file that is not a job: opening it must not wake the extension.
  writeFileSync(
    path.join(quiet, 'config', 'settings.json'),
    JSON.stringify({ name: 'not a job', enabled: true }, null, 2),
  );
  const trusted = path.join(scratch, 'trusted');
  mkdirSync(trusted, { recursive: true });
  const tenant = path.join(scratch, 'tenant');
  mkdirSync(path.join(tenant, 'jobs'), { recursive: true });
  const nomarkdown = path.join(scratch, 'nomarkdown');
  mkdirSync(nomarkdown, { recursive: true });
  const openidm = path.join(scratch, 'openidm');
  mkdirSync(path.join(openidm, 'jobs'), { recursive: true });
  return {
    suites: [
      { name: 'editor', folder: editor },
      { name: 'quiet', folder: quiet },
      // Editor features that need a trusted workspace (the TypeScript server's full IntelliSense).
      { name: 'trusted', folder: trusted, settings: { 'security.workspace.trust.enabled': false } },
      // What the extension does where VS Code's built-in Markdown extension is missing (rule links).
      {
        name: 'nomarkdown',
        folder: nomarkdown,
        withoutBuiltins: ['vscode.markdown-language-features'],
      },
      // Restricted Mode connects to no tenant, so this window trusts its workspace.
      { name: 'tenant', folder: tenant, settings: { 'security.workspace.trust.enabled': false } },
      // The extension's tenant commands against a live OpenIDM: only when the contract lane has one
      // running (SCANJOBS_OPENIDM_URL, test/contract/run.mjs), which then runs this suite.
      ...(process.env.SCANJOBS_OPENIDM_URL
        ? [{ name: 'openidm', folder: openidm, settings: { 'security.workspace.trust.enabled': false } }]
        : []),
    ],
    dispose: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

/** Appends the suite's counts for scripts/test-all.mjs (see test/support/stats-reporter.cjs). */
export function reportCounts(counts) {
  const file = process.env.SCANJOBS_TEST_STATS;
  if (file) {
    const line = { suite: process.env.SCANJOBS_TEST_SUITE || 'vscode', ...counts };
    writeFileSync(file, JSON.stringify(line) + '\n', { flag: 'a' });
  }
  console.log(
    `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
}
