// Builds the .vsix the way `npm run package` does (vsce, no node_modules: the bundle carries its
// dependencies) into a scratch folder, once per test run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let built: string | undefined;

export function packageVsix(): string {
  if (built) return built;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'scanjobs-vsix-')), 'scanjobs.vsix');
  execFileSync(
    path.join(root, 'node_modules/.bin/vsce'),
    [
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    { cwd: root, stdio: 'pipe' },
  );
  built = out;
  return out;
}

export { root };
