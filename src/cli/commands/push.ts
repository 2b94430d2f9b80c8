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
} from '../../core/job';
import { CrestError, diffJob, formatJobChanges } from '../../core/tenant';
import { markJobLogging } from '../../core/logs';
import { EXIT, confirmProduction, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';

const HELP = `Usage: scanjobs push <job file> [--name <job>] [--dry-run] [--static] [--force] [--mark-logs]
                     [--tenant <name or URL>] [--yes] [--json]

Pushes the job (its script file inlined) with PUT, creating or updating it. The job name defaults to
the file's: <name>.scanjob.json, conf/schedule-<name>.json, schedules/<name>/<name>.json, or the
_id of each job in a Frodo export.
  --dry-run   print what would change on the tenant, change nothing
  --static    write the static schedule /openidm/config/schedule/<name> (promoted with the
              tenant's configuration) instead of the dynamic /openidm/scheduler/job/<name>
  --force     push even when the job has errors
  --mark-logs prefix the script's logger lines with "[scanjobs:<job>] " so 'scanjobs logs' and the
              editor tie them to this job even when other jobs run at the same time (docs/logs.md
              "Markers"); the file is not changed, and pull takes the markers out again
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

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      name: { type: 'string' },
      'dry-run': { type: 'boolean' },
      static: { type: 'boolean' },
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
  const errors = validateJob({ path, text, files: nodeFileAccess, document: doc, encoding: decoded }).filter(
    (d) => d.severity === 'error',
  );
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

  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const where = (name: string) =>
      values.static ? `/openidm/config/schedule/${name}` : `/openidm/scheduler/job/${name}`;
    for (const { name, body } of jobs) {
      if (values['dry-run']) {
        let current: Record<string, unknown> | undefined;
        try {
          current = values.static ? await client.scheduleConfigs.read(name) : await client.jobs.read(name);
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
      const result = values.static
        ? await client.scheduleConfigs.upsert(name, body)
        : await client.jobs.upsert(name, body);
      if (values.json) writeJson(io, { job: name, path: where(name), created: result.created });
      else
        io.stdout.write(`${result.created ? 'Created' : 'Updated'} ${where(name)} on ${connection.label}.\n`);
    }
    return EXIT.ok;
  });
}
