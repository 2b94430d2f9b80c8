// Issue 16 item 8: the tests and benchmarks need nothing outside the repository. The query-filter
// conformance data lives in test/fixtures and is read only through test/fixtures/conformance.ts.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { queryFilterConformance } from '../../fixtures/conformance';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mjs|cjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

describe('tests are self-contained', () => {
  it('no test or benchmark reads ../shared', () => {
    const offenders = [...sources(path.join(root, 'test')), ...sources(path.join(root, 'bench'))].filter(
      // a path into the sibling folder: '../shared…' or path.join(…, '..', 'shared', …)
      (f) =>
        f !== __filename && /\.\.[/\\]shared\b|['"]\.\.['"],\s*['"]shared['"]/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(root, f)),
      [],
      'read test data from test/fixtures instead',
    );
  });

  it('keeps the conformance data in test/fixtures', () => {
    const data = queryFilterConformance();
    assert.ok(data.parse.length >= 100, `parse cases: ${data.parse.length}`);
    assert.ok(data.evaluate.length >= 50, `evaluate cases: ${data.evaluate.length}`);
  });
});
