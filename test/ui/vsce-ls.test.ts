// `vsce ls`: the .vsix carries what the installed extension needs and nothing else (no sources, tests,
// source maps, benchmarks, CI examples, or node_modules beyond the local tenant's sandbox).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { root } from './vsix';

const SHIPS: RegExp[] = [
  /^(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/,
  /^dist\/(extension|extension-editor|extension-tenant|emulator-host|emulator-script-thread)\.js$/,
  /^schemas\/[\w-]+\.schema\.json$/,
  /^snippets\/[\w-]+\.code-snippets$/,
  /^syntaxes\/[\w.-]+\.(tmLanguage|language-configuration)\.json$/,
  /^types\/[\w-]+\.d\.ts$/,
  /^media\/[\w/.-]+\.(png|svg|md)$/,
  /^docs\/[\w-]+\.md$/,
  /^examples\/(?!ci\/)[\w/.-]+\.(json|js|md)$/,
  /^node_modules\/(quickjs-emscripten|quickjs-emscripten-core|@jitl\/quickjs-[\w-]+)\/(package\.json|dist\/[\w.-]+\.(js|cjs|mjs|wasm))$/,
];

describe('vsce ls', function () {
  this.timeout(120000);

  it('lists only what the installed extension needs', function () {
    const files = execFileSync('npx', ['vsce', 'ls'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const stray = files.filter((f) => !SHIPS.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files that should not ship');
    for (const needed of [
      'dist/extension.js',
      'dist/emulator-script-thread.js',
      'schemas/scan-job.schema.json',
      'media/icon.png',
      'LICENSE',
    ])
      assert.ok(files.includes(needed), `${needed} ships`);
    assert.ok(
      files.some((f) => f.endsWith('quickjs-wasmfile-release-sync/dist/emscripten-module.wasm')),
      'the sandbox WebAssembly ships',
    );
    assert.ok(!files.some((f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith('.map')));
  });
});
