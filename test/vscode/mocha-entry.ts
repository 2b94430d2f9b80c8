// The extensionTestsPath module shape VS Code expects: run() resolves when every test in the folder
// passed. The closing line "N passed, N failed, N skipped" is what run-vscode-tests.mjs counts.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function runFolder(dir: string): Promise<void> {
  // MOCHA_GREP (passed through the VS Code server's environment) runs only matching tests.
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 30000,
    forbidOnly: true,
    grep: process.env.MOCHA_GREP || undefined,
  });
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const summary = `${s?.passes ?? 0} passed, ${s?.failures ?? failures} failed, ${s?.pending ?? 0} skipped`;
      console.log(summary);
      // Desktop runs (run-electron-tests.mjs) read the counts from this file rather than the console.
      if (process.env.SCANJOBS_SUITE_COUNTS) writeFileSync(process.env.SCANJOBS_SUITE_COUNTS, summary + '\n');
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}
