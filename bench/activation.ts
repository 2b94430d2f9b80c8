// Activation cost and package size of the extension, measured in the real VS Code
// (test/vscode/vscode-host.mjs): `activate()` itself (the extension times it), activation as the
// host sees it (loading dist/extension.js + activate), and the time from opening the documentation's
// job to its first diagnostics (the editor features load lazily then). Each figure is printed beside
// its budget as a ratio. Run: npx tsx bench/activation.ts [runs=3]
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import path from 'node:path';
import { packageVsix, root } from '../test/ui/vsix';
import { missingHost, runInVSCode } from '../test/vscode/vscode-host.mjs';
import { prepareWorkspaces } from '../test/vscode/workspaces.mjs';

const BUDGET = { activateMs: 15, bundleBytes: 500 * 1024, vsixBytes: 2 * 1024 * 1024 };
const runs = Number(process.argv[2] ?? 3);

async function main(): Promise<void> {
  const missing = missingHost();
  if (missing) throw new Error(missing);
  const vsix = packageVsix(); // also builds dist/
  const probe = path.join(root, 'out/bench/activation-probe.js');
  await build({
    entryPoints: [path.join(root, 'bench/activation-probe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  process.env.SCANJOBS_PUBLISHED_JOB = path.join(root, 'examples/published/sunsetTask.scanjob.json');
  const samples: {
    activateMs: number;
    activateTotalMs: number;
    firstDiagnosticsMs: number;
    loadMs: Record<string, number>;
    partsLoaded: string[];
  }[] = [];
  for (let i = 0; i < runs; i++) {
    const ws = prepareWorkspaces();
    try {
      const quiet = ws.suites.find((s) => s.name === 'quiet')!;
      const { code, lines } = await runInVSCode({
        folder: quiet.folder,
        testsPath: probe,
        echo: false,
        timeoutMs: 120000,
      });
      const line = lines.find((l) => l.startsWith('BENCH '));
      if (code !== 0 || !line)
        throw new Error(`probe failed (exit ${code}):\n${lines.slice(-20).join('\n')}`);
      samples.push(JSON.parse(line.slice('BENCH '.length)));
    } finally {
      ws.dispose();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = {
    activateMs: median(samples.map((s) => s.activateMs)),
    activateTotalMs: median(samples.map((s) => s.activateTotalMs)),
    firstDiagnosticsMs: median(samples.map((s) => s.firstDiagnosticsMs)),
  };
  const vsixSize = statSync(vsix).size;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const row = (...cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log(`VS Code server build (code-server), median of ${runs} fresh windows`);
  row('measure', 'value', 'budget', 'ratio');
  row('---', '---', '---', '---');
  row(
    'activate()',
    `${m.activateMs.toFixed(2)} ms`,
    `${BUDGET.activateMs} ms`,
    (m.activateMs / BUDGET.activateMs).toFixed(3),
  );
  row(
    'activation as the host sees it (ext.activate())',
    `${m.activateTotalMs.toFixed(1)} ms`,
    '—',
    `${(m.activateTotalMs / m.activateMs).toFixed(0)}× activate()`,
  );
  row(
    'open the docs job → first diagnostics',
    `${m.firstDiagnosticsMs.toFixed(1)} ms`,
    '—',
    `${(m.firstDiagnosticsMs / m.activateMs).toFixed(0)}× activate()`,
  );
  const load = (name: string) => median(samples.map((s) => s.loadMs[name]));
  for (const name of ['extension', 'extension-editor', 'extension-tenant']) {
    const size = statSync(path.join(root, `dist/${name}.js`)).size;
    const budget = name === 'extension' ? kb(BUDGET.bundleBytes) : '— (loaded on first use)';
    const ratio =
      name === 'extension'
        ? (size / BUDGET.bundleBytes).toFixed(3)
        : `load ${(load(name) / load('extension')).toFixed(0)}× extension.js`;
    row(`dist/${name}.js: size; load time`, `${kb(size)}; ${load(name).toFixed(1)} ms`, budget, ratio);
  }
  const parts = [...new Set(samples.map((s) => s.partsLoaded.join(' + ') || 'none'))].join(' / ');
  row('bundles loaded after activation and the open job', parts, 'editor only', '—');
  row('.vsix', kb(vsixSize), kb(BUDGET.vsixBytes), (vsixSize / BUDGET.vsixBytes).toFixed(3));
  console.log(`samples: ${JSON.stringify(samples)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
