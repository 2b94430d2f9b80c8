// The workbench as a person sees it: the packaged .vsix installed into a real VS Code, the
// documentation's job opened, its problems in the editor and the Problems panel, and the filter
// highlighted by our grammar. The screenshot is kept in test-results/ui/ for people to look at;
// the assertions read the same visible text.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { root } from './vsix';
import { openWorkbench, palette, quickOpen as open, type Workbench } from './workbench';

/** The page's window, as seen from code Playwright runs in the browser (tsconfig has no DOM lib). */
type BrowserWindow = { getComputedStyle(element: unknown): { color: string } };
/** What the Markdown preview's frame offers the test (tsconfig has no DOM lib). */
type RenderedPage = {
  scrollY: number;
  document: {
    getElementById(
      id: string,
    ): { getBoundingClientRect(): { top: number }; textContent: string | null } | null;
  };
};

const shotDir = path.join(root, 'test-results', 'ui');

/** A job whose script ends in a call, not `true;` (script-not-true, a warning). */
const PATCH_ONLY = {
  type: 'cron',
  schedule: '0 0 2 * * ?',
  persisted: true,
  invokeService: 'taskscanner',
  invokeContext: {
    waitForCompletion: true,
    scan: {
      _queryFilter: '((/sunset/date lt "${Time.now}") and !(/sunset/task-completed pr))',
      object: 'managed/alpha_user',
      taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
      recovery: { timeout: '10m' },
    },
    task: {
      script: {
        type: 'text/javascript',
        source:
          'var patch = [{ operation: "replace", field: "/active", value: false }];\n\nopenidm.patch(objectID, null, patch);',
      },
    },
  },
};

describe('the editor with the documentation job', function () {
  this.timeout(180000);
  let workbench: Workbench | undefined;
  let page: Page;
  let workspace: string;

  before(async function () {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-ui-'));
    cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    // In ci/, which stays collapsed in the first pictures; a file written after the window opened
    // was not always found by Quick Open in time on a loaded machine.
    writeFileSync(
      path.join(workspace, 'ci', 'patchOnly.scanjob.json'),
      JSON.stringify(PATCH_ONLY, null, 2) + '\n',
    );
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

  it("opens a problem's rule code as the rule's section of the rules, rendered, at its heading", async () => {
    // The code link of the escape problem in the Problems panel (the same link the hover shows).
    const link = page.locator('.markers-panel a.monaco-link', { hasText: 'json-invalid-escape' }).first();
    await link.click();
    await page.locator('.tab.active', { hasText: /Preview rules\.md/ }).waitFor({ timeout: 60000 });
    // The preview's content lives in a webview frame: find the one that renders the rules.
    type Seen = { top: number; scrolled: number; text: string };
    const atHeading = (h: Seen | undefined): boolean => !!h && h.scrolled > 0 && h.top >= -2 && h.top < 120;
    let heading: Seen | undefined;
    let last: Seen | undefined;
    for (let tries = 0; !atHeading(heading) && tries < 120; tries++) {
      heading = undefined;
      for (const frame of page.frames()) {
        heading = await frame
          .evaluate(() => {
            const doc = (globalThis as unknown as RenderedPage).document;
            const h = doc.getElementById('json-invalid-escape');
            if (!h) return undefined;
            const view = globalThis as unknown as RenderedPage;
            return { top: h.getBoundingClientRect().top, scrolled: view.scrollY, text: h.textContent ?? '' };
          })
          .catch(() => undefined);
        if (heading) break;
      }
      // The preview scrolls to the anchor once it has rendered, and may scroll again while the page
      // is still laying out (seen once in CI: scrolled 340 px with the heading 171 px down): wait for
      // the heading to settle at the top rather than judging the first scroll.
      if (heading) last = heading;
      if (!atHeading(heading)) await page.waitForTimeout(500);
    }
    heading = heading ?? last;
    assert.ok(heading, 'no rendered rules.md scrolled to #json-invalid-escape');
    assert.equal(heading.text.trim(), 'json-invalid-escape');
    // Rendered, and scrolled so that the rule's heading is at the top, not line 1 of the file.
    assert.ok(heading.scrolled > 0, JSON.stringify(heading));
    assert.ok(heading.top >= -2 && heading.top < 120, JSON.stringify(heading));
    await page.screenshot({ path: path.join(shotDir, 'rule-link-preview.png') });
  });

  it("shows a script's findings in the script Edit Script opens, counted once, its breadcrumb the job's name", async () => {
    await quickOpen('patchOnly.scanjob.json');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems
      .getByText(/not `true`/)
      .first()
      .waitFor({ timeout: 30000 });
    const before = await problemCounts(page);
    assert.equal(occurrences(await problems.innerText(), /not `true`/g), 1);

    await palette(page, 'Scan Jobs: Edit Script');
    await page.locator('.tab.active', { hasText: 'patchOnly.js' }).waitFor({ timeout: 30000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.squiggly-warning').first().waitFor({ timeout: 30000 });
    await problems.getByText('patchOnly.js').first().waitFor({ timeout: 30000 });
    // The job's copy turns into a hint, which leaves Problems: the finding is listed once, under the script.
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document
          .querySelector('.markers-panel')
          ?.textContent.split('not `true`').length === 2,
      undefined,
      { timeout: 30000 },
    );
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(shotDir, 'script-findings.png') });
    const panel = await problems.innerText();
    // Listed under the script, at its line 3 column 1 (the JSON puts it on one long line), and once.
    assert.match(panel, /patchOnly\.js[\s\S]*not `true`[\s\S]*\[Ln 3, Col 1\]/);
    assert.equal(occurrences(panel, /not `true`/g), 1, panel);
    // The status bar counts it once: the same counts as with the job alone.
    assert.deepEqual(await problemCounts(page), before);
    // The breadcrumb reads like the job: the script's place in the workspace, not the extension's storage.
    const crumbs = (await page.locator('.editor-group-container.active .breadcrumbs-control').innerText())
      .split(/\s*\n\s*|\s*›\s*/)
      .filter(Boolean);
    assert.deepEqual(crumbs.slice(0, 3), ['.scanjobs', 'scripts', 'patchOnly.js'], crumbs.join(' › '));
    assert.doesNotMatch(crumbs.join('/'), /globalStorage|User|scanjobs\.scanjobs/);
  });
});

/** How often a pattern occurs in a text. */
const occurrences = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** The status bar's problem counts (errors, warnings, infos as it shows them). */
async function problemCounts(page: Page): Promise<string> {
  return (await page.locator('[id="status.problems"]').innerText()).replace(/\s+/g, ' ').trim();
}
