// `scanjobs pull <name> [--layout …]`: a job from the tenant into a file of the chosen layout.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliIO, UsageError } from '../io';
import {
  PULL_LAYOUTS,
  applyTextEdits,
  extractScript,
  jobForFile,
  nodeFileAccess,
  pulledJobFile,
  type PullLayout,
} from '../../core/job';
import { unmarkJobLogging } from '../../core/logs';
import type { TenantClient } from '../../core/tenant';
import { EXIT, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';

const LAYOUTS = PULL_LAYOUTS.map((l) => l.layout);

const HELP = `Usage: scanjobs pull <job name> [--layout ${LAYOUTS.join('|')}] [--out <dir>] [--static] [--force]
                     [--tenant <name or URL>] [--json]

Writes the tenant's job to files (default layout scanjob: <name>.scanjob.json with the script inline):
  fr-config-manager  schedules/<name>/<name>.json + <name>.js
  frodo              <name>/<name>.idm.json + invokeContext.task.script.js
  idm-conf           conf/schedule-<name>.json + script/<name>.js
  --static   read /openidm/config/schedule/<name> instead of /openidm/scheduler/job/<name>
  --force    overwrite existing files
On OpenIDM, where push writes config schedules, the config schedule is read first,
so the file holds what was pushed rather than the scheduler's copy with its added fields.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      layout: { type: 'string' },
      out: { type: 'string' },
      static: { type: 'boolean' },
      force: { type: 'boolean' },
    },
    one: 'give one job name: scanjobs pull <name>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const layout = (values.layout ?? 'scanjob') as PullLayout;
  if (!LAYOUTS.includes(layout))
    throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')}, not '${values.layout}'`);
  const name = positionals[0];
  const out = resolve(io.cwd, values.out ?? '.');
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const openidm = await client.isOpenIdm(connection.platform);
    // A script pushed with --mark-logs comes back as the user wrote it (docs/logs.md "Markers").
    const job = jobForFile(unmarkJobLogging(await readJob(client, name, values.static === true, openidm)));
    const pulled = pulledJobFile(layout, name, job);
    const main = { path: join(out, ...pulled.rel.split('/')), text: pulled.text };
    const files = [main];
    if (layout !== 'scanjob') {
      const extracted = extractScript({ path: main.path, text: main.text, files: nodeFileAccess });
      // A job without an inline script (not a task scanner, or no script) stays as one file.
      if (extracted.ok) {
        main.text = applyTextEdits(main.text, extracted.edits);
        files.push(extracted.file);
      }
    }
    const existing = files.filter((f) => existsSync(f.path));
    if (existing.length > 0 && !values.force) {
      io.stderr.write(
        `Not written: ${existing.map((f) => f.path).join(', ')} already exist(s) (--force overwrites).\n`,
      );
      return EXIT.error;
    }
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.text);
    }
    if (values.json) writeJson(io, { job: name, layout, files: files.map((f) => f.path) });
    else
      io.stdout.write(
        `Pulled ${name} from ${connection.label} into ${files.map((f) => f.path).join(' and ')}.\n`,
      );
    return EXIT.ok;
  });
}

/** The stored job: the config schedule with --static, else where push writes it (OpenIDM: config). */
async function readJob(
  client: TenantClient,
  name: string,
  fromConfig: boolean,
  openidm: boolean,
): Promise<Record<string, unknown>> {
  if (fromConfig) return client.scheduleConfigs.read(name);
  if (!openidm) return client.jobs.read(name);
  const found = await client.readPushedJob(name, true);
  // Neither exists: the scheduler's 404 says so as the server words it.
  return found?.job ?? client.jobs.read(name);
}
