// One job from a job file of any layout, its script inlined, for the commands that run it somewhere
// other than the tenant's scheduler (preview, dry-run). A file with several jobs needs --job.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './io';
import { jobNameFromPath, layoutOf, nodeFileAccess, parseJobFile, resolveJob } from '../core/job';

export interface LoadedJob {
  path: string;
  name: string;
  job: Record<string, unknown>;
}

export function loadJob(cwd: string, file: string, jobName: string | undefined): LoadedJob {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const doc = parseJobFile(text);
  if (doc.jobs.length === 0) throw new UsageError(`${path}: no scheduler job in this file`);
  const layout = layoutOf(path);
  const names = doc.jobs.map((e) => e.name ?? jobNameFromPath(path, layout));
  let jobIndex = 0;
  if (jobName !== undefined) {
    jobIndex = names.indexOf(jobName);
    if (jobIndex < 0) throw new UsageError(`${path} has no job '${jobName}' (it has: ${names.join(', ')})`);
  } else if (doc.jobs.length > 1) {
    throw new UsageError(
      `${path} holds ${doc.jobs.length} jobs (${names.join(', ')}): choose one with --job`,
    );
  }
  const resolved = resolveJob({ path, text, files: nodeFileAccess, jobIndex });
  if (!resolved.ok) throw new UsageError(`${path}: ${resolved.message}`);
  return { path, name: names[jobIndex]!, job: resolved.job };
}

/** `--sample N`: a whole number from `min` to `max`. */
export function sampleOption(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new UsageError(
      `--sample must be a whole number from 0 to ${max.toLocaleString('en-US')}, got '${value}'`,
    );
  return Number(value);
}

/** `--format text|json` (and the tenant commands' `--json`). */
export function formatOption(format: string | undefined, json: boolean | undefined): 'text' | 'json' {
  if (format === undefined) return json ? 'json' : 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, got '${format}'`);
  return format;
}
