// Builds the .vsix exactly as `npm run package` does (it is that script), once per test run.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let built: string | undefined;

export function packageVsix(): string {
  if (built) return built;
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'pipe' });
  built = path.join(root, 'dist/scanjobs.vsix');
  return built;
}

export { root };
