// Where jobs live on disk and how a job names its script file (peers.md §1.1 Frodo, §1.2
// fr-config-manager; idm-api.md §3.2 conf/schedule-*.json). DESIGN.md "Files stay where they
// belong": a script reference resolves only inside the job's own folder tree.
import * as path from 'node:path';
import { JobLayout } from './types';

/**
 * Globs specific enough for the `jsonValidation` contribution: they never match unrelated JSON.
 * Other job files (fr-config-manager, Frodo) are recognized by content through isJobFile.
 */
export const JOB_SCHEMA_FILE_PATTERNS = ['**/*.scanjob.json', '**/conf/schedule-*.json'];

const TASKSCANNER_SERVICE = /"invokeService"\s*:\s*"(?:org\.forgerock\.openidm\.)?taskscanner"/i;

function posix(p: string): string {
  return p.replace(/\\/g, '/');
}

export function layoutOf(filePath: string): JobLayout {
  const p = posix(filePath);
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (base.endsWith('.scanjob.json')) return 'scanjob';
  if (base.endsWith('.idm.json')) return 'frodo';
  if (/(^|\/)conf\/schedule-[^/]+\.json$/.test(p)) return 'idm-conf';
  const m = /(^|\/)schedules\/([^/]+)\/([^/]+)\.json$/.exec(p);
  if (m && m[2] === m[3]) return 'fr-config-manager';
  return 'plain';
}

/** The job name a file's layout implies (the docs/cli.md push table), for a job without an `_id`. */
export function jobNameFromPath(filePath: string, layout: JobLayout): string {
  const p = posix(filePath);
  const parts = p.split('/');
  const file = parts[parts.length - 1];
  if (layout === 'scanjob') return file.replace(/\.scanjob\.json$/, '');
  if (layout === 'idm-conf') return file.replace(/^schedule-/, '').replace(/\.json$/, '');
  if (layout === 'fr-config-manager') return parts[parts.length - 2] ?? file.replace(/\.json$/, '');
  return file.replace(/(\.idm)?\.json$/, '');
}

/**
 * Whether the editor and `scanjobs validate` treat a file as a scan job: `*.scanjob.json` always,
 * any other JSON file when it declares the task scanner as its `invokeService`.
 */
export function isJobFile(filePath: string, text: string): boolean {
  const p = posix(filePath);
  if (!p.endsWith('.json')) return false;
  if (p.endsWith('.scanjob.json')) return true;
  return TASKSCANNER_SERVICE.test(text);
}

/** The folder a layout's script references are relative to. */
export function scriptBase(jobPath: string, layout: JobLayout): string {
  const dir = path.dirname(jobPath);
  // IDM resolves `file` against the project folder, the parent of conf/ (e.g. "script/sunset.js").
  if (layout === 'idm-conf' && path.basename(dir) === 'conf') return path.dirname(dir);
  return dir;
}

/** How a layout writes a reference to a script file beside the job. */
export function scriptReferenceStyle(layout: JobLayout): 'file' | 'file-url' {
  return layout === 'frodo' ? 'file-url' : 'file';
}

/** Reads files for script references; the default uses the file system (file-access.ts). */
export interface FileAccess {
  readFile(absPath: string): string | undefined;
  /** The path with links resolved, or undefined when it does not exist. */
  realPath?(absPath: string): string | undefined;
}

export type ScriptPath = { ok: true; absPath: string } | { ok: false; message: string };

/** Resolves a `file` value or a `file://` source inside the job's folder tree, or says why not. */
export function resolveScriptPath(
  jobPath: string,
  layout: JobLayout,
  ref: string,
  files?: FileAccess,
): ScriptPath {
  const rel = ref.startsWith('file://') ? ref.slice('file://'.length) : ref;
  if (rel === '') return { ok: false, message: 'the script reference is empty' };
  if (path.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) {
    return {
      ok: false,
      message: `script reference '${ref}' is an absolute path: only paths inside the job's folder are resolved`,
    };
  }
  const base = path.resolve(scriptBase(jobPath, layout));
  const absPath = path.resolve(base, posix(rel));
  const inside = (root: string, p: string) => {
    const r = path.relative(root, p);
    return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  };
  if (!inside(base, absPath)) {
    return { ok: false, message: `script reference '${ref}' leads out of the job's folder ${base}` };
  }
  const real = files?.realPath?.(absPath);
  const realBase = files?.realPath?.(base) ?? base;
  if (real !== undefined && !inside(realBase, real)) {
    return {
      ok: false,
      message: `script reference '${ref}' is a link that leads out of the job's folder, to ${real}`,
    };
  }
  return { ok: true, absPath };
}
