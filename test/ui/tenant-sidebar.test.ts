// The tenant side as a person uses it: the Scan Jobs sidebar, the local tenant started from the
// welcome view, a job pushed from the palette, run from its context menu in the tree, a slow run
// cancelled from its progress notification, and the output channel following a run. Screenshots go
// to test-results/ui/; the assertions read the same visible text.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { scanJob as tenantScanJob } from '../tenant/support/jobs';
import {
  notification as notificationIn,
  openWorkbench,
  palette as run,
  quickOpen as open,
  screenshotFailures,
  shotDir,
  type Workbench,
} from './workbench';
import { closedPort } from '../support/closed-port';

/** A task-scanner job over the local tenant's seeded users, run at 03:00 (idm-api.md §2.1, §5.1). */
const scanJob = (stateKey: string, script: string, threads: number) =>
  tenantScanJob({ stateKey, script, threads, schedule: '0 0 3 * * ?' });

describe('the Scan Jobs sidebar on the local tenant', function () {
  this.timeout(240000);
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;

  before(async function () {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ui-tenant-'));
    writeFileSync(
      path.join(workspace, 'quickSweep.scanjob.json'),
      `${JSON.stringify(scanJob('quick', 'true;', 4), null, 2)}\n`,
    );
    writeFileSync(
      path.join(workspace, 'slowSweep.scanjob.json'),
      `${JSON.stringify(scanJob('slow', 'var t0 = Date.now(); while (Date.now() - t0 < 500) {} true;', 1), null, 2)}\n`,
    );
    // The packaged .vsix, installed as a user would: Start Local Tenant then runs the emulator that
    // ships inside it, with its sandbox.
    workbench = await openWorkbench(workspace);
    page = workbench.page;
    mkdirSync(shotDir, { recursive: true });
  });

  screenshotFailures('tenant', () => page);

  after(async () => {
    await workbench?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const palette = (command: string) => run(page, command);
  const quickOpen = (name: string) => open(page, name);

  // This headless window keeps notifications in the notification center instead of showing toasts,
  // so the center is where they are read and where the progress notification's Cancel is clicked.
  const center = () => page.locator('.notifications-center');
  // The shared wait opens the center again when it hid itself, and tries the palette again when a
  // notification arriving took the focus from it (seen here: the palette closed under fill()).
  const notification = (text: string | RegExp) => notificationIn(page, text);

  /** The output panel's visible text, as one line. */
  async function outputShows(pattern: RegExp): Promise<string> {
    const lines = page.locator('.part.panel .monaco-editor .view-lines');
    const deadline = Date.now() + 60000;
    for (;;) {
      // Non-breaking spaces and the panel's soft wraps become plain spaces.
      const text = (await lines.innerText().catch(() => '')).replace(/\s+/g, ' ');
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`the output never showed ${pattern}:\n${text}`);
      await page.waitForTimeout(250);
    }
  }

  /** Picks a context-menu item; VS Code ignores a click that comes right after the menu opened. */
  async function menuItem(label: string) {
    const item = page.locator('.context-view .action-label', { hasText: label });
    await item.waitFor();
    await page.waitForTimeout(400);
    await item.click();
    await item.waitFor({ state: 'hidden' });
  }

  const sidebar = () => page.locator('.part.sidebar');
  const tenantsPane = () =>
    sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Tenants' }) });
  const row = (text: string | RegExp) => tenantsPane().locator('.monaco-list-row', { hasText: text });

  it('opens on a welcome view and starts the local tenant from it', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Scan Jobs"]').click();
    await sidebar().getByText('No tenants yet').waitFor({ timeout: 60000 });
    // A wider sidebar (drag its edge), so the screenshots show the runs' descriptions whole.
    const edge = await sidebar().boundingBox();
    if (edge) {
      await page.mouse.move(edge.x + edge.width + 1, 300);
      await page.mouse.down();
      await page.mouse.move(edge.x + edge.width + 240, 300, { steps: 8 });
      await page.mouse.up();
    }
    await sidebar().getByRole('button', { name: 'Start Local Tenant' }).first().click();
    await row(/^local/).waitFor({ timeout: 60000 });
    const text = await row(/^local/).innerText();
    assert.match(text, /local\s*development · active · 127\.0\.0\.1:\d+/);
    const status = page.locator('.statusbar').getByText(/Local tenant :\d+/);
    await status.waitFor();
    // One click opens the tenant menu; it stops nothing by itself (issue 16 item 2).
    await status.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Stop Local Tenant' }).waitFor();
    await page.keyboard.press('Escape');
    await row(/^local/).waitFor();
    await status.waitFor();
  });

  it('pushes one job from its CodeLens and one from the Explorer, then runs one from its context menu in the tree', async () => {
    // The first job file opened also starts the editor side, whose lenses carry Push.
    await quickOpen('quickSweep.scanjob.json');
    await page.locator('.codelens-decoration a', { hasText: 'Push' }).first().click({ timeout: 60000 });
    await notification('created quickSweep on local');
    // The second from the Explorer's context menu.
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'slowSweep.scanjob.json' })
      .click({ button: 'right' });
    await menuItem('Push Job');
    await notification('created slowSweep on local');
    await palette('Notifications: Clear All Notifications');
    await page.locator('.activitybar .action-item a[aria-label^="Scan Jobs"]').click();
    await row(/^local/).click(); // expand
    await row('quickSweep').waitFor({ timeout: 30000 });
    assert.match(
      await row('quickSweep').innerText(),
      /quickSweep\s*enabled · next \d{4}-\d\d-\d\d 03:00 UTC/,
    );
    await row('quickSweep').click({ button: 'right' });
    await menuItem('Execute Job');
    await notification(/quickSweep on local: COMPLETED, \d+\/\d+ processed, 0 failed/);
    await row('quickSweep').locator('.monaco-tl-twistie').click(); // expand the job
    const run = row(/COMPLETED · \d+\/\d+ · \d+ ok · 0 failed/);
    await run.waitFor({ timeout: 30000 });
    assert.match(
      await run.innerText(),
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s*COMPLETED · (\d+)\/\1 · \1 ok · 0 failed/,
    );
    await palette('Notifications: Hide Notifications');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotDir, 'tenant-sidebar.png') });
  });

  it('follows a slow run in the output channel and cancels it from its notification', async () => {
    // An empty output first, so the whole run's lines fit in the panel.
    await palette('Scan Jobs: Show Output');
    await page.locator('.part.panel .monaco-editor').waitFor();
    await palette('Clear Output');
    await palette('Scan Jobs: Execute Job');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'slowSweep' }).click();
    const progress = await notification('slowSweep on local');
    await palette('Notifications: Hide Notifications');
    // A progress line with the rate and the time left (the second poll with progress has them).
    const lines = await outputShows(
      /slowSweep \S+ ACTIVE \d+\/200 \(\d+%\) · \d+ ok · 0 failed · [\d.]+ obj\/s · .+ left/,
    );
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.screenshot({ path: path.join(shotDir, 'tenant-output-mid-run.png') });
    assert.match(lines, /Executed slowSweep on local: run \S+/);
    assert.match(lines, /slowSweep \S+ (INITIALIZED → )?ACTIVE/);

    await palette('Notifications: Show Notifications');
    assert.match(await progress.innerText(), /slowSweep on local/);
    await progress.hover();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await outputShows(/slowSweep \S+ CANCELLED: \d+\/\d+ processed/);
    // The progress notification (the one with Cancel) has closed; the end notification replaced it.
    await center()
      .locator('.notification-list-item', { hasText: 'slowSweep on local' })
      .getByRole('button', { name: 'Cancel' })
      .waitFor({ state: 'detached', timeout: 10000 });
    await notification(/slowSweep on local: CANCELLED/);
    await row('slowSweep').locator('.monaco-tl-twistie').click();
    await row(/CANCELLED · \d+\/\d+/).waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(shotDir, 'tenant-cancelled.png') });
  });

  const input = () => page.locator('.quick-input-widget input');
  const answer = async (text: string) => {
    await input().waitFor();
    await input().fill(text);
    await page.keyboard.press('Enter');
  };
  const pick = (label: string) =>
    page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  // Each step's title carries "n/7"; waiting for it keeps an answer from landing in the step before.
  const title = () => page.locator('.quick-input-widget .quick-input-title');
  const atStep = async (n: number, of = 7, flow = 'Add Tenant') => {
    await title()
      .filter({ hasText: `(${n}/${of})` })
      .waitFor({ timeout: 30000 });
    assert.match(await title().innerText(), new RegExp(`^${flow} \\(${n}/${of}\\)`));
  };

  it('adds a production tenant through the guided flow, and asks before a write to it', async () => {
    const port = /Local tenant :(\d+)/.exec(await page.locator('.statusbar').innerText())?.[1];
    assert.ok(port, 'no local tenant port in the status bar');
    // The same local tenant, reached as a self-hosted IDM labelled production; the host is typed
    // without a scheme, and http:// is added because it is a loopback address.
    await palette('Scan Jobs: Add Tenant');
    await atStep(1);
    const back = page.locator('.quick-input-widget .quick-input-left-action-bar .action-label');
    assert.equal(await back.count(), 0, 'a Back button on the first step');
    await answer(`127.0.0.1:${port}`);
    await atStep(2);
    assert.match(
      (await input().getAttribute('placeholder')) ?? '',
      /How to sign in to http:\/\/127\.0\.0\.1:\d+/,
    );
    await pick('IDM user and password');
    await atStep(3);
    await page.screenshot({ path: path.join(shotDir, 'tenant-add-step.png') });
    // Back once: the sign-in step again, then forward with the user name kept.
    await back.first().click();
    await atStep(2);
    await pick('IDM user and password');
    await atStep(3);
    assert.equal(await input().inputValue(), 'openidm-admin');
    await page.keyboard.press('Enter');
    await atStep(4);
    await answer('openidm-admin');
    await atStep(5);
    await pick('production');
    await atStep(6);
    await answer('prod-idm');
    await atStep(7);
    await pick('Workspace settings');
    await row(/^prod-idm/).waitFor({ timeout: 30000 });
    assert.match(await row(/^prod-idm/).innerText(), /prod-idm\s*production · 127\.0\.0\.1:\d+/);
    const settings = readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8');
    assert.match(settings, /"name": "prod-idm"/);
    assert.match(settings, /"signIn": "idm-password"/);
    assert.doesNotMatch(settings, /"password"/);
    assert.match(settings, /"baseUrl": "http:\/\/127\.0\.0\.1:\d+"/);
    // It ends with a tested connection and what to do next.
    const done = await notification(/Added tenant prod-idm and connected/);
    assert.match(await done.innerText(), /Next: open a \*\.scanjob\.json file/);
    await page.screenshot({ path: path.join(shotDir, 'tenant-added.png') });
    await palette('Notifications: Hide Notifications');

    await row(/^prod-idm/).click(); // expand
    const prodJob = row('quickSweep').last();
    await page.waitForTimeout(500);
    await prodJob.click({ button: 'right' });
    await menuItem('Execute Job');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30000 });
    // It names the tenant and its address (issue 16 item 1).
    assert.match(
      await dialog.innerText(),
      /Execute quickSweep on the PRODUCTION tenant prod-idm \(http:\/\/127\.0\.0\.1:\d+\)\?/,
    );
    await page.screenshot({ path: path.join(shotDir, 'tenant-production-guard.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The palette's pick of jobs says which tenant (and address) it would pause them on.
    await palette('Scan Jobs: Pause Job');
    await title().filter({ hasText: 'Pause which job on' }).waitFor({ timeout: 30000 });
    assert.match(
      await title().innerText(),
      /^Pause which job on (local|prod-idm) \(http:\/\/127\.0\.0\.1:\d+\)\?$/,
    );
    await page.keyboard.press('Escape');
    await palette('Scan Jobs: Show Output');
    const text = await outputShows(/Added tenant prod-idm \(production/);
    assert.doesNotMatch(text, /Executed quickSweep on prod-idm/);
  });
  it('offers Edit Tenant when a tenant just added cannot be reached, and Edit Tenant opens that tenant', async () => {
    const port = await closedPort();
    // Only this flow's notification in the center, for the picture.
    await palette('Notifications: Clear All Notifications');
    await palette('Scan Jobs: Add Tenant');
    await atStep(1);
    await answer(`127.0.0.1:${port}`);
    await atStep(2);
    await pick('IDM user and password');
    await atStep(3);
    await page.keyboard.press('Enter');
    await atStep(4);
    await answer('openidm-admin');
    await atStep(5);
    await pick('development');
    await atStep(6);
    await answer('nowhere');
    await atStep(7);
    await pick('User settings');
    // Saved, then the connection test fails (its reads are retried for a few seconds first).
    const failed = await notification(/Added tenant nowhere, but the connection test failed/);
    const buttons = failed.locator('.monaco-button');
    assert.deepEqual(
      (await buttons.allInnerTexts()).map((t) => t.trim()),
      ['Retry', 'Edit Tenant', 'Show Output'],
    );
    await page.screenshot({ path: path.join(shotDir, 'tenant-connection-failed.png') });
    await buttons.filter({ hasText: 'Edit Tenant' }).click();
    // The Edit Tenant flow for that tenant, at its saved URL (name and settings file stay: 5 steps).
    await atStep(1, 5, 'Edit Tenant nowhere');
    assert.equal(await input().inputValue(), `http://127.0.0.1:${port}`);
    await page.screenshot({ path: path.join(shotDir, 'tenant-edit-from-failure.png') });
    await page.keyboard.press('Escape');
  });
});
