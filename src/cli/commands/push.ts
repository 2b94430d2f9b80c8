// `scanjobs push <file> [--dry-run]`: a job file of any layout to the tenant (idm-api.md §3.1–3.2).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliIO, UsageError } from '../io';
import {
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const errors = validateJob({ path, text, files: nodeFileAccess }).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors)
      io.stderr.write(
        `${d.path ?? path}:${lineCol(d.path ? '' : text, d.start)}: error: ${d.message} [${d.code}]\n`,
      );
    if (!values.force) {
      io.stderr.write(`Not pushed: ${errors.length} error(s) in ${path} (--force pushes anyway).\n`);
      return EXIT.error;
    }
  }
  const doc = parseJobFile(text);
  const layout = layoutOf(path);
  if (values.name && doc.jobs.length > 1)
    throw new UsageError(`${path} holds ${doc.jobs.length} jobs; --name applies to a file with one`);
  const jobs = doc.jobs.map((entry, jobIndex) => {
    const resolved = resolveJob({ path, text, files: nodeFileAccess, jobIndex });
    if (!resolved.ok) throw new UsageError(`${path}: ${resolved.message}`);
    const name = values.name ?? entry.name ?? jobNameFromPath(path, layout);
    const { _id: _ignored, ...body } = resolved.job;
    // idm-api.md §2.1/§8.2: the create path defaults persisted to false; clients always send it.
    if (body.persisted === undefined) body.persisted = true;
    if (!values['mark-logs']) return { name, body };
    const marked = markJobLogging(body, name);
    if (marked.marked === 0) io.stderr.write(`note: ${name}: no logger call to mark in its script\n`);
    return { name, body: marked.job };
  });
  if (jobs.length === 0) throw new UsageError(`${path}: no scheduler job in this file`);

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
