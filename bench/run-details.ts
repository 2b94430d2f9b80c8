// Run details open time in the real VS Code (test/vscode/vscode-host.mjs) for a run of 100,000
// objects (issue 14: < 300 ms): the local tenant on a folder seeded with 100,000 users, a job over all
// of them that refuses the users whose name starts with "a" and logs the others (so the run's log
// is full: failed objects and script lines), followed to its end, then Open Run Details 7 times, each
// a fresh panel, timed from the command to the page confirming it shows the tenant's report.
// Run: npx tsx bench/run-details.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { missingHost, runInVSCode } from '../test/vscode/vscode-host.mjs';
import { prepareWorkspaces } from '../test/vscode/workspaces.mjs';

const root = path.resolve(__dirname, '..');
const BUDGET_MS = 300;

/** Seeds 100,000 users into a data folder with the emulator that ships in dist/, then stops it. */
async function seed(dir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'dist/emulator-host.js'), '--port', '0', '--data', dir, '--seed-users', '100000'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('"url"')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}) before it listened`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.end(); // its lifeline
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const missing = missingHost();
  if (missing) throw new Error(missing);
  const probe = path.join(root, 'out/bench/run-details-probe.js');
  await build({
    entryPoints: [path.join(root, 'bench/run-details-probe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const data = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-bench-details-'));
  const ws = prepareWorkspaces();
  try {
    const t = performance.now();
    await seed(data);
    console.log(`seeded 100,000 users in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    process.env.SCANJOBS_BENCH_DATA = data;
    // A trusted window (Restricted Mode connects to no tenant), as the tenant suite's.
    const suite = ws.suites.find((s: { name: string }) => s.name === 'tenant')! as {
      folder: string;
      settings?: Record<string, unknown>;
    };
    // runInVSCode takes the window's settings too (vscode-host.mjs), which its .d.mts leaves out.
    const options = {
      folder: suite.folder,
      settings: suite.settings,
      testsPath: probe,
      echo: false,
      timeoutMs: 600000,
    };
    const { code, lines } = await runInVSCode(options);
    const line = lines.find((l: string) => l.startsWith('BENCH '));
    if (code !== 0 || !line) throw new Error(`probe failed (exit ${code}):\n${lines.slice(-30).join('\n')}`);
    const r = JSON.parse(line.slice('BENCH '.length)) as {
      runMs: number;
      processed: number;
      total: number;
      failures: number;
      failedShown: number;
      failedMore: number;
      logLines: number;
      chart: boolean;
      bodyBytes: number;
      openMs: number[];
      htmlMs: number[];
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const open = median(r.openMs);
    console.log(
      `run: ${r.processed}/${r.total} processed, ${r.failures} failed, in ${(r.runMs / 1000).toFixed(1)} s (followed)`,
    );
    console.log(
      `page: ${r.failedShown} failed objects shown (+${r.failedMore} counted), ${r.logLines} log lines, chart ${r.chart}, body ${(r.bodyBytes / 1024).toFixed(0)} KB`,
    );
    console.log('| measure | median | all (ms) | budget | ratio |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(
      `| Open Run Details → page shows the report | ${open.toFixed(0)} ms | ${r.openMs.map((x) => x.toFixed(0)).join(', ')} | ${BUDGET_MS} ms | ${(open / BUDGET_MS).toFixed(2)} |`,
    );
    const html = median(r.htmlMs);
    console.log(
      `| the page's markup alone (detailsBody) | ${html.toFixed(1)} ms | ${r.htmlMs.map((x) => x.toFixed(1)).join(', ')} | — | ${(html / open).toFixed(2)} of the open |`,
    );
  } finally {
    ws.dispose();
    rmSync(data, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
