// Packs the CLI as its own npm package: dist/scanjobs-<version>.tgz, installable with `npm i -g` or run
// with `npx`. It carries the one CLI bundle (every pure-JS dependency is inside it), the README, the
// licence, and declares what cannot be bundled: the local tenant's WebAssembly sandbox
// (quickjs-emscripten) and, for Node 20, which lacks node:sqlite, better-sqlite3 (optional: on
// Node 22.13 and newer the built-in node:sqlite is used and a failed native build does not matter).
// Usage: node scripts/pack-cli.mjs [--no-build]   prints the tarball's path on its last line.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const stage = path.join(root, 'dist/cli-package');

if (!process.argv.includes('--no-build')) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
copyFileSync(path.join(root, 'dist/cli.js'), path.join(stage, 'cli.js'));
// The local tenant's scripts run on worker threads started from this file beside cli.js.
copyFileSync(
  path.join(root, 'dist/emulator-script-thread.js'),
  path.join(stage, 'emulator-script-thread.js'),
);
copyFileSync(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
copyFileSync(path.join(root, 'docs/cli-package.md'), path.join(stage, 'README.md'));

const pick = (name) => {
  const range = manifest.dependencies[name];
  if (!range) throw new Error(`package.json has no dependency ${name}`);
  return range;
};
const cliManifest = {
  name: 'scanjobs',
  version: manifest.version,
  description:
    'Check, push, run, follow and cancel PingOne AIC / PingIDM task-scanner scan jobs from the command line, with a local tenant.',
  license: manifest.license,
  homepage: manifest.homepage,
  repository: manifest.repository,
  bugs: manifest.bugs,
  keywords: manifest.keywords,
  bin: { scanjobs: 'cli.js' },
  files: ['cli.js', 'emulator-script-thread.js', 'README.md', 'LICENSE'],
  engines: { node: '>=20' },
  dependencies: { 'quickjs-emscripten': pick('quickjs-emscripten') },
  optionalDependencies: { 'better-sqlite3': pick('better-sqlite3') },
};
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(cliManifest, null, 2)}\n`);
const out = execFileSync('npm', ['pack', '--json', '--pack-destination', path.join(root, 'dist')], {
  cwd: stage,
  encoding: 'utf8',
});
const [info] = JSON.parse(out);
console.log(`${info.files.length} files, ${(info.size / 1024).toFixed(0)} KB packed`);
console.log(path.join(root, 'dist', info.filename));
