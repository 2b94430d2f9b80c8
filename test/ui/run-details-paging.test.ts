// Paging through a run's failed objects and log lines in the real details webview (issue 14,
// "Measured": the view draws one page of each so it opens fast for a run of 100,000 objects). The
// local tenant's 200 seeded users, a job that refuses every one of them and logs two lines each:
// 200 failed objects (two pages of 100) and 400 lines (two pages of 200). The buttons are clicked as
// a person would; the screenshot goes to test-results/ui/run-details-paging.png.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { scanJob } from '../tenant/support/jobs';
import {
  activeWebview,
  notification as waitForNotification,
  notificationCenter,
  openWorkbench,
  palette as run,
  quickOpen as open,
  screenshotFailures,
  shotDir,
  type Workbench,
} from './workbench';

describe('paging through a run in the details webview', function () {
  this.timeout(300000);
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;

  before(async function () {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ui-paging-'));
    const refuseAll =
      "logger.info('first of {}', input.userName); logger.warn('second of {}', input.userName); false;";
    writeFileSync(
      path.join(workspace, 'refuseAll.scanjob.json'),
      `${JSON.stringify(scanJob({ stateKey: 'refuse', script: refuseAll, threads: 2 }), null, 2)}\n`,
    );
    workbench = await openWorkbench(workspace);
    page = workbench.page;
    mkdirSync(shotDir, { recursive: true });
  });

  screenshotFailures('run-paging', () => page);

  after(async () => {
    await workbench?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const palette = (command: string) => run(page, command);
  const center = () => notificationCenter(page);
  const notification = (text: string | RegExp) => waitForNotification(page, text);
  const sidebar = () => page.locator('.part.sidebar');
  const details = (): FrameLocator => activeWebview(page);

  it('shows the first page of each list with its range, and goes to the later pages and back', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Scan Jobs"]').click();
    await sidebar().getByRole('button', { name: 'Start Local Tenant' }).first().click({ timeout: 60000 });
    await sidebar()
      .locator('.monaco-list-row', { hasText: /^local/ })
      .waitFor({ timeout: 60000 });
    await open(page, 'refuseAll.scanjob.json');
    await page.locator('.codelens-decoration a', { hasText: 'Push to' }).first().waitFor({ timeout: 60000 });
    await palette('Scan Jobs: Push Job');
    await notification(/created refuseAll on local/);
    await palette('Notifications: Clear All Notifications');
    await palette('Scan Jobs: Execute Job');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'refuseAll' }).first().click();
    const end = await notification(/refuseAll on local: COMPLETED, 200\/200 processed, 200 failed/);
    await end.hover();
    await end.getByRole('button', { name: 'Open Details' }).click();

    const doc = details();
    const failures = doc.locator('#failures');
    const log = doc.locator('#log');
    const objects = () => failures.locator('tbody td code').allInnerTexts();
    const logLines = async () => (await log.locator('pre.log').innerText()).split('\n');

    await failures.getByText('showing 1–100 of 200').first().waitFor({ timeout: 30000 });
    assert.match(await failures.locator('h2').innerText(), /Failed objects 200/);
    const first = await objects();
    assert.equal(first.length, 100);
    await log.getByText('showing 1–200 of 400').first().waitFor();
    const firstLines = await logLines();
    assert.equal(firstLines.length, 200);

    // Next page of the failed objects: the other 100, none of them on the first page.
    await failures
      .locator('nav.pager')
      .first()
      .getByRole('button', { name: /^Next page/ })
      .click();
    await failures.getByText('showing 101–200 of 200').first().waitFor({ timeout: 30000 });
    const second = await objects();
    assert.equal(second.length, 100);
    assert.equal(new Set([...first, ...second]).size, 200);
    for (const id of [...first, ...second]) assert.match(id, /^managed\/alpha_user\/\S+$/);
    assert.equal(
      await failures
        .locator('nav.pager')
        .first()
        .getByRole('button', { name: /^Next page/ })
        .isDisabled(),
      true,
    );

    // The last page of the log lines, from the pager under the list: lines 201-400, new ones.
    await log
      .locator('nav.pager')
      .last()
      .getByRole('button', { name: /^Last page/ })
      .click();
    await log.getByText('showing 201–400 of 400').first().waitFor({ timeout: 30000 });
    const lastLines = await logLines();
    assert.equal(lastLines.length, 200);
    assert.equal(new Set([...firstLines, ...lastLines]).size, 400);
    // Every user has both of its lines somewhere in the two pages.
    const all = [...firstLines, ...lastLines].join('\n');
    for (const id of first.slice(0, 5)) assert.ok(all.includes(id), `no line about ${id}`);
    assert.equal((all.match(/ first of /g) ?? []).length, 200);
    assert.equal((all.match(/ second of /g) ?? []).length, 200);
    // The failed objects stay on the page they were on.
    await failures.getByText('showing 101–200 of 200').first().waitFor();
    if (await center().isVisible()) await palette('Notifications: Hide Notifications');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotDir, 'run-details-paging.png') });

    // And back to the first page of the lines.
    await log
      .locator('nav.pager')
      .first()
      .getByRole('button', { name: /^First page/ })
      .click();
    await log.getByText('showing 1–200 of 400').first().waitFor({ timeout: 30000 });
    assert.deepEqual(await logLines(), firstLines);
  });

  it('filters each list by what is typed, across every page, and Escape shows all again', async () => {
    const doc = details();
    const failures = doc.locator('#failures');
    const log = doc.locator('#log');
    // An object from the second page of failures (the test before left that page shown): a
    // webview's own find (Ctrl+F) would not see it from the first.
    const last = failures
      .locator('nav.pager')
      .first()
      .getByRole('button', { name: /^Last page/ });
    if (await last.isEnabled()) await last.click();
    await failures.getByText('showing 101–200 of 200').first().waitFor({ timeout: 30000 });
    const wanted = (await failures.locator('tbody td code').allInnerTexts()).at(-1)!;
    const id = wanted.split('/').at(-1)!;
    await failures.getByText('showing 101–200 of 200').first().waitFor();

    // Typed as a person types, one key at a time: the box keeps focus and every key across redraws.
    const logBox = log.getByRole('searchbox', { name: 'Filter log lines' });
    await logBox.click();
    await logBox.pressSequentially(id.slice(0, 12), { delay: 40 });
    await log.getByText('2 of 400 match').waitFor({ timeout: 30000 });
    assert.equal(await logBox.inputValue(), id.slice(0, 12));
    const found = (await log.locator('pre.log').innerText()).split('\n');
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found.join('\n'), / first of /);
    assert.match(found.join('\n'), / second of /);
    for (const l of found) assert.ok(l.includes(id), l);
    assert.equal(await log.locator('nav.pager').count(), 0);

    const failureBox = failures.getByRole('searchbox', { name: 'Filter failed objects' });
    await failureBox.fill(id.toUpperCase());
    await failures.getByText('1 of 200 match').waitFor({ timeout: 30000 });
    assert.deepEqual(await failures.locator('tbody td code').allInnerTexts(), [wanted]);
    if (await center().isVisible()) await palette('Notifications: Hide Notifications');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotDir, 'run-details-filter.png') });

    // Nothing matches: said in words, not an empty table.
    await logBox.fill('no such text');
    await log.getByText('Nothing here matches “no such text”.').waitFor({ timeout: 30000 });
    // Escape empties the box and shows every line again, from the first page.
    await logBox.press('Escape');
    await log.getByText('showing 1–200 of 400').first().waitFor({ timeout: 30000 });
    assert.equal(await logBox.inputValue(), '');
    assert.equal(await log.getByText(/ of 400 match/).count(), 0);
    // The other list keeps its own filter.
    assert.equal(await failures.getByText('1 of 200 match').count(), 1);
  });
});
