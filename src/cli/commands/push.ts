// `scanjobs push <file> [--dry-run]`: a job file of any layout to the tenant (idm-api.md §3.1–3.2).
import { resolve } from 'node:path';
import { CliIO, UsageError } from '../io';
import {
  DecodedFile,
  JobDocument,
  readJobFile,
  jobNameFromPath,
  layoutOf,
  nodeFileAccess,
  parseJobFile,
  resolveJob,
  validateJob,
  type JobDiagnostic,
} from '../../core/job';
import { CrestError, diffJob, formatJobChanges } from '../../core/tenant';
import { markJobLogging } from '../../core/logs';
import { EXIT, confirmProduction, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';

const HELP = `Usage: scanjobs push <job file> [--name <job>] [--dry-run] [--static|--dynamic] [--force]
                     [--mark-logs] [--tenant <name or URL>] [--yes] [--json]

Pushes the job (its script file inlined) with PUT, creating or updating it. The job name defaults to
the file's: <name>.scanjob.json, conf/schedule-<name>.json, schedules/<name>/<name>.json, or the
_id of each job in a Frodo export.
  --dry-run   print what would change on the tenant, change nothing
  --static    write the static schedule /openidm/config/schedule/<name> (promoted with the
              tenant's configuration) instead of the dynamic /openidm/scheduler/job/<name>
  --dynamic   write /openidm/scheduler/job/<name> even on OpenIDM
  --force     push even when the job has errors
  --mark-logs prefix the script's logger lines with "[scanjobs:<job>] " so 'scanjobs logs' and the
              editor tie them to this job even when other jobs run at the same time (docs/logs.md
              "Markers"); the file is not changed, and pull takes the markers out again

On OpenIDM (the profile's platform, or told by its run listing) the default is --static: its
task scanner executes only config schedules, and push says so. The job is checked
for the tenant's platform first (docs/rules.md "Target platform").
`;

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

type Prepared =
  { ok: true; jobs: { name: string; body: Record<string, unknown> }[] } | { ok: false; message: string };

/** Each job of the file as it would be pushed (script inlined, `persisted` set), or why none can be. */
function prepareJobs(path: string, text: string, doc: JobDocument, nameOption: string | undefined): Prepared {
  const layout = layoutOf(path);
  if (doc.jobs.length === 0) return { ok: false, message: 'the file holds no scheduler job it can read' };
  const jobs: { name: string; body: Record<string, unknown> }[] = [];
  for (const [jobIndex, entry] of doc.jobs.entries()) {
    const resolved = resolveJob({ path, text, files: nodeFileAccess, jobIndex });
    if (!resolved.ok) return { ok: false, message: resolved.message };
    const name = nameOption ?? entry.name ?? jobNameFromPath(path, layout);
    const { _id: _ignored, ...body } = resolved.job;
    // idm-api.md §2.1/§8.2: the create path defaults persisted to false; clients always send it.
    if (body.persisted === undefined) body.persisted = true;
    jobs.push({ name, body });
  }
  return { ok: true, jobs };
}

/** Prints the errors among `found`; false when they stop the push (no --force). */
function reportErrors(
  io: CliIO,
  path: string,
  text: string,
  found: JobDiagnostic[],
  force: boolean,
  context = '',
): boolean {
  const errors = found.filter((d) => d.severity === 'error');
  if (errors.length === 0) return true;
  for (const d of errors)
    io.stderr.write(
      `${d.path ?? path}:${lineCol(d.path ? '' : text, d.start)}: error: ${d.message} [${d.code}]\n`,
    );
  if (force) return true;
  io.stderr.write(`Not pushed: ${errors.length} error(s)${context} in ${path} (--force pushes anyway).\n`);
  return false;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      name: { type: 'string' },
      'dry-run': { type: 'boolean' },
      static: { type: 'boolean' },
      dynamic: { type: 'boolean' },
      force: { type: 'boolean' },
      'mark-logs': { type: 'boolean' },
      yes: { type: 'boolean' },
    },
    one: 'give one job file: scanjobs push <file>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const path = resolve(io.cwd, positionals[0]);
  let decoded: DecodedFile;
  try {
    decoded = readJobFile(path);
  } catch (err) {
    throw new UsageError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const text = decoded.text;
  const doc = parseJobFile(text);
  const offline = validateJob({ path, text, files: nodeFileAccess, document: doc, encoding: decoded });
  const errors = offline.filter((d) => d.severity === 'error');
  if (values.name && doc.jobs.length > 1)
    throw new UsageError(`${path} holds ${doc.jobs.length} jobs; --name applies to a file with one`);
  // What would be pushed, before deciding: some errors (a script outside the job's folder or missing,
  // a file with no job in it) leave nothing that even --force could push (issue 12 item 16).
  const prepared = prepareJobs(path, text, doc, values.name);
  if (errors.length > 0 || !prepared.ok) {
    for (const d of errors)
      io.stderr.write(
        `${d.path ?? path}:${lineCol(d.path ? '' : text, d.start)}: error: ${d.message} [${d.code}]\n`,
      );
    if (!prepared.ok || !values.force) {
      const why = prepared.ok
        ? '--force pushes anyway'
        : `--force cannot push it either: ${prepared.message}`;
      io.stderr.write(`Not pushed: ${errors.length} error(s) in ${path} (${why}).\n`);
      // docs/cli.md "Exit codes": 2 when a job was not pushed because of its errors.
      return EXIT.error;
    }
  }
  const jobs = prepared.jobs.map(({ name, body }) => {
    if (!values['mark-logs']) return { name, body };
    const marked = markJobLogging(body, name);
    if (marked.marked === 0) io.stderr.write(`note: ${name}: no logger call to mark in its script\n`);
    return { name, body: marked.job };
  });

  if (values.static && values.dynamic) throw new UsageError('give --static or --dynamic, not both');
  const seen = new Set(offline.map((d) => `${d.code}@${d.path ?? ''}:${d.start}`));

  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const openidm = await client.isOpenIdm(connection.platform);
    const platform = connection.platform ?? (openidm ? 'openidm' : undefined);
    if (platform) {
      // The checks that depend on the tenant's platform (docs/rules.md), now that it is known.
      const more = validateJob({ path, text, files: nodeFileAccess, document: doc, platform }).filter(
        (d) => !seen.has(`${d.code}@${d.path ?? ''}:${d.start}`),
      );
      if (!reportErrors(io, path, text, more, values.force === true, ` for ${platform}`)) return EXIT.error;
    }
    // idm-api.md §4.4: the fork's execute reads config/<name>, so only a config schedule can be run.
    const toConfig = values.static === true || (openidm && !values.dynamic);
    const note = !openidm
      ? undefined
      : values.dynamic
        ? // The platform's behaviour (idm-api.md §4.4); the message describes it without the internal citation.
          `${connection.label} is OpenIDM, whose execute reads only config schedules: a job pushed with --dynamic cannot be executed there.`
        : values.static
          ? undefined
          : // The platform's behaviour (idm-api.md §4.4); the message describes it without the internal citation.
            `${connection.label} is OpenIDM, whose execute reads only config schedules: writing /openidm/config/schedule/<name>, which its scheduler also lists as a job (--dynamic writes /openidm/scheduler/job/<name>).`;
    if (note && !values.json && !values['dry-run']) io.stderr.write(`${note}\n`);
    const where = (name: string) =>
      toConfig ? `/openidm/config/schedule/${name}` : `/openidm/scheduler/job/${name}`;
    for (const { name, body } of jobs) {
      if (values['dry-run']) {
        let current: Record<string, unknown> | undefined;
        try {
          current = toConfig ? await client.scheduleConfigs.read(name) : await client.jobs.read(name);
        } catch (err) {
          if (!(err instanceof CrestError && err.status === 404)) throw err;
        }
        const changes = current ? diffJob(body, current) : [];
        if (values.json)
          writeJson(io, { job: name, path: where(name), exists: current !== undefined, changes });
        else if (!current) io.stdout.write(`Would create ${where(name)} on ${connection.label}.\n`);
        else if (changes.length === 0)
          io.stdout.write(`${where(name)} on ${connection.label} is up to date.\n`);
        else
          io.stdout.write(
            `Would update ${where(name)} on ${connection.label}:\n${formatJobChanges(changes)
              .map((l) => `  ${l}\n`)
              .join('')}`,
          );
        continue;
      }
      confirmProduction(connection, values.yes, 'push a job');
      const result = toConfig
        ? await client.scheduleConfigs.upsert(name, body)
        : await client.jobs.upsert(name, body);
      if (values.json)
        writeJson(io, { job: name, path: where(name), created: result.created, config: toConfig, note });
      else
        io.stdout.write(`${result.created ? 'Created' : 'Updated'} ${where(name)} on ${connection.label}.\n`);
    }
    return EXIT.ok;
  });
}
