// Run details as a person sees them (issue 14 §1): the end notification's Open Details, the failed
// run's own icon in the tree, the details page (failed objects and why, the script's lines, the
// progress chart), a live run opened from the tree and cancelled from its page's button, and the page
// in a light theme. Screenshots go to test-results/ui/run-*.png; the assertions read the visible text.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { scanJob } from '../tenant/support/jobs';
import {
  activeWebview,
  hideNotifications,
  notification as waitForNotification,
  openWorkbench,
  palette as run,
  quickOpen as open,
  screenshotFailures,
  shotDir,
  type Workbench,
} from './workbench';

describe('run details in the workbench', function () {
  this.timeout(300000);
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;

  before(async function () {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ui-details-'));
    const picky =
      "if (input.userName.indexOf('a') === 0) { logger.warn('refusing {}', input.userName); false; } else { logger.info('kept {}', input.userName); true; }";
    writeFileSync(
      path.join(workspace, 'pickyScan.scanjob.json'),
      `${JSON.stringify(scanJob({ stateKey: 'picky', script: picky, threads: 2 }), null, 2)}\n`,
    );
    // The workspace's settings: the light-theme test rewrites them, and the workbench follows.
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), '{}\n');
    writeFileSync(
      path.join(workspace, 'slowScan.scanjob.json'),
      `${JSON.stringify(scanJob({ stateKey: 'slowui', script: 'var t0 = Date.now(); while (Date.now() - t0 < 250) {} true;', threads: 1 }), null, 2)}\n`,
    );
    workbench = await openWorkbench(workspace);
    page = workbench.page;
    mkdirSync(shotDir, { recursive: true });
  });

  screenshotFailures('run', () => page);

  after(async () => {
    await workbench?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const palette = (command: string) => run(page, command);
  const notification = (text: string | RegExp) => waitForNotification(page, text);
  const hideCenter = () => hideNotifications(page);
  const sidebar = () => page.locator('.part.sidebar');
  const runsPane = () =>
    sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
  const tenantsPane = () =>
    sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Tenants' }) });
  const row = (text: string | RegExp) => tenantsPane().locator('.monaco-list-row', { hasText: text });
  const details = (): FrameLocator => activeWebview(page);

  async function pushAndExecute(job: string) {
    await open(page, `${job}.scanjob.json`);
    // The palette offers Push Job once the editor side has seen the job file (scanjobs.jobFileActive)
    // and a tenant is connected; the job's lenses show both.
    await page.locator('.codelens-decoration a', { hasText: 'Push to' }).first().waitFor({ timeout: 60000 });
    await palette('Scan Jobs: Push Job');
    await notification(new RegExp(`created ${job} on local`));
    await palette('Notifications: Clear All Notifications');
    await palette('Scan Jobs: Execute Job');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: job }).first().click();
  }

  it('opens a failed run from the end notification: which objects failed and why, the lines, the chart', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Scan Jobs"]').click();
    await sidebar().getByText('No tenants yet').waitFor({ timeout: 60000 });
    const edge = await sidebar().boundingBox();
    if (edge) {
      await page.mouse.move(edge.x + edge.width + 1, 300);
      await page.mouse.down();
      await page.mouse.move(edge.x + edge.width + 200, 300, { steps: 8 });
      await page.mouse.up();
    }
    await sidebar().getByRole('button', { name: 'Start Local Tenant' }).first().click();
    await row(/^local/).waitFor({ timeout: 60000 });
    await pushAndExecute('pickyScan');
    const end = await notification(/pickyScan on local: COMPLETED, \d+\/\d+ processed, \d+ failed/);
    await end.hover();
    await end.getByRole('button', { name: 'Open Details' }).click();
    const doc = details();
    await doc.getByText('COMPLETED with failures').waitFor({ timeout: 30000 });
    await doc.locator('table.list tbody tr').first().waitFor();
    const text = await doc.locator('body').innerText();
    assert.match(text, /Job\s+pickyScan/);
    assert.match(text, /Failed objects \d+/);
    assert.match(text, /managed\/alpha_user\/\S+\s+script returned boolean, not true/);
    assert.match(text, /WARN\s+managed\/alpha_user\/\S+ refusing a/);
    assert.match(text, /INFO\s+managed\/alpha_user\/\S+ kept /);
    assert.equal(await doc.locator('svg polyline.processed').count(), 1);
    assert.equal(await doc.getByRole('button', { name: 'Cancel Run' }).count(), 0);
    await hideCenter();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotDir, 'run-details-failures.png') });

    // The tree: its own icon and words for COMPLETED with failures, not the green check.
    await row(/^local/).click();
    await row('pickyScan').locator('.monaco-tl-twistie').click();
    const failed = row(/COMPLETED with failures · \d+\/\d+/);
    await failed.waitFor({ timeout: 30000 });
    assert.equal(await failed.locator('.codicon-warning').count(), 1);
    await page.screenshot({ path: path.join(shotDir, 'run-tree-failures.png') });
  });

  it('opens an active run from the tree, follows it live, and cancels it from the page', async () => {
    await pushAndExecute('slowScan');
    await hideCenter();
    const active = runsPane().locator('.monaco-list-row', { hasText: /slowScan · .*ACTIVE · \d+\/\d+/ });
    await active.waitFor({ timeout: 60000 });
    await active.click();
    const doc = details();
    await doc.getByRole('button', { name: 'Cancel Run' }).waitFor({ timeout: 30000 });
    const before = await doc.locator('body').innerText();
    const processed = Number(/(\d+) of \d+ processed/.exec(before)?.[1]);
    // Live: the counts move without any click.
    await doc
      .locator('body')
      .filter({ hasText: new RegExp(`(?!${processed} of)\\d+ of \\d+ processed`) })
      .waitFor({ timeout: 30000 });
    await doc.locator('svg polyline.processed').waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(shotDir, 'run-details-live.png') });
    await doc.getByRole('button', { name: 'Cancel Run' }).click();
    await doc.getByText('CANCELLED', { exact: true }).waitFor({ timeout: 60000 });
    const after = await doc.locator('body').innerText();
    assert.match(after, /seen by this client/);
    assert.equal(await doc.getByRole('button', { name: 'Cancel Run' }).count(), 0);
    await runsPane()
      .locator('.monaco-list-row', {
        hasText: /slowScan · .*CANCELLED · \d+\/\d+ · \d+ ok · 0 failed · \d+ (ms|s)/,
      })
      .waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(shotDir, 'run-details-cancelled.png') });
  });

  it('follows a light theme', async () => {
    writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      `${JSON.stringify({ 'workbench.colorTheme': 'Default Light Modern' })}\n`,
    );
    // The failed run's page again, from its row in the Runs view.
    await runsPane().locator('.monaco-list-row', { hasText: 'pickyScan' }).click();
    const body = details().locator('body');
    await body.getByText('COMPLETED with failures').waitFor({ timeout: 30000 });
    // Light Modern's editor background is white; the page takes it from --vscode-editor-background.
    const deadline = Date.now() + 30000;
    let bg = '';
    while (Date.now() < deadline) {
      bg = await body.evaluate((b) => b.ownerDocument.defaultView?.getComputedStyle(b).backgroundColor ?? '');
      if (bg === 'rgb(255, 255, 255)') break;
      await page.waitForTimeout(250);
    }
    assert.equal(bg, 'rgb(255, 255, 255)');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shotDir, 'run-details-light.png') });
  });
});
