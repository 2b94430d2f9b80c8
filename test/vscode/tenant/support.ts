// What the tenant suite shares: the extension's inspection API, job builders, a second emulator with a
// service account (started as the extension starts its local tenant: the editor's runtime running
// dist/emulator-host.js), and reading the extension's log files.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TenantInspection } from '../../../src/extension/tenant/inspect';
import { scanJobsApi, scanJobsExtension, waitFor, workspaceRoot } from '../ext';

// The tenant suite's job builders, so a job means the same thing in both suites.
export { scanJob, scriptJob, slowScript } from '../../tenant/support/jobs';

export async function inspection(): Promise<TenantInspection> {
  await scanJobsExtension().activate();
  return scanJobsApi().tenantInspection();
}

/** Writes `<name>.scanjob.json` into the workspace and opens it. */
export async function writeJob(name: string, job: Record<string, unknown>): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), 'jobs', `${name}.scanjob.json`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(job, null, 2)}\n`, 'utf8'));
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

const extensionRoot = () => scanJobsExtension().extensionPath;

export interface ServiceAccountTenant {
  url: string;
  accountId: string;
  jwk: string;
  stop(): void;
}

/** A second local tenant with a registered service account (the CLI's `emulator service-account`). */
export async function startServiceAccountTenant(): Promise<ServiceAccountTenant> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-sa-'));
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  const out = execFileSync(
    process.execPath,
    [path.join(extensionRoot(), 'dist/cli.js'), 'emulator', 'service-account', '--data', data],
    { env, encoding: 'utf8' },
  );
  const accountId = /Service account (\S+) registered/.exec(out)?.[1];
  const jwk = out.split('\n').find((l) => l.startsWith('{'));
  if (!accountId || !jwk) throw new Error(`unexpected output of emulator service-account:\n${out}`);
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(extensionRoot(), 'dist/emulator-host.js'), '--port', '0', '--data', data, '--seed-users', '5'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (text += d));
  const url = await waitFor('the service-account tenant to listen', () => {
    const line = text.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as { url: string }).url : undefined;
  });
  return { url, accountId, jwk, stop: () => child.kill() };
}

/**
 * Another local tenant process (the editor's runtime running dist/emulator-host.js on port 0, five
 * seeded users), with extra arguments such as `--flavor openidm`; its data folder is a fresh one.
 */
export async function startTenantProcess(args: string[] = []): Promise<{ url: string; stop(): void }> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'scanjobs-tenant-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(extensionRoot(), 'dist/emulator-host.js'),
      '--port',
      '0',
      '--data',
      data,
      '--seed-users',
      '5',
      ...args,
    ],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (text += d));
  const url = await waitFor('the tenant process to listen', () => {
    const line = text.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as { url: string }).url : undefined;
  });
  return { url, stop: () => child.kill() };
}

/** Every file under a folder, with its text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push({ file: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

/** The extension host's log files (ours among them), read fresh. */
export function extensionHostLogs(i: TenantInspection): { file: string; text: string }[] {
  return filesUnder(path.dirname(i.logFolder.fsPath));
}

/** The "Scan Jobs" output channel's log file, waiting until it holds `until`. */
export async function outputText(i: TenantInspection, until: RegExp): Promise<string> {
  return waitFor(`the Scan Jobs output to match ${until}`, () => {
    const f = extensionHostLogs(i).find((l) => /Scan Jobs/.test(path.basename(l.file)));
    return f && until.test(f.text) ? f.text : undefined;
  });
}

/** The labels filter completion offers at the end of `filter`, a _queryFilter string in the job file. */
export async function completionLabels(uri: vscode.Uri, filter: string): Promise<string[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const end = doc.getText().indexOf(JSON.stringify(filter)) + JSON.stringify(filter).length - 1;
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    doc.positionAt(end),
  );
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** The titles of the tenant lenses (push, execute, diff) over a job file. */
export async function tenantLensTitles(uri: vscode.Uri): Promise<string[]> {
  return waitFor('the tenant lenses', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    const titles = lenses
      .filter((l) =>
        ['scanjobs.pushJob', 'scanjobs.executeJob', 'scanjobs.diffJob'].includes(l.command?.command ?? ''),
      )
      .map((l) => l.command!.title);
    return titles.length === 3 ? titles : undefined;
  });
}
