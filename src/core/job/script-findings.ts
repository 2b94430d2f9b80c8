// The findings of a job's inline script, placed in the script itself (issue 16 item 4). Edit Script
// opens the script (a JSON string in the job) as a JavaScript file; there the user needs the script
// rules' findings (script-syntax, script-not-true, script-throw, rhino-compat, …) at their place in
// the script text, for the text being typed, not the job's saved string. So the job is checked as it
// would be with that text as its script (every rule sees the whole job: the platform, the script
// type), and each finding inside the script string is mapped back through the string's escapes.
import { nodeAt, parseJobFile, type JsonPath } from './document';
import { JsonString, encodeJsonString } from './json-string';
import type { FileAccess } from './layout';
import { SCRIPT_PATH } from './script';
import type { Fix, JobDiagnostic, Platform } from './types';
import { validateJob } from './validate';

export interface ScriptFindingsInput {
  /** The job file's path and text. */
  path: string;
  text: string;
  /** Which job of the file (its JsonPath: `[]`, or a Frodo export's `['idm', 'schedule/x']`). */
  job: JsonPath;
  /** The script's text as the user has it now. */
  script: string;
  files?: FileAccess;
  platform?: Platform;
}

const samePath = (a: JsonPath, b: JsonPath) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * The job's findings that lie inside its inline script, with offsets into `script`, and the fixes
 * that edit only the script (their text decoded from JSON). Undefined when that job has no inline
 * `source` string any more.
 */
export function scriptFindings(input: ScriptFindingsInput): JobDiagnostic[] | undefined {
  const job = parseJobFile(input.text).jobs.find((j) => samePath(j.path, input.job));
  const source = nodeAt(job?.node, [...SCRIPT_PATH, 'source']);
  if (source?.type !== 'string') return undefined;
  const encoded = encodeJsonString(input.script);
  const text = input.text.slice(0, source.offset) + encoded + input.text.slice(source.offset + source.length);
  const str = JsonString.decode(text, source.offset, encoded.length);
  // Inside the quotes; an edit at the closing quote appends to the script.
  const first = source.offset + 1;
  const closing = source.offset + encoded.length - 1;
  const inside = (start: number, end: number) => start >= first && end <= closing && start <= end;
  const found: JobDiagnostic[] = [];
  for (const d of validateJob({ path: input.path, text, files: input.files, platform: input.platform })) {
    if (d.path || !inside(d.start, d.end)) continue;
    const fixes = (d.fixes ?? []).flatMap((fix) => scriptFix(fix, str, inside));
    found.push({
      ...d,
      start: str.indexAt(d.start),
      end: str.indexAt(d.end),
      fixes: fixes.length ? fixes : undefined,
    });
  }
  return found;
}

/** A fix in script terms, or nothing when it also edits the job outside the script. */
function scriptFix(fix: Fix, str: JsonString, inside: (start: number, end: number) => boolean): Fix[] {
  if (!fix.edits.every((e) => !e.path && inside(e.start, e.end))) return [];
  try {
    const edits = fix.edits.map((e) => ({
      start: str.indexAt(e.start),
      end: str.indexAt(e.end),
      newText: JSON.parse(`"${e.newText}"`) as string,
    }));
    return [{ title: fix.title, edits }];
  } catch {
    return []; // text that is not the inside of a JSON string cannot be decoded into the script
  }
}
