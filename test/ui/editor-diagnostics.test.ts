// The workbench as a person sees it: the packaged .vsix installed into a real VS Code, the
// documentation's job opened, its problems in the editor and the Problems panel, and the filter
// highlighted by our grammar. The screenshot is kept in test-results/ui/ for people to look at;
// the assertions read the same visible text.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { root } from './vsix';
import { openWorkbench, quickOpen as open, type Workbench } from './workbench';

/** The page's window, as seen from code Playwright runs in the browser (tsconfig has no DOM lib). */
type BrowserWindow = { getComputedStyle(element: unknown): { color: string } };

const shotDir = path.join(root, 'test-results', 'ui');

describe('the editor with the documentation job', function () {
  this.timeout(180000);
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;

  before(async function () {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ui-'));
    cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    workbench = await openWorkbench(workspace);
    page = workbench.page;
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
  });

  after(async () => {
    await workbench?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const quickOpen = (name: string) => open(page, name);

  it('shows the escape, the stray parenthesis and the trigger warning, with the filter highlighted', async () => {
    await quickOpen('sunsetTask.scanjob.json');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems
      .getByText(/invalid escape/)
      .first()
      .waitFor({ timeout: 30000 });
    // Let the editor's colours settle before the picture.
    await page.waitForTimeout(1000);
    mkdirSync(shotDir, { recursive: true });
    await page.screenshot({ path: path.join(shotDir, 'editor-diagnostics.png') });

    const panel = await problems.innerText();
    assert.match(panel, /invalid escape '\\\{'/);
    assert.match(panel, /`\)`[^\n]* closes nothing/);
    assert.match(panel, /simple job without `startTime`/);
    assert.match(panel, /json-invalid-escape/);
    // One mark per problem: VS Code's JSON server does not check job files (language scanjob-json),
    // so its whole-string "Invalid escape character in string." is not listed beside ours.
    assert.doesNotMatch(panel, /Invalid escape character in string/);
    await page.locator('.statusbar-item', { hasText: 'Scan Job (JSON)' }).first().waitFor({ timeout: 10000 });

    // The filter line is split into several differently coloured tokens by the injected grammar,
    // where plain JSON would colour the whole string alike.
    const line = page.locator('.view-line', { hasText: '_queryFilter' }).first();
    await line.screenshot({ path: path.join(shotDir, 'filter-line.png') });
    const tokens = await line
      .locator('span > span')
      .evaluateAll((spans) =>
        spans.map((s) => [
          s.textContent ?? '',
          (globalThis as unknown as BrowserWindow).getComputedStyle(s).color,
        ]),
      );
    const colours = new Set(tokens.filter(([text]) => text.trim()).map(([, colour]) => colour));
    assert.ok(colours.size >= 4, `the filter line has only these colours: ${JSON.stringify(tokens)}`);
  });
});
