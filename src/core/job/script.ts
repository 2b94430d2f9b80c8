// The task script of a job, wherever it lives: inline in `source` (a JSON string, positions
// mapped through its escapes), or in a file named by `file` or by a Frodo `file://` source.
import { Node } from 'jsonc-parser';
import { JobEntry, nodeAt, stringOf } from './document';
import { JsonString } from './json-string';
import { FileAccess, resolveScriptPath } from './layout';
import { JobDiagnostic, JobLayout, TextEdit } from './types';

export const SCRIPT_PATH = ['invokeContext', 'task', 'script'];

export interface JobScript {
  text: string;
  /** The script file, when the script is not inline. */
  file?: string;
  /** The JSON node holding the script or its reference. */
  node: Node;
  /** Range in the job file (inline) or in `file` for script positions [start, end). */
  range(start: number, end: number): { start: number; end: number; path?: string };
  /** An edit that appends `code` to the end of the script. */
  append(code: string): TextEdit;
  /** An edit that inserts `code` at offset `at` of the script. */
  insert(at: number, code: string): TextEdit;
}

function inlineScript(node: Node, s: JsonString): JobScript {
  return {
    text: s.value,
    node,
    range: (start, end) => s.rangeOf(start, end),
    append: (code) => {
      const at = s.offsetOf(s.value.length);
      return { start: at, end: at, newText: JSON.stringify(code).slice(1, -1) };
    },
    insert: (at, code) => {
      const offset = s.offsetOf(at);
      return { start: offset, end: offset, newText: JSON.stringify(code).slice(1, -1) };
    },
  };
}

function fileScript(node: Node, file: string, text: string): JobScript {
  return {
    text,
    file,
    node,
    range: (start, end) => ({ start, end, path: file }),
    append: (code) => ({ start: text.length, end: text.length, newText: code, path: file }),
    insert: (at, code) => ({ start: at, end: at, newText: code, path: file }),
  };
}

export interface ScriptLookup {
  script?: JobScript;
  diagnostics: JobDiagnostic[];
}

/** Finds and reads the script of a job; a reference that cannot be followed is a diagnostic. */
export function findScript(
  text: string,
  job: JobEntry,
  jobPath: string,
  layout: JobLayout,
  files?: FileAccess,
): ScriptLookup {
  const scriptNode = nodeAt(job.node, SCRIPT_PATH);
  const source = nodeAt(scriptNode, ['source']);
  const file = nodeAt(scriptNode, ['file']);
  let refNode: Node | undefined;
  let ref: string | undefined;
  if (source?.type === 'string') {
    const s = stringOf(text, source);
    if (!s.value.startsWith('file://')) return { script: inlineScript(source, s), diagnostics: [] };
    refNode = source;
    ref = s.value;
  } else if (file?.type === 'string') {
    refNode = file;
    ref = stringOf(text, file).value;
  }
  if (!refNode || ref === undefined) return { diagnostics: [] };
  const at = { start: refNode.offset, end: refNode.offset + refNode.length };
  const resolved = resolveScriptPath(jobPath, layout, ref, files);
  if (!resolved.ok) {
    return {
      diagnostics: [{ severity: 'error', code: 'script-file-outside', message: resolved.message, ...at }],
    };
  }
  const content = files?.readFile(resolved.absPath);
  if (content === undefined) {
    return {
      diagnostics: [
        {
          severity: files ? 'error' : 'info',
          code: 'script-file-missing',
          message: files
            ? `script file not found: ${resolved.absPath}`
            : `script file ${resolved.absPath} was not read, so the script is not checked`,
          ...at,
        },
      ],
    };
  }
  return { script: fileScript(refNode, resolved.absPath, content), diagnostics: [] };
}
