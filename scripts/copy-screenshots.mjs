// Copies the screenshots the UI suite takes (test-results/ui/) that the Marketplace README
// (docs/marketplace.md) shows into media/screenshots/. Run after `npm test -- ui`.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const readme = readFileSync(path.join(root, 'docs/marketplace.md'), 'utf8');
const wanted = [...readme.matchAll(/\(media\/screenshots\/([\w-]+\.png)\)/g)].map((m) => m[1]);
mkdirSync(path.join(root, 'media/screenshots'), { recursive: true });
let missing = 0;
for (const name of wanted) {
  const from = path.join(root, 'test-results/ui', name);
  if (!existsSync(from)) {
    console.error(`copy-screenshots: ${name} was not taken; run the ui suite first (npm test -- ui)`);
    missing++;
    continue;
  }
  copyFileSync(from, path.join(root, 'media/screenshots', name));
  console.log(`media/screenshots/${name}`);
}
process.exit(missing ? 1 : 0);
