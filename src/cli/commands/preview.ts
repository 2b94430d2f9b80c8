// `scanjobs preview <job file>`: what the job's query matches on the tenant now and how the task
// scanner would split the matches (docs/preview.md; idm-api.md §5.2, §5.4). Reads only.
import type { CliIO } from '../io';
import { UsageError } from '../io';
import {
  Preview,
  PREVIEW_SAMPLE_DEFAULT,
  ScanQueryError,
  previewJson,
  previewMatches,
} from '../../core/preview';
import { EXIT, withTenant, writeJson } from '../render/session';
import { table } from '../render/table';
import { parseTenantArgs } from '../tenant-command';
import { formatOption, loadJob, sampleOption } from '../job-file';

const HELP = `Usage: scanjobs preview <job file> [--job <name>] [--tenant <name or URL>] [--now <ISO time>]
                        [--sample N] [--format text|json]

Runs the job's _queryFilter, its \${Time.now} macros expanded as the task scanner would at that
instant, on the tenant's scan.object, and shows how many objects match, how the task state splits
them (would be processed now, claimed by a run in progress, already completed) and a sample with the
fields the filter and the task state use. Sends only GET requests: nothing is written.
  --now <ISO>      the instant to expand macros and judge recovery.timeout at (default: now)
  --sample N       objects to show (default ${PREVIEW_SAMPLE_DEFAULT})
  --job <name>     the job to preview in a file that holds several
  --format json    one JSON object: object, filter, expandedFilter, now, matched, exact,
                   wouldProcess, claimed, completed, samples
`;

function nowOption(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  // An ISO-8601 date-time with a zone, as the task scanner writes them; anything else is ambiguous.
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const date = new Date(value);
  if (!ok || Number.isNaN(date.getTime()))
    throw new UsageError(
      `--now must be an ISO date-time with a zone, e.g. 2026-05-01T12:00:00Z, got '${value}'`,
    );
  return date;
}

const n = (x: number) => x.toLocaleString('en-US');

function cell(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

export function renderPreview(p: Preview, tenant: string): string {
  const lines = [
    `Preview of ${p.object} on ${tenant} at ${p.now}`,
    `Filter:    ${p.filter}`,
    ...(p.expandedFilter !== p.filter ? [`Expanded:  ${p.expandedFilter}`] : []),
    `Matched:   ${n(p.matched)} ${p.exact ? '(exact' : '(estimate'}: ${p.how})`,
    `  would be processed now          ${n(p.wouldProcess)}`,
    `  claimed by a run in progress    ${n(p.claimed)}`,
    `  already completed (skipped)     ${n(p.completed)}`,
    ...p.notes.map((note) => `Note: ${note}`),
  ];
  let out = `${lines.join('\n')}\n`;
  if (p.samples.length > 0) {
    const fields = [...new Set(p.samples.flatMap((s) => Object.keys(s.fields)))];
    out += `\nSample (${p.samples.length} of ${n(p.matched)}):\n`;
    out += table(
      ['_id', 'state', ...fields],
      p.samples.map((s) => [s._id, s.state, ...fields.map((f) => cell(s.fields[f]))]),
    );
  }
  return out;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      job: { type: 'string' },
      now: { type: 'string' },
      sample: { type: 'string' },
      format: { type: 'string' },
    },
    one: 'give one job file: scanjobs preview <job file>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const format = formatOption(values.format, values.json);
  const sample = sampleOption(values.sample, PREVIEW_SAMPLE_DEFAULT, 1000);
  const now = nowOption(values.now);
  const { job, path } = loadJob(io.cwd, positionals[0]!, values.job);
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    let preview: Preview;
    try {
      preview = await previewMatches(client, job, { now, sample });
    } catch (err) {
      if (err instanceof ScanQueryError) {
        io.stderr.write(`${path}: ${err.message}\n`);
        return EXIT.error;
      }
      throw err;
    }
    if (format === 'json') writeJson(io, previewJson(preview));
    else io.stdout.write(renderPreview(preview, connection.label));
    return EXIT.ok;
  });
}
