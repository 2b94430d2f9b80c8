// A tenant command that cannot reach its tenant, or whose sign-in is refused, says which tenant and
// offers Retry (the same command with the same arguments), Edit Tenant and Show Output (issue 16
// item 3): against a closed port, the local tenant spoken to over TLS it does not serve, and the local
// tenant with a wrong password.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scanJobsApi, waitFor } from '../ext';
import { inspection, scanJob, writeJob } from './support';
import { closedPort } from '../../support/closed-port';

const CONNECTION_ACTIONS = ['Retry', 'Edit Tenant', 'Show Output'];
const WRONG_PASSWORD = 'not-the-admin-password-7c1f';

async function addTenant(name: string, baseUrl: string, secret: string): Promise<void> {
  const added = await vscode.commands.executeCommand<string>('scanjobs.addTenant', {
    name,
    baseUrl,
    signIn: 'idm-password',
    username: 'openidm-admin',
    environment: 'development',
    secret,
  });
  assert.equal(added, name);
}

/** Runs a command and returns the one notification it showed, with its index for answerShown. */
async function failureOf(command: string, ...args: unknown[]) {
  const before = scanJobsApi().shownMessages().length;
  assert.equal(await vscode.commands.executeCommand(command, ...args), undefined, command);
  const shown = scanJobsApi().shownMessages();
  assert.equal(shown.length - before, 1, `${command}: ${JSON.stringify(shown.slice(before))}`);
  return { ...shown[shown.length - 1], index: shown.length - 1 };
}

describe('connection failures of tenant commands', () => {
  let job: vscode.Uri;
  let localUrl: string;

  before(async () => {
    localUrl = await vscode.commands.executeCommand<string>('scanjobs.startLocalTenant');
    job = await writeJob('reachable', scanJob({ stateKey: 'h3' }));
    await addTenant('closed', `http://127.0.0.1:${await closedPort()}`, 'openidm-admin');
    await addTenant('wrongpw', localUrl, WRONG_PASSWORD);
    // The local tenant serves plain HTTP: a TLS handshake with it fails.
    await addTenant('notls', localUrl.replace(/^http:/, 'https:'), 'openidm-admin');
  });

  after(async () => {
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'local');
    await vscode.workspace
      .getConfiguration('scanjobs')
      .update('tenants', undefined, vscode.ConfigurationTarget.Workspace);
  });

  // Every command that talks to the active tenant, with arguments that ask no question first.
  const commands: [string, string, () => unknown[]][] = [
    ['pushJob', 'Push Job', () => [job]],
    ['diffJob', 'Diff with Tenant', () => [job]],
    ['executeJob', 'Execute Job', () => [job]],
    ['previewMatches', 'Preview Matches', () => [job]],
    ['pullJob', 'Pull Job', () => []],
    ['deleteJob', 'Delete Job', () => []],
    ['pauseJob', 'Pause Job', () => []],
    ['resumeJob', 'Resume Job', () => []],
    ['triggerJob', 'Trigger Job', () => []],
    ['showJobHistory', 'Show Job History', () => []],
    ['cancelRun', 'Cancel Run', () => []],
    ['watchRun', 'Watch Run', () => []],
    ['openRun', 'Open Run Details', () => []],
    ['testConnection', 'Test Connection', () => []],
  ];

  it('names the tenant and offers Retry, Edit Tenant and Show Output for every command, on a closed port', async function () {
    // Each read is tried 5 times over about 4 s before the command gives up (core/tenant/retry.ts).
    this.timeout(240_000);
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'closed');
    assert.equal((await inspection()).activeTenant(), 'closed');
    for (const [command, title, args] of commands) {
      const shown = await failureOf(`scanjobs.${command}`, ...args());
      assert.equal(shown.level, 'error', command);
      assert.match(
        shown.text,
        new RegExp(`^Scan Jobs: ${title} on closed: .*the connection was refused`),
        command,
      );
      assert.deepEqual(shown.actions, CONNECTION_ACTIONS, command);
    }
  });

  it('Edit Tenant on the notification opens Edit Tenant for the tenant it names, at its saved URL', async () => {
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'closed');
    const saved = () =>
      vscode.workspace
        .getConfiguration('scanjobs')
        .get<{ name: string; baseUrl: string }[]>('tenants', [])
        .find((t) => t.name === 'closed');
    const before = saved();
    assert.ok(before, 'the closed tenant is not saved');
    const shown = await failureOf('scanjobs.testConnection');
    assert.match(shown.text, /^Scan Jobs: Test Connection on closed: /);
    const stepsBefore = (await scanJobsApi().shownSteps()).length;
    // What the notification's button does; it resolves once the flow ends (here: closed).
    const picked = scanJobsApi().answerShown(shown.index, 'Edit Tenant');
    const first = await waitFor(
      'the first step of Edit Tenant',
      async () => (await scanJobsApi().shownSteps()).slice(stepsBefore)[0],
    );
    // The idm-password flow when editing: URL, sign-in, user, password, environment (name and
    // settings file stay).
    assert.deepEqual(first, {
      title: 'Edit Tenant closed',
      step: 1,
      totalSteps: 5,
      question: 'Tenant URL — a host alone gets https:// (http:// for localhost and 127.0.0.1)',
      value: before.baseUrl,
    });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await picked, undefined, 'closing the input cancels the edit');
    assert.deepEqual(saved(), before);
  });

  it('says the TLS handshake failed, with the same actions', async () => {
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'notls');
    const shown = await failureOf('scanjobs.pushJob', job);
    assert.match(shown.text, /^Scan Jobs: Push Job on notls: .*the TLS handshake failed/);
    assert.deepEqual(shown.actions, CONNECTION_ACTIONS);
  });

  it('says the sign-in was refused on the local tenant, and Retry runs the same command again', async () => {
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'wrongpw');
    const shown = await failureOf('scanjobs.pushJob', job);
    assert.match(shown.text, /^Scan Jobs: Push Job on wrongpw: /);
    assert.match(shown.text, /refused|401|Unauthorized/i);
    assert.ok(!shown.text.includes(WRONG_PASSWORD), shown.text);
    assert.deepEqual(shown.actions, CONNECTION_ACTIONS);
    // Fixed as Edit Tenant fixes it, then Retry: the push of the same file, which now lands.
    await vscode.commands.executeCommand('scanjobs.editTenant', { name: 'wrongpw', secret: 'openidm-admin' });
    const before = scanJobsApi().shownMessages().length;
    assert.equal(await scanJobsApi().answerShown(shown.index, 'Retry'), 'reachable');
    const [done] = scanJobsApi().shownMessages().slice(before);
    assert.deepEqual(done, { level: 'info', text: 'Scan Jobs: created reachable on wrongpw.' });
  });

  it('offers Show Output alone for a failure that is not the connection, still naming the tenant', async () => {
    // A run id the local tenant does not know: the tenant answered, so Retry or Edit Tenant would not help.
    await vscode.commands.executeCommand('scanjobs.selectTenant', 'local');
    const shown = await failureOf('scanjobs.watchRun', { tenant: 'local', runId: 'no-such-run' });
    assert.match(shown.text, /^Scan Jobs: Watch Run on local: /);
    assert.deepEqual(shown.actions, ['Show Output']);
  });
});
