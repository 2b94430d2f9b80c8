// The packaged .vsix in a real VS Code server, a folder open in a browser page: the setup both UI
// suites share, and the two ways they reach a command or a file (the palette and Quick Open).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import {
  launchBrowser,
  missingHost,
  startServer,
  workbenchUrl,
  type RunningServer,
} from '../vscode/vscode-host.mjs';
import { packageVsix, root } from './vsix';

/** Where the UI suites' screenshots go (test-results/ui/*.png). */
export const shotDir = path.join(root, 'test-results', 'ui');

/** Settings that keep the window quiet and its pictures stable from one run to the next. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'editor.minimap.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

export interface Workbench {
  server: RunningServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Installs the packaged .vsix as a user would and opens `folder` in the workbench. */
export async function openWorkbench(folder: string): Promise<Workbench> {
  const missing = missingHost();
  if (missing) throw new Error(missing);
  const server = await startServer({ vsix: [packageVsix()], settings: SETTINGS });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(server.env);
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    await page.goto(workbenchUrl(server.authority, { folder }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    const opened = browser;
    return {
      server,
      browser,
      page,
      async close() {
        await opened.close();
        server.stop();
      },
    };
  } catch (err) {
    await browser?.close();
    server.stop();
    throw err;
  }
}

/** Runs a command from the Command Palette by its title. */
export async function palette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits for its tab. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

/** The notification center (shown or not). */
export const notificationCenter = (page: Page): Locator => page.locator('.notifications-center');

/**
 * The notification with this text, in the notification center. The center hides itself whenever it
 * becomes empty (a run's progress notification ends before its end notification arrives), so it is
 * opened again while waiting; a palette that did not take the command (focus moved as a notification
 * arrived) is closed and tried again on the next round. Gives up after 90 s.
 */
export async function notification(page: Page, text: string | RegExp): Promise<Locator> {
  const center = notificationCenter(page);
  const deadline = Date.now() + 90000;
  for (;;) {
    if (!(await center.isVisible()))
      await palette(page, 'Notifications: Show Notifications').catch(() => page.keyboard.press('Escape'));
    const item = center.locator('.notification-list-item', { hasText: text }).first();
    try {
      await item.waitFor({ timeout: 5000 });
      return item;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** Hides the notification center if it is shown, and waits for the palette to close. */
export async function hideNotifications(page: Page): Promise<void> {
  if (await notificationCenter(page).isVisible()) await palette(page, 'Notifications: Hide Notifications');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The active webview's document (VS Code nests it in two frames). */
export const activeWebview = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

/**
 * Registers the suites' shared `afterEach`: a failed test leaves a screenshot,
 * `test-results/ui/<prefix>-failed-<its title>.png`; with UI_DEBUG set it also prints the notification
 * center and the Scan Jobs output, which say most about why a wait timed out.
 */
export function screenshotFailures(prefix: string, page: () => Page | undefined): void {
  afterEach(async function () {
    const p = page();
    if (this.currentTest?.state !== 'failed' || !p) return;
    if (process.env.UI_DEBUG) {
      await palette(p, 'Notifications: Show Notifications').catch(() => undefined);
      console.log(await p.locator('.notifications-center').innerText().catch(String));
      await palette(p, 'Scan Jobs: Show Output').catch(() => undefined);
      await p.waitForTimeout(1000);
      console.log(await p.locator('.part.panel .monaco-editor .view-lines').innerText().catch(String));
    }
    mkdirSync(shotDir, { recursive: true });
    await p.screenshot({
      path: path.join(
        shotDir,
        `${prefix}-failed-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '-')}.png`,
      ),
    });
  });
}
