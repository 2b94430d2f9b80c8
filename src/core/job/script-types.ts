// Wiring the script globals' types (types/idm-script.d.ts: input, objectID, openidm, logger…) into a
// user's workspace, so that job scripts kept in files get completion and checks from VS Code's
// TypeScript server. The types go into the workspace itself (never a path outside it, which breaks as
// soon as the folder is copied), and jsconfig.json names them.
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';

/** Where the types file goes, relative to the workspace folder. */
export const SCRIPT_TYPES_PATH = '.scanjobs/idm-script.d.ts';

/** A new jsconfig.json: job scripts are ES5-era Rhino code, checked as JavaScript. */
const FRESH = {
  compilerOptions: {
    checkJs: true,
    noEmit: true,
    target: 'ES2015',
    lib: ['ES2015'],
    strict: false,
    types: [],
  },
  include: ['**/*.js', SCRIPT_TYPES_PATH],
};

export type JsconfigResult = { ok: true; text: string; changed: boolean } | { ok: false; message: string };

/**
 * jsconfig.json with the types included: a new file when there is none, else the user's file with
 * `SCRIPT_TYPES_PATH` added to its `include` (formatting and comments kept; unchanged when present).
 */
export function jsconfigWithScriptTypes(existing: string | undefined): JsconfigResult {
  if (existing === undefined || existing.trim() === '')
    return { ok: true, text: `${JSON.stringify(FRESH, null, 2)}\n`, changed: true };
  const errors: ParseError[] = [];
  const config = parse(existing, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length || typeof config !== 'object' || config === null || Array.isArray(config))
    return {
      ok: false,
      message: 'jsconfig.json is not a JSON object: fix it first, then run the command again',
    };
  const include = (config as { include?: unknown }).include;
  if (include !== undefined && !Array.isArray(include))
    return { ok: false, message: 'jsconfig.json has an "include" that is not a list' };
  if (Array.isArray(include) && include.includes(SCRIPT_TYPES_PATH))
    return { ok: true, text: existing, changed: false };
  const next = Array.isArray(include) ? [...include, SCRIPT_TYPES_PATH] : ['**/*.js', SCRIPT_TYPES_PATH];
  const edits = modify(existing, ['include'], next, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  return { ok: true, text: applyEdits(existing, edits), changed: true };
}
