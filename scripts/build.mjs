// Builds one minified CommonJS bundle per entry point, with source maps (DESIGN.md "Lazy and small").
// Entries whose source file does not exist yet are skipped, so the build works while layers grow.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Native or WebAssembly packages stay outside the bundles and load from node_modules. */
const runtimeExternals = ['better-sqlite3', 'quickjs-emscripten', '@jitl/*'];

const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // The extension's editor side and tenant side load on first use (src/extension/parts.ts).
  { in: 'src/extension/editor/part.ts', out: 'dist/extension-editor.js', external: ['vscode'] },
  { in: 'src/extension/tenant/part.ts', out: 'dist/extension-tenant.js', external: ['vscode'] },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node', external: runtimeExternals },
  { in: 'src/emulator/host.ts', out: 'dist/emulator-host.js', external: runtimeExternals },
  // Scripts run on worker threads; the CLI's and the host's bundles start this file beside them.
  { in: 'src/emulator/scriptthread.ts', out: 'dist/emulator-script-thread.js', external: runtimeExternals },
];

const watch = process.argv.includes('--watch');
let built = 0;
for (const entry of entries) {
  if (!existsSync(entry.in)) continue;
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    minify: !watch,
    sourcemap: true,
    platform: 'node',
    format: 'cjs',
    // jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow
    // ("Cannot find module './impl/format'" at run time); its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    target: 'node20',
    external: entry.external,
    banner: entry.banner ? { js: entry.banner } : undefined,
    define: { __SCANJOBS_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  built++;
}
console.log(`esbuild: ${built} bundle(s) written to dist/`);
