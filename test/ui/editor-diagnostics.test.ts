// The workbench as a person sees it: the packaged .vsix installed into a real VS Code, the
// documentation's job opened, its problems in the editor and the Problems panel, and the filter
// highlighted by our grammar. The screenshot is kept in test-results/ui/ for people to look at;
// the assertions read the same visible text.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  missingHost,
  startServer,
  workbenchUrl,
  type RunningServer,
} from '../vscode/vscode-host.mjs';
import { packageVsix, root } from './vsix';

/** The page's window, as seen from code Playwright runs in the browser (tsconfig has no DOM lib). */
type BrowserWindow = { getComputedStyle(element: unknown): { color: string } };

const shotDir = path.join(root, 'test-results', 'ui');

describe('the editor with the documentation job', function () {
  this.timeout(180000);
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  before(async function () {
    const missing = missingHost();
    if (missing) throw new Error(missing);
    const vsix = packageVsix();
    workspace = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ui-'));
    cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    server = await startServer({
      vsix: [vsix],
      settings: {
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tips.enabled': false,
        'editor.minimap.enabled': false,
        'security.workspace.trust.enabled': false,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
    browser = await launchBrowser(server.env);
    page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    await page.goto(workbenchUrl(server.authority, { folder: workspace }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function quickOpen(name: string) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor();
  }

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
