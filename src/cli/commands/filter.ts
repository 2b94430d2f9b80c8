// `scanjobs filter check|eval|format`: thin rendering over src/core/queryfilter.

import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliIO, UsageError } from '../io';
import {
  evaluateFilter,
  expandMacros,
  lintFilter,
  originalOffset,
  parseFilter,
  printCanonical,
  printReadable,
  type FilterError,
} from '../../core/queryfilter';

const HELP = `Usage:
  scanjobs filter check <filter>            print the canonical form (exit 0) or the error (exit 1)
  scanjobs filter check --jsonl             stdin: one JSON string per line; stdout: one result per line
  scanjobs filter eval <filter> --object <file> [--now <ISO time>]
                                            expand \${Time.now}, evaluate against the JSON object: true/false
  scanjobs filter eval --jsonl              stdin: {"filter":"…","object":{…},"now":"…"} per line
  scanjobs filter format <filter>           print the readable form (re-parses to the same filter)

Exit codes: 0 done, 1 invalid filter (or any invalid line with --jsonl), 3 usage or bad input.
`;

interface ErrorJson {
  code: string;
  message: string;
  upstreamMessage: string;
  start: number;
  end: number;
}

function errorJson(e: FilterError): ErrorJson {
  return { code: e.code, message: e.message, upstreamMessage: e.upstreamMessage, start: e.start, end: e.end };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(HELP);
    return sub ? 0 : 3;
  }
  switch (sub) {
    case 'check':
      return check(rest, io);
    case 'eval':
      return evalCommand(rest, io);
    case 'format':
      return format(rest, io);
    default:
      throw new UsageError(`unknown subcommand '${sub}': use check, eval or format`);
  }
}

const OPTIONS = {
  jsonl: { type: 'boolean' },
  object: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** node:util parseArgs over every filter option, then only the ones this subcommand takes. */
function parse(argv: string[], sub: string, allowed: (keyof typeof OPTIONS)[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  for (const key of Object.keys(parsed.values)) {
    if (key !== 'help' && !allowed.includes(key as keyof typeof OPTIONS)) {
      throw new UsageError(`'filter ${sub}' does not take --${key}`);
    }
  }
  return parsed;
}

function onePositional(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`missing ${what} (quote it for the shell: '…')`);
  if (positionals.length > 1) {
    throw new UsageError(
      `expected one ${what}, got ${positionals.length} arguments: quote the whole filter as one argument`,
    );
  }
  return positionals[0]!;
}

async function check(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, 'check', ['jsonl']);
  if (values.help) return help(io);
  if (values.jsonl) {
    if (positionals.length > 0)
      throw new UsageError('--jsonl reads filters from stdin; do not also pass a filter argument');
    return eachLine(io, (line) => {
      if (typeof line !== 'string')
        return { out: { valid: false, error: badLine('a JSON string') }, invalid: true, malformed: true };
      const r = parseFilter(line);
      return r.ok
        ? { out: { valid: true, normalized: printCanonical(r.ast) }, invalid: false }
        : { out: { valid: false, error: errorJson(r.error) }, invalid: true };
    });
  }
  const text = onePositional(positionals, 'filter');
  const r = parseFilter(text);
  if (!r.ok) return reportError(io, text, r.error);
  io.stdout.write(printCanonical(r.ast) + '\n');
  writeLints(io, text);
  return 0;
}

async function format(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, 'format', []);
  if (values.help) return help(io);
  const text = onePositional(positionals, 'filter');
  const r = parseFilter(text);
  if (!r.ok) return reportError(io, text, r.error);
  io.stdout.write(printReadable(r.ast) + '\n');
  return 0;
}

async function evalCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, 'eval', ['jsonl', 'object', 'now']);
  if (values.help) return help(io);
  if (values.jsonl) {
    if (positionals.length > 0 || values.object !== undefined || values.now !== undefined) {
      throw new UsageError(
        '--jsonl reads {"filter","object","now"} lines from stdin; it takes no other arguments',
      );
    }
    return eachLine(io, (line) => {
      if (line === null || typeof line !== 'object' || Array.isArray(line)) {
        return {
          out: { error: badLine('an object {"filter":"…","object":{…}}') },
          invalid: true,
          malformed: true,
        };
      }
      const rec = line as Record<string, unknown>;
      if (typeof rec.filter !== 'string')
        return { out: { error: badLine('"filter" as a string') }, invalid: true, malformed: true };
      if (!('object' in rec))
        return { out: { error: badLine('an "object" member') }, invalid: true, malformed: true };
      let now = new Date();
      if (rec.now !== undefined) {
        const parsed = typeof rec.now === 'string' ? parseNow(rec.now) : undefined;
        if (!parsed)
          return {
            out: { error: badLine('"now" as an ISO time such as 2026-01-31T00:00:00Z') },
            invalid: true,
            malformed: true,
          };
        now = parsed;
      }
      const result = evaluate(rec.filter, rec.object, now);
      return 'result' in result
        ? { out: result, invalid: false }
        : { out: { error: result.error }, invalid: true };
    });
  }
  const text = onePositional(positionals, 'filter');
  if (values.object === undefined)
    throw new UsageError('missing --object <file>: the JSON object to evaluate against');
  let now = new Date();
  if (values.now !== undefined) {
    const parsed = parseNow(values.now);
    if (!parsed)
      throw new UsageError(`--now '${values.now}' is not an ISO time such as 2026-01-31T00:00:00Z`);
    now = parsed;
  }
  const object = await readObject(io, values.object);
  const result = evaluate(text, object, now);
  if ('result' in result) {
    io.stdout.write(`${result.result}\n`);
    return 0;
  }
  if (result.parseError) {
    io.stderr.write(
      `error [${result.error.code}]: ${result.error.message}\n${caret(text, result.error.start, result.error.end)}`,
    );
    io.stderr.write(
      `the server answers ${result.parseError.httpStatus}: ${result.parseError.upstreamKind}: ${result.error.upstreamMessage}\n`,
    );
    return 1;
  }
  io.stderr.write(`${result.error.message}\n${caret(text, result.error.start, result.error.end)}`);
  return 1;
}

type Evaluation = { result: boolean } | { error: ErrorJson; parseError?: FilterError; expanded: string };

/** §9 then §8.1: macros are expanded with `now`, and the expanded text is parsed and evaluated. */
function evaluate(filter: string, object: unknown, now: Date): Evaluation {
  const expanded = expandMacros(filter, now);
  const failed = expanded.problems.find((p) => p.severity === 'error');
  if (failed) {
    return {
      error: {
        code: failed.code,
        message: failed.message,
        upstreamMessage: failed.upstreamMessage ?? '',
        start: failed.start,
        end: failed.end,
      },
      expanded: filter,
    };
  }
  const r = parseFilter(expanded.text);
  if (!r.ok) {
    // Spans refer to the text as the user wrote it. The unexpanded text usually fails the same way
    // (macros sit inside strings); its message then also has the right columns.
    const raw = expanded.replacements.length > 0 ? parseFilter(filter) : r;
    const e = !raw.ok && raw.error.code === r.error.code ? raw.error : r.error;
    const start = e === r.error ? originalOffset(expanded, e.start) : e.start;
    const end = e === r.error ? Math.max(start, originalOffset(expanded, e.end, 'end')) : e.end;
    return {
      error: { ...errorJson(e), upstreamMessage: r.error.upstreamMessage, start, end },
      parseError: e,
      expanded: filter,
    };
  }
  return { result: evaluateFilter(r.ast, object) };
}

function parseNow(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

async function readObject(io: CliIO, file: string): Promise<unknown> {
  const path = isAbsolute(file) ? file : resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read --object file '${file}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--object file '${file}' is not valid JSON: ${(e as Error).message}`);
  }
}

function badLine(expected: string): { code: string; message: string } {
  return { code: 'malformed-line', message: `expected ${expected}` };
}

interface LineResult {
  out: unknown;
  invalid: boolean;
  malformed?: boolean;
}

/** Reads stdin line by line; a malformed line gets an error object and processing goes on. */
async function eachLine(io: CliIO, handle: (value: unknown) => LineResult): Promise<number> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let invalid = false;
  let malformed = 0;
  for await (const raw of rl) {
    lineNo++;
    if (raw.trim() === '') continue;
    let value: unknown;
    let result: LineResult;
    try {
      value = JSON.parse(raw);
      result = handle(value);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      result = {
        out: { error: { code: 'malformed-line', message: `line ${lineNo} is not valid JSON: ${e.message}` } },
        invalid: true,
        malformed: true,
      };
    }
    if (result.malformed) {
      malformed++;
      const err = (result.out as { error: { message: string } }).error;
      if (!err.message.startsWith('line ')) err.message = `line ${lineNo}: ${err.message}`;
      io.stderr.write(`scanjobs filter: ${err.message}\n`);
    }
    invalid ||= result.invalid;
    io.stdout.write(JSON.stringify(result.out) + '\n');
  }
  if (malformed > 0) {
    io.stderr.write(`scanjobs filter: ${malformed} malformed input line(s)\n`);
    return 3;
  }
  return invalid ? 1 : 0;
}

function reportError(io: CliIO, text: string, e: FilterError): number {
  io.stderr.write(`error [${e.code}]: ${e.message}\n${caret(text, e.start, e.end)}`);
  io.stderr.write(`the server answers ${e.httpStatus}: ${e.upstreamKind}: ${e.upstreamMessage}\n`);
  return 1;
}

function writeLints(io: CliIO, text: string): void {
  for (const l of lintFilter(text)) {
    io.stderr.write(`${l.severity} [${l.code}]: ${l.message}\n${caret(text, l.start, l.end)}`);
  }
}

const visible: Record<string, string> = { '\t': '→', '\n': '↵', '\r': '␍' };

/** The filter on one line (control characters made visible) and `^` under the span. */
export function caret(text: string, start: number, end: number): string {
  let line = '';
  let marks = '';
  let offset = 0;
  for (const ch of text) {
    const shown = visible[ch] ?? (ch.charCodeAt(0) < 32 || ch === '\u007f' ? '·' : ch);
    const inSpan = offset >= start && offset < Math.max(end, start + 1);
    line += shown;
    marks += inSpan ? '^' : ' ';
    offset += ch.length;
  }
  if (start >= text.length) marks += '^';
  return `  ${line}\n  ${marks.trimEnd()}\n`;
}

function help(io: CliIO): number {
  io.stdout.write(HELP);
  return 0;
}
