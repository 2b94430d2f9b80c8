// Typed builders for the job files the in-editor tests open (idm-api.md §2.1, §5.1), and a place
// to write them: a fresh folder inside the test workspace, so workspace-level behaviour applies.
import * as vscode from 'vscode';
import { workspaceRoot } from './ext';

export interface ScanJob {
  enabled: boolean;
  type: 'cron' | 'simple';
  schedule?: string;
  startTime?: string;
  timeZone?: string;
  persisted: boolean;
  concurrentExecution: boolean;
  invokeService: 'taskscanner';
  invokeContext: {
    waitForCompletion: boolean;
    numberOfThreads: number;
    scan: {
      _queryFilter: string;
      object: string;
      taskState: { started: string; completed: string };
      recovery?: { timeout: string };
    };
    task: { script: { type: 'text/javascript'; globals: Record<string, unknown>; source: string } };
  };
}

export function scanJob(
  over: { filter?: string; schedule?: string; timeZone?: string; source?: string } = {},
): ScanJob {
  return {
    enabled: true,
    type: 'cron',
    schedule: over.schedule ?? '0 0 2 ? * SUN',
    ...(over.timeZone ? { timeZone: over.timeZone } : {}),
    persisted: true,
    concurrentExecution: false,
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: true,
      numberOfThreads: 5,
      scan: {
        _queryFilter: over.filter ?? '((/sunset/date lt "${Time.now}") and !(/sunset/task-completed pr))',
        object: 'managed/alpha_user',
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
        recovery: { timeout: '10m' },
      },
      task: {
        script: {
          type: 'text/javascript',
          globals: {},
          source:
            over.source ??
            'openidm.patch(objectID, null, [{ operation: "replace", field: "/active", value: false }]);\ntrue;',
        },
      },
    },
  };
}

// Each test file is its own bundle with its own copy of this module, so folder names must not
// rely on a counter alone.
const run = Math.random().toString(36).slice(2, 8);
let written = 0;
const caseFolder = () => `case-${run}-${++written}`;

/** Writes text as `<name>` in a new folder of the workspace and opens it in an editor. */
export async function openFile(name: string, text: string): Promise<vscode.TextEditor> {
  const folder = vscode.Uri.joinPath(workspaceRoot(), caseFolder());
  await vscode.workspace.fs.createDirectory(folder);
  const uri = vscode.Uri.joinPath(folder, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return vscode.window.showTextDocument(uri, { preview: false });
}

export function openJob(job: ScanJob, name = 'job.scanjob.json'): Promise<vscode.TextEditor> {
  return openFile(name, JSON.stringify(job, null, 2) + '\n');
}

/** Copies a folder of the workspace (a copy of examples/) into a new folder; returns the copy. */
export async function copyExample(relPath: string): Promise<vscode.Uri> {
  const target = vscode.Uri.joinPath(workspaceRoot(), caseFolder(), relPath);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(workspaceRoot(), relPath), target);
  return target;
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}
