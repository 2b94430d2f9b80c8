// `scanjobs pull <name> [--layout …]`: a job from the tenant into a file of the chosen layout.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliIO, UsageError } from '../io';
import { applyTextEdits, extractScript, nodeFileAccess } from '../../core/job';
import { EXIT, TENANT_OPTIONS, withTenant, writeJson } from '../render/session';

const LAYOUTS = ['scanjob', 'fr-config-manager', 'frodo', 'idm-conf'] as const;
type PullLayout = (typeof LAYOUTS)[number];

const HELP = `Usage: scanjobs pull <job name> [--layout ${LAYOUTS.join('|')}] [--out <dir>] [--static] [--force]
                     [--tenant <name or URL>] [--json]

Writes the tenant's job to files (default layout scanjob: <name>.scanjob.json with the script inline):
  fr-config-manager  schedules/<name>/<name>.json + <name>.js
  frodo              <name>/<name>.idm.json + invokeContext.task.script.js
  idm-conf           conf/schedule-<name>.json + script/<name>.js
  --static   read /openidm/config/schedule/<name> instead of /openidm/scheduler/job/<name>
  --force    overwrite existing files
`;

/** Fields the server adds (idm-api.md §2.2) and echoes it makes of defaults, left out of files. */
function forFile(job: Record<string, unknown>): Record<string, unknown> {
  const { _id: _i, triggers: _t, nextRunDate: _n, previousRunDate: _p, ...rest } = job;
  if (typeof rest.invokeService === 'string')
    rest.invokeService = rest.invokeService.replace(/^org\.forgerock\.openidm\./, '');
  if (rest.type !== 'simple' && rest.repeatInterval === 0 && rest.repeatCount === 0) {
    delete rest.repeatInterval;
    delete rest.repeatCount;
  }
  return rest;
}

function target(
  layout: PullLayout,
  out: string,
  name: string,
  job: Record<string, unknown>,
): { path: string; text: string } {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  switch (layout) {
    case 'scanjob':
      return { path: join(out, `${name}.scanjob.json`), text: json(job) };
    case 'fr-config-manager':
      return {
        path: join(out, 'schedules', name, `${name}.json`),
        text: json({ _id: `schedule/${name}`, ...job }),
      };
    case 'frodo':
      return {
        path: join(out, name, `${name}.idm.json`),
        text: json({ idm: { [`schedule/${name}`]: { _id: `schedule/${name}`, ...job } } }),
      };
    case 'idm-conf':
      return { path: join(out, 'conf', `schedule-${name}.json`), text: json(job) };
  }
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...TENANT_OPTIONS,
        layout: { type: 'string' },
        out: { type: 'string' },
        static: { type: 'boolean' },
        force: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give one job name: scanjobs pull <name>');
  const layout = (values.layout ?? 'scanjob') as PullLayout;
  if (!LAYOUTS.includes(layout))
    throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')}, not '${values.layout}'`);
  const name = positionals[0];
  const out = resolve(io.cwd, values.out ?? '.');
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const job = forFile(
      values.static ? await client.scheduleConfigs.read(name) : await client.jobs.read(name),
    );
    const main = target(layout, out, name, job);
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
