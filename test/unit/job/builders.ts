// Typed builders for job files: a valid scan job by default, with overrides per test.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateJob, nodeFileAccess, type JobDiagnostic, type Platform } from '../../../src/core/job';

export interface ScanSpec {
  object?: string;
  _queryFilter?: string;
  taskState?: { started?: unknown; completed?: unknown };
  recovery?: { timeout?: unknown };
  [key: string]: unknown;
}

export interface ScriptSpec {
  type?: string;
  source?: string;
  file?: string;
  globals?: Record<string, unknown>;
}

export interface JobSpec {
  _id?: string;
  enabled?: boolean | string;
  persisted?: boolean;
  type?: string;
  schedule?: string | null;
  startTime?: string;
  repeatInterval?: number;
  concurrentExecution?: boolean | string;
  invokeService?: string;
  invokeContext?: {
    waitForCompletion?: boolean | string;
    numberOfThreads?: unknown;
    scan?: ScanSpec;
    task?: { script?: ScriptSpec };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export const GOOD_FILTER = '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))';
export const GOOD_SCRIPT = 'logger.info("sunset {}", objectID);\nopenidm.patch(objectID, null, []);\ntrue;';

/** A job that passes every check. */
export function scanJob(over: JobSpec = {}): JobSpec {
  const base: JobSpec = {
    enabled: true,
    persisted: true,
    type: 'cron',
    schedule: '0 0 2 * * ?',
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: false,
      numberOfThreads: 5,
      scan: {
        _queryFilter: GOOD_FILTER,
        object: 'managed/alpha_user',
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
        recovery: { timeout: '10m' },
      },
      task: { script: { type: 'text/javascript', source: GOOD_SCRIPT } },
    },
  };
  return { ...base, ...over, invokeContext: over.invokeContext ?? base.invokeContext };
}

/** The same job with parts of invokeContext replaced. */
export function withContext(
  ctx: { scan?: Partial<ScanSpec>; script?: Partial<ScriptSpec>; [key: string]: unknown },
  over: JobSpec = {},
): JobSpec {
  const job = scanJob(over);
  const ic = job.invokeContext!;
  const { scan, script, ...rest } = ctx;
  return {
    ...job,
    invokeContext: {
      ...ic,
      ...rest,
      scan: { ...ic.scan!, ...scan },
      task: { script: { ...ic.task!.script!, ...script } },
    },
  };
}

export function jobText(job: unknown): string {
  return `${JSON.stringify(job, null, 2)}\n`;
}

export function check(
  job: unknown,
  opts: { path?: string; platform?: Platform; text?: string } = {},
): JobDiagnostic[] {
  return validateJob({
    path: opts.path ?? '/work/jobs/sunset.scanjob.json',
    text: opts.text ?? jobText(job),
    platform: opts.platform,
    files: nodeFileAccess,
  });
}

export function codes(diagnostics: JobDiagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** A temporary folder with the given files (relative path → content); returns its path. */
export function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'scanjobs-job-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}
