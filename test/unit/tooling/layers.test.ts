// The layer rule of DESIGN.md is enforced by ESLint (eslint.config.mjs, no-restricted-imports): each
// forbidden import is reported at the file's real place in the tree, each allowed one is not.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

async function problems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rule (lint)', function () {
  this.timeout(60_000);

  const forbidden: [string, string, RegExp][] = [
    ['src/core/job/x.ts', "import * as vscode from 'vscode';", /src\/core runs outside VS Code/],
    ['src/core/job/x.ts', "import { startEmulator } from '../../emulator/server';", /bottom layer/],
    ['src/core/tenant/x.ts', "export { run } from '../../cli/main';", /bottom layer/],
    ['src/core/x.ts', "import type { Shell } from '../extension/shell';", /bottom layer/],
    [
      'src/cli/commands/x.ts',
      "import { Shell } from '../../extension/shell';",
      /Nothing imports src\/extension/,
    ],
    ['src/emulator/x.ts', "import * as vscode from 'vscode';", /Only src\/extension runs in VS Code/],
  ];
  for (const [file, code, message] of forbidden) {
    it(`reports ${code} in ${file}`, async () => {
      const found = await problems(file, `${code}\n`);
      assert.equal(found.length, 1, `no report for ${code} in ${file}`);
      assert.match(found[0], message);
    });
  }

  it('allows what the layers may import', async () => {
    assert.deepEqual(await problems('src/core/tenant/x.ts', "export { redact } from './redact';\n"), []);
    assert.deepEqual(await problems('src/core/tenant/x.ts', "import { x } from './client';\n"), []);
    assert.deepEqual(
      await problems('src/cli/commands/x.ts', "import { validateJob } from '../../core/job';\n"),
      [],
    );
    assert.deepEqual(
      await problems('src/cli/commands/x.ts', "import { startEmulator } from '../../emulator/server';\n"),
      [],
    );
    assert.deepEqual(await problems('src/extension/x.ts', "import * as vscode from 'vscode';\n"), []);
  });
});
