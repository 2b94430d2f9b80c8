// Syntax errors of a task script, found by compiling it (never running it) with the JavaScript
// engine we run on: V8 parses a 1 MB script several times faster than a parser written in
// JavaScript, and caches the result, so re-checking an unchanged script while the user edits the
// rest of the job costs nothing. Like Rhino (idm-api.md §5.6) it reads a script, so a top-level
// `return` is an error.
import { Script } from 'node:vm';

export interface ScriptSyntaxError {
  message: string;
  /** Offsets into the script text. */
  start: number;
  end: number;
}

const FILE = 'scanjobs-task-script.js';

/** Offset of the first character of 1-based line `line`. */
function lineStart(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return at;
}

/**
 * V8 reports the position only in the stack: `<file>:<line>`, the source line, and a caret line
 * under the offending token. The caret's column and width give the range.
 */
function positionOf(err: Error, text: string): { start: number; end: number } {
  const lines = (err.stack ?? '').split('\n');
  const head = lines.findIndex((l) => l.startsWith(`${FILE}:`));
  if (head < 0) return { start: 0, end: Math.min(1, text.length) };
  const line = Number(lines[head].slice(FILE.length + 1));
  const start = lineStart(text, line);
  const lineEnd = text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start);
  const caret = /^( *)(\^+)\s*$/.exec(lines[head + 2] ?? '');
  // The caret is trustworthy only when V8 echoed the whole source line.
  if (!caret || lines[head + 1] !== text.slice(start, lineEnd).replace(/\r$/, '')) {
    return { start, end: Math.max(start + 1, lineEnd) };
  }
  const col = caret[1].length;
  return { start: start + col, end: start + col + caret[2].length };
}

export function scriptSyntaxError(text: string): ScriptSyntaxError | undefined {
  try {
    new Script(text, { filename: FILE });
    return undefined;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return { message: err.message, ...positionOf(err, text) };
  }
}
