// Size budgets (DESIGN.md "Lazy and small"): CI fails when the bundle or the .vsix outgrows them.
// The figures are recorded in BENCHMARKS.md by bench/activation.ts.
import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { packageVsix, root } from './vsix';

export const BUDGET = { bundleBytes: 500 * 1024, vsixBytes: 2 * 1024 * 1024 };

describe('package budgets', function () {
  this.timeout(120000);

  it(`dist/extension.js stays under ${BUDGET.bundleBytes / 1024} KB`, () => {
    packageVsix(); // builds dist/ first
    const size = statSync(path.join(root, 'dist/extension.js')).size;
    assert.ok(size < BUDGET.bundleBytes, `dist/extension.js is ${(size / 1024).toFixed(1)} KB`);
  });

  it(`the .vsix stays under ${BUDGET.vsixBytes / 1024 / 1024} MB`, () => {
    const size = statSync(packageVsix()).size;
    assert.ok(size < BUDGET.vsixBytes, `the .vsix is ${(size / 1024).toFixed(1)} KB`);
  });
});
