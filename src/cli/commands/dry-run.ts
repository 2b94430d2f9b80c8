// `scanjobs dry-run <job file>`: the job run on a private local copy of up to N of its matches, the
// source tenant only read (docs/preview.md). Per object: the result, a unified diff, the log lines.
import { createTwoFilesPatch } from 'diff';
import type { CliIO } from '../io';
import {
  DRY_RUN_SAMPLE_DEFAULT,
  DRY_RUN_SAMPLE_MAX,
  DryRunReport,
  DryRunResult,
  ScanQueryError,
  dryRun,
} from '../../core/preview';
import { EXIT, withTenant, writeJson } from '../render/session';
import { table } from '../render/table';
import { parseTenantArgs } from '../tenant-command';
import { formatOption, loadJob, sampleOption } from '../job-file';
import { startPrivateTenant } from '../private-tenant';

const HELP = `Usage: scanjobs dry-run <job file> [--job <name>] [--tenant <name or URL>] [--sample N]
                        [--format text|json] [--keep]

Reads up to N of the job's matches and the managed object's schema from the tenant (GETs only),
loads them into a fresh private local tenant on 127.0.0.1, runs the job there with its own script,
threads and task state, and shows per object the result (true, another value, or the error), what
changed (a unified diff) and the script's log lines, then the totals the real run would report.
Objects the script reads with openidm.read are fetched from the tenant on demand; writes go only
to the copy. Nothing is written to the tenant.
  --sample N    matches to copy (default ${DRY_RUN_SAMPLE_DEFAULT}, at most ${DRY_RUN_SAMPLE_MAX.toLocaleString('en-US')})
  --keep        keep the private tenant's data folder (open it with scanjobs emulator --data <dir>)
  --format json one JSON object: tenant, sampled, results [{id, result, error, before, after,
                changes, status, logs}], totals {processed, successes, failures}, writesToTenant,
                touched, kept
`;

function outcome(r: DryRunResult): string {
  switch (r.status) {
    case 'succeeded':
      return 'true';
    case 'failed':
      return `returned ${typeof r.result === 'string' ? `a${/^[aeiou]/.test(r.result) ? 'n' : ''} ${r.result}` : JSON.stringify(r.result)}`;
    case 'error':
      return `error: ${r.error ?? ''}`;
    case 'skipped':
      return 'skipped (claimed or completed within recovery.timeout)';
    default:
      return 'not run';
  }
}

function pretty(value: unknown): string {
  return value === null ? '' : `${JSON.stringify(value, null, 2)}\n`;
}

export function renderDryRun(report: DryRunReport): string {
  const t = report.totals;
  let out = `Dry run of ${report.object} from ${report.tenant}: ${report.sampled} object(s) copied to a private tenant; nothing written to ${report.tenant}.\n`;
  out += `Run on the copy ${report.runState}: ${t.processed} processed, ${t.successes} succeeded, ${t.failures} failed.\n`;
  if (report.results.length) {
    out += `\n${table(
      ['_id', 'result', 'changes'],
      report.results.map((r) => [r.id, outcome(r), r.changes.map((c) => c.path).join(', ')]),
    )}`;
  }
  for (const r of report.results) {
    if (r.changes.length === 0 && r.logs.length === 0 && r.status !== 'error') continue;
    out += `\n== ${r.id}: ${outcome(r)}\n`;
    for (const line of r.logs) out += `log ${line.level}: ${line.message}\n`;
    if (r.changes.length)
      out += createTwoFilesPatch(
        `${r.id} (before)`,
        `${r.id} (after)`,
        pretty(r.before),
        pretty(r.after),
        '',
        '',
        {
          context: 2,
        },
      )
        .split('\n')
        .slice(1) // the "Index:"-less header starts with a separator line
        .join('\n');
  }
  if (report.touched.length) {
    out += `\nOther objects the script touched (writes went to the copy only):\n`;
    for (const o of report.touched)
      out += `  ${o.resource}: ${o.operations.join(', ')}${o.fromSource ? ' (read from the tenant on demand)' : ''}\n`;
  }
  for (const note of report.notes) out += `Note: ${note}\n`;
  out += `${report.sourceReads} GET request(s) sent to ${report.tenant}, no writes.\n`;
  if (report.kept)
    out += `The private tenant is kept in ${report.kept}: scanjobs emulator --data ${report.kept}\n`;
  return out;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      job: { type: 'string' },
      sample: { type: 'string' },
      format: { type: 'string' },
      keep: { type: 'boolean' },
    },
    one: 'give one job file: scanjobs dry-run <job file>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const format = formatOption(values.format, values.json);
  const sample = sampleOption(values.sample, DRY_RUN_SAMPLE_DEFAULT, DRY_RUN_SAMPLE_MAX);
  const { job, path, name } = loadJob(io.cwd, positionals[0]!, values.job);
  const debug = io.env.SCANJOBS_DEBUG
    ? (line: string) => io.stderr.write(`debug: ${line}\n`)
    : () => undefined;
  return withTenant(io, values.tenant, async ({ client }) => {
    let report: DryRunReport;
    try {
      report = await dryRun(client, job, (setup) => startPrivateTenant(setup, debug), {
        sample,
        keep: values.keep === true,
        jobName: name,
        progress: format === 'text' ? (m) => debug(m) : undefined,
      });
    } catch (err) {
      if (err instanceof ScanQueryError) {
        io.stderr.write(`${path}: ${err.message}\n`);
        return EXIT.error;
      }
      throw err;
    }
    if (format === 'json') {
      const { tenant, sampled, results, totals, writesToTenant, touched, kept, notes } = report;
      writeJson(io, { tenant, sampled, results, totals, writesToTenant, touched, kept, notes });
    } else io.stdout.write(renderDryRun(report));
    return report.results.some((r) => r.status === 'failed' || r.status === 'error')
      ? EXIT.failures
      : EXIT.ok;
  });
}
