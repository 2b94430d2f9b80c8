// Run details open time in the real VS Code (test/vscode/vscode-host.mjs) for a run of 100,000
// objects (issue 14: < 300 ms): the local tenant on a folder seeded with 100,000 users, a job over all
// of them that refuses the users whose name starts with "a" and logs the others (so the run's log
// is full: failed objects and script lines), followed to its end, then Open Run Details 7 times, each
// a fresh panel, timed from the command to the page confirming it has painted the tenant's report.
// With `--baseline <git ref>` the same is measured first for that commit's extension (exported with
// git archive and built in a temporary folder), then for this tree's, one after the other in one run,
// and the table shows both medians and their ratio.
// Run: npx tsx bench/run-details.ts [--baseline <git ref>]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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

/** The extension as it was at `ref`: its files exported and built in a temporary folder. */
function exportBuild(ref: string): { dir: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-bench-baseline-'));
  const tar = execFileSync('git', ['archive', '--format=tar', commit], { cwd: root, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'inherit' });
  return { dir, commit };
}

interface ProbeResult {
  runMs: number;
  processed: number;
  total: number;
  failures: number;
  failedObjects: number;
  logLines: number;
  chart: boolean;
  bodyBytes: number;
  openMs: number[];
  /** An empty webview's open, interleaved with the opens of the details (the floor). */
  floorMs: number[];
  htmlMs: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const missing = missingHost();
  if (missing) throw new Error(missing);
  const at = process.argv.indexOf('--baseline');
  const baselineRef = at >= 0 ? process.argv[at + 1] : undefined;
  if (at >= 0 && !baselineRef) throw new Error('--baseline needs a git ref, e.g. --baseline main');
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
  const baseline = baselineRef ? exportBuild(baselineRef) : undefined;
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', 'src'], { cwd: root, encoding: 'utf8' }).trim();
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
    const measure = async (extensionPath: string): Promise<ProbeResult> => {
      // runInVSCode takes the window's settings too (vscode-host.mjs), which its .d.mts leaves out.
      const options = {
        folder: suite.folder,
        settings: suite.settings,
        extensionPath,
        testsPath: probe,
        echo: false,
        timeoutMs: 600000,
      };
      const { code, lines } = await runInVSCode(options);
      const line = lines.find((l: string) => l.startsWith('BENCH '));
      if (code !== 0 || !line)
        throw new Error(`probe failed (exit ${code}):\n${lines.slice(-30).join('\n')}`);
      return JSON.parse(line.slice('BENCH '.length)) as ProbeResult;
    };
    const rows: { label: string; r: ProbeResult }[] = [];
    if (baseline) rows.push({ label: `baseline ${baseline.commit}`, r: await measure(baseline.dir) });
    rows.push({
      label: `this tree ${head}${dirty ? ' (+ uncommitted changes)' : ''}`,
      r: await measure(root),
    });
    for (const { label, r } of rows) {
      console.log(
        `${label}: run ${r.processed}/${r.total} processed, ${r.failures} failed, in ${(r.runMs / 1000).toFixed(1)} s (followed); ` +
          `report: ${r.failedObjects} failed objects, ${r.logLines} log lines, chart ${r.chart}; page body ${(r.bodyBytes / 1024).toFixed(0)} KB`,
      );
    }
    console.log(
      '| build | Open Run Details → report painted, median | all (ms) | budget | ratio to budget |',
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const { label, r } of rows) {
      const open = median(r.openMs);
      console.log(
        `| ${label} | ${open.toFixed(0)} ms | ${r.openMs.map((x) => x.toFixed(0)).join(', ')} | ${BUDGET_MS} ms | ${(open / BUDGET_MS).toFixed(2)} |`,
      );
    }
    for (const { label, r } of rows) {
      const floor = median(r.floorMs);
      // Each open against the empty webview opened right after it: less noisy than two medians.
      const pairs = r.openMs.map((x, n) => x / r.floorMs[n]);
      console.log(
        `| ${label}: an empty webview (the floor) | ${floor.toFixed(0)} ms | ${r.floorMs.map((x) => x.toFixed(0)).join(', ')} | — | details/floor, median of pairs ${median(pairs).toFixed(2)} |`,
      );
    }
    const current = rows[rows.length - 1].r;
    if (rows.length === 2)
      console.log(
        `this tree / baseline (medians): ${(median(current.openMs) / median(rows[0].r.openMs)).toFixed(2)}`,
      );
    const html = median(current.htmlMs);
    console.log(
      `the page's markup alone (detailsBody, this tree): median ${html.toFixed(1)} ms (${current.htmlMs.map((x) => x.toFixed(1)).join(', ')})`,
    );
  } finally {
    ws.dispose();
    rmSync(data, { recursive: true, force: true });
    if (baseline) rmSync(baseline.dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
