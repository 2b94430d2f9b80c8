// Moving a job's script between the JSON and a file, as text edits that keep the user's
// formatting: only the script's key and value change. Extract writes the layout's own convention
// (fr-config-manager `"file": "<name>.js"`, Frodo `"source": "file://…"`, IDM `script/<name>.js`);
// inline reverses it, so extract then inline gives the file back byte for byte whenever the
// script was written the way JSON.stringify writes it. Resolve gives the job as it is pushed:
// fr-config-manager does the same inlining before a push (idm-api.md §3.2).
import * as path from 'node:path';
import { modify } from 'jsonc-parser';
import { JobDocument, JobEntry, keyOf, nodeAt, parseJobFile, stringOf } from './document';
import { FileAccess, layoutOf, resolveScriptPath, scriptBase, scriptReferenceStyle } from './layout';
import { SCRIPT_PATH } from './script';
import { JobLayout, TextEdit } from './types';

export interface LayoutInput {
  path: string;
  text: string;
  files?: FileAccess;
  /** Which job of a file with several (a Frodo export); default the first. */
  jobIndex?: number;
}

export type LayoutResult<T> = ({ ok: true } & T) | { ok: false; message: string };

/** Fields the server adds to responses; they are not part of what is pushed (idm-api.md §2.2). */
const READ_ONLY = ['triggers', 'nextRunDate', 'previousRunDate', '$schema'];

function pickJob(input: LayoutInput): LayoutResult<{ doc: JobDocument; job: JobEntry; layout: JobLayout }> {
  const doc = parseJobFile(input.text);
  const broken = doc.diagnostics.find((d) => d.severity === 'error');
  if (broken) return { ok: false, message: `fix the JSON first: ${broken.message}` };
  const job = doc.jobs[input.jobIndex ?? 0];
  if (!job) return { ok: false, message: 'no scheduler job in this file' };
  return { ok: true, doc, job, layout: layoutOf(input.path) };
}

function jobFileStem(filePath: string): string {
  return path
    .basename(filePath)
    .replace(/(\.scanjob|\.idm)?\.json$/, '')
    .replace(/^schedule-/, '');
}

/** Applies non-overlapping edits to a text (the edits' `path` is ignored). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}

/** The job as it will be pushed: the script inlined as `source`, editor and server fields removed. */
export function resolveJob(input: LayoutInput): LayoutResult<{ job: Record<string, unknown>; json: string }> {
  const picked = pickJob(input);
  if (!picked.ok) return picked;
  const job = structuredClone(picked.job.value);
  for (const f of READ_ONLY) delete job[f];
  const script = (job.invokeContext as { task?: { script?: Record<string, unknown> } } | undefined)?.task
    ?.script;
  if (script) {
    const ref =
      typeof script.source === 'string' && script.source.startsWith('file://')
        ? script.source
        : typeof script.file === 'string' && typeof script.source !== 'string'
          ? script.file
          : undefined;
    if (ref !== undefined) {
      const where = resolveScriptPath(input.path, picked.layout, ref, input.files);
      if (!where.ok) return where;
      const content = input.files?.readFile(where.absPath);
      if (content === undefined) return { ok: false, message: `script file not found: ${where.absPath}` };
      delete script.file;
      script.source = content;
    }
  }
  return { ok: true, job, json: `${JSON.stringify(job, null, 2)}\n` };
}

/** Moves an inline `source` to a file beside the job, in the layout's convention. */
export function extractScript(
  input: LayoutInput,
): LayoutResult<{ edits: TextEdit[]; file: { path: string; text: string } }> {
  const picked = pickJob(input);
  if (!picked.ok) return picked;
  const { doc, job, layout } = picked;
  const scriptNode = nodeAt(job.node, SCRIPT_PATH);
  const source = nodeAt(scriptNode, ['source']);
  if (source?.type !== 'string')
    return { ok: false, message: 'the job has no inline script (`task.script.source`)' };
  const script = stringOf(doc.text, source).value;
  if (script.startsWith('file://')) return { ok: false, message: 'the script is already in a file' };
  if (nodeAt(scriptNode, ['file']))
    return { ok: false, message: 'the script has both `source` and `file`; remove one first' };
  const name = job.name ?? jobFileStem(input.path);
  const style = scriptReferenceStyle(layout);
  const ref =
    style === 'file-url'
      ? 'invokeContext.task.script.js'
      : layout === 'idm-conf'
        ? `script/${name}.js`
        : `${name}.js`;
  const absPath = path.resolve(scriptBase(input.path, layout), ref);
  const existing = input.files?.readFile(absPath);
  if (existing !== undefined && existing !== script) {
    return { ok: false, message: `${absPath} already exists with other content; move it away first` };
  }
  let edits: TextEdit[];
  if (style === 'file-url') {
    edits = modify(doc.text, [...job.path, ...SCRIPT_PATH, 'source'], `file://${ref}`, {}).map((e) => ({
      start: e.offset,
      end: e.offset + e.length,
      newText: e.content,
    }));
  } else {
    const key = keyOf(source)!;
    edits = [
      { start: key.offset, end: key.offset + key.length, newText: '"file"' },
      { start: source.offset, end: source.offset + source.length, newText: JSON.stringify(ref) },
    ];
  }
  return { ok: true, edits, file: { path: absPath, text: script } };
}

/** Puts a script file's text back into the job as `source`; `obsolete` is the file it came from. */
export function inlineScript(input: LayoutInput): LayoutResult<{ edits: TextEdit[]; obsolete: string }> {
  const picked = pickJob(input);
  if (!picked.ok) return picked;
  const { doc, job, layout } = picked;
  const scriptNode = nodeAt(job.node, SCRIPT_PATH);
  const source = nodeAt(scriptNode, ['source']);
  const file = nodeAt(scriptNode, ['file']);
  const refNode =
    source?.type === 'string' && stringOf(doc.text, source).value.startsWith('file://')
      ? source
      : file?.type === 'string' && !source
        ? file
        : undefined;
  if (!refNode) return { ok: false, message: 'the script is not in a file (no `file` or `file://` source)' };
  const where = resolveScriptPath(input.path, layout, stringOf(doc.text, refNode).value, input.files);
  if (!where.ok) return where;
  const content = input.files?.readFile(where.absPath);
  if (content === undefined) return { ok: false, message: `script file not found: ${where.absPath}` };
  const edits: TextEdit[] = [
    { start: refNode.offset, end: refNode.offset + refNode.length, newText: JSON.stringify(content) },
  ];
  if (refNode === file) {
    const key = keyOf(file)!;
    edits.push({ start: key.offset, end: key.offset + key.length, newText: '"source"' });
  }
  return { ok: true, edits, obsolete: where.absPath };
}
