// Bundles the in-editor test suites (test/vscode/<suite>/*.ts) into out/test/vscode/<suite>/*.js, one
// CommonJS file per test file: the extension host loads them with require, so `vscode` and mocha stay
// external (mocha resolves from the project's node_modules; out/ is inside the extension folder).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

export async function buildTestSuites(suites) {
  const outdir = path.join(root, 'out/test/vscode');
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints = [];
  for (const suite of suites) {
    for (const f of readdirSync(path.join(root, 'test/vscode', suite))) {
      if (f.endsWith('.ts')) entryPoints.push(path.join(root, 'test/vscode', suite, f));
    }
  }
  await build({
    entryPoints,
    outdir,
    outbase: path.join(root, 'test/vscode'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outdir;
}
