// `scanjobs validate <files or folders…>`: the editor's job diagnostics, as compiler-style lines.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CliIO, UsageError } from '../io';
import {
  PLATFORMS,
  isJobFile,
  nodeFileAccess,
  readJobFile,
  validateJob,
  type DecodedFile,
  type JobDiagnostic,
  type Platform,
} from '../../core/job';
import { TenantError } from '../../core/tenant';
import { toGithubAnnotations, toSarif, type Finding } from '../render/findings';
import { profileFile } from '../render/session';

const FORMATS = ['text', 'json', 'sarif', 'github'];

const HELP = `Usage: scanjobs validate <files or folders…> [--format text|json|sarif|github]
                         [--platform aic|idm|openidm | --tenant <profile>]

Checks scan-job files: JSON, the job schema, the Quartz cron, the query filter, the script, and the
rules in docs/rules.md. Folders are walked for job files of every layout (*.scanjob.json,
fr-config-manager schedules/<name>/<name>.json, Frodo *.idm.json, IDM conf/schedule-*.json).

  --format text   path:line:col: error|warning|info CODE message   (default)
  --format json   one JSON array of findings
  --format sarif  SARIF 2.1.0 for code-scanning uploads (rule ids, help links, exact regions)
  --format github GitHub Actions workflow commands: one ::error/::warning/::notice annotation a finding
  --platform      aic, idm or openidm: the platform the jobs are for. openidm turns on the checks
                  learned from the open-source OpenIDM (docs/rules.md): a filter cut after its last
                  macro, simple jobs that delete themselves, pr on hyphenated fields
  --tenant        take the platform from this tenant profile's "platform" (no request is sent)

Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 a file could not be read, 3 usage.
`;

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', '.cache']);

/** Line and column (1-based, UTF-16 units as editors count them) of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(p, out);
    } else if (entry.isFile() && entry.name.endsWith('.json')) {
      out.push(p);
    }
  }
}

type Format = 'text' | 'json' | 'sarif' | 'github';
const FORMAT_SET: ReadonlySet<string> = new Set(FORMATS);

interface Options {
  format: Format;
  platform: Platform | undefined;
  paths: string[];
}

/** The command line, or undefined after printing the help. */
function options(argv: string[], io: CliIO): Options | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', default: 'text' },
        platform: { type: 'string' },
        tenant: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return undefined;
  }
  const format = parsed.values.format;
  if (!FORMAT_SET.has(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const platform = platformOf(parsed.values.platform, parsed.values.tenant, io);
  if (parsed.positionals.length === 0) throw new UsageError('name at least one job file or folder');
  return { format: format as Format, platform, paths: parsed.positionals };
}

/** The job files named or found in the named folders; a string when an argument does not exist. */
function jobFiles(paths: string[], io: CliIO): string[] | string {
  const jobs: string[] = [];
  for (const arg of paths) {
    const abs = resolve(io.cwd, arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      return `no such file or folder: ${arg}`;
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      walk(abs, found);
      for (const f of found) {
        const text = nodeFileAccess.readFile(f);
        if (text !== undefined && isJobFile(f, text)) jobs.push(f);
      }
    } else {
      jobs.push(abs); // named explicitly: checked even when it does not look like a job
    }
  }
  return jobs;
}

/** The findings of one job file, placed by line and column in the file each one is in. */
function check(file: string, decoded: DecodedFile, platform: Platform | undefined, cwd: string): Finding[] {
  const diagnostics: JobDiagnostic[] = validateJob({
    path: file,
    text: decoded.text,
    files: nodeFileAccess,
    platform,
    encoding: decoded,
  });
  return diagnostics.map((d) => {
    const where = d.path ?? file;
    const whereText = d.path ? (nodeFileAccess.readFile(d.path) ?? '') : decoded.text;
    const start = position(whereText, d.start);
    const end = position(whereText, d.end);
    return {
      path: relative(cwd, where) || where,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

function print(findings: Finding[], files: number, format: Format, io: CliIO): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  } else if (format === 'sarif') {
    io.stdout.write(`${JSON.stringify(toSarif(findings, pathToFileURL(io.cwd).href), null, 2)}\n`);
  } else if (format === 'github') {
    io.stdout.write(toGithubAnnotations(findings));
  } else {
    for (const f of findings)
      io.stdout.write(`${f.path}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    io.stderr.write(
      files === 0
        ? 'no job files found\n'
        : `${files} job file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
    );
  }
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const opts = options(argv, io);
  if (!opts) return 0;
  const jobs = jobFiles(opts.paths, io);
  if (typeof jobs === 'string') {
    io.stderr.write(`scanjobs validate: ${jobs}\n`);
    return 2;
  }
  const findings: Finding[] = [];
  for (const file of jobs) {
    let decoded: DecodedFile;
    try {
      decoded = readJobFile(file);
    } catch (e) {
      io.stderr.write(
        `scanjobs validate: cannot read ${relative(io.cwd, file) || file}: ${(e as Error).message}\n`,
      );
      return 2;
    }
    findings.push(...check(file, decoded, opts.platform, io.cwd));
  }
  print(findings, jobs.length, opts.format, io);
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** The target platform: `--platform`, or the `platform` of the profile `--tenant` names (offline). */
function platformOf(option: string | undefined, tenant: string | undefined, io: CliIO): Platform | undefined {
  if (option !== undefined && tenant !== undefined)
    throw new UsageError('give --platform or --tenant, not both');
  if (option !== undefined) {
    if (!PLATFORMS.includes(option as Platform))
      throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}, not '${option}'`);
    return option as Platform;
  }
  if (tenant === undefined) return undefined;
  let profile;
  try {
    profile = profileFile(io).get(tenant);
  } catch (err) {
    throw new UsageError((err as TenantError).message);
  }
  if (!profile) throw new UsageError(`no tenant profile named '${tenant}' (scanjobs tenants list)`);
  if (!profile.platform)
    io.stderr.write(
      `tenant '${tenant}' has no "platform" in its profile: checking without one (scanjobs tenants add ${tenant} … --platform aic|idm|openidm)\n`,
    );
  return profile.platform;
}
