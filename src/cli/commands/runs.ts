// `scanjobs runs [--job <name>] [--history]`: task-scanner runs the tenant holds, or every run this
// client has seen (the local history, docs/logs.md "History"); `scanjobs runs <id>`: one run's details.
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { EXIT, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { table } from '../render/table';
import { historyOf, logClientOf, parseGrep } from '../render/log-lines';
import { historyPoints, recordListing, type HistoryPoint, type HistoryStore } from '../../core/history';
import {
  DETAILS_LIMITS,
  failureText,
  localReportSource,
  logLineText,
  matching,
  ownTail,
  remoteReportSource,
  runDetails,
  type Part,
  type RunReport,
} from '../../core/run-view';
import type { Connection, TenantClient } from '../../core/tenant';
import { runDetailsJson, runDetailsText } from '../render/run-details';
import { formatDuration } from '../../core/watch';

const HELP = `Usage: scanjobs runs [--job <name>] [--history [--format text|json|csv]] [--tenant <name or URL>] [--json]
       scanjobs runs <run id> [--grep <text>] [--tenant <name or URL>] [--json]

Lists the task-scanner runs held by the node that answers (the newest 100 completed ones, and every
run in another state), oldest first. Every run listed or watched is also kept in a
local history under the user's config folder ($XDG_CONFIG_HOME/scanjobs/history), which outlives the
tenant's 100.
  --history        the runs of the local history instead: duration, throughput, failures per run
  --format <f>     text (default), json (one array), or csv; --json is --format json

With a run id, prints that run's details: job, state, times, counts and rate, the objects that failed
and why (the local tenant says; AIC and IDM only count them), and the script's log lines (the local
tenant's own log of the run, or AIC's log API with a log key: docs/logs.md). A cancelled run's end
comes from the local history when this client saw it end.
  --grep <text>    only the failed objects and log lines whose text holds <text> (case ignored,
                   every character literal), searched before the 500 / 2,000 shown are cut
OpenIDM's run records carry no job name: there the JOB column is empty and --job cannot pick
a job's runs, which the command says.
`;

const CSV_COLUMNS: (keyof HistoryPoint | 'job')[] = [
  'job',
  'runId',
  'state',
  'started',
  'ended',
  'durationMs',
  'throughput',
  'processed',
  'total',
  'failures',
];

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      job: { type: 'string' },
      history: { type: 'boolean' },
      format: { type: 'string' },
      grep: { type: 'string' },
    },
    atMostOne: 'scanjobs runs takes at most one run id',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const runId = positionals[0];
  if (runId !== undefined && (values.history || values.job || values.format))
    throw new UsageError('scanjobs runs <run id> takes no --job, --history or --format (--json for JSON)');
  if (values.grep !== undefined) {
    if (runId === undefined)
      throw new UsageError('--grep is for one run: scanjobs runs <run id> --grep <text>');
    parseGrep(values.grep);
  }
  if (runId !== undefined)
    return withTenant(io, values.tenant, (s) =>
      details(io, s, historyOf(io, s.connection), runId, values.json === true, values.grep),
    );
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (!['text', 'json', 'csv'].includes(format))
    throw new UsageError(`--format must be text, json or csv, not '${format}'`);
  if (format === 'csv' && !values.history) throw new UsageError('--format csv is for --history');
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const history = historyOf(io, connection);
    const warn = (err: unknown) =>
      io.stderr.write(`warning: ${err instanceof Error ? err.message : String(err)}\n`);
    if (values.history) {
      // Keep what the tenant still has first; a tenant out of reach still leaves the history to show.
      try {
        await recordListing(history, await client.runs.list({ retry: false }), new Date(), warn);
      } catch (err) {
        io.stderr.write(
          `warning: the tenant's runs could not be read (${err instanceof Error ? err.message : String(err)}); showing the local history only\n`,
        );
      }
      return printHistory(io, await history.list(), values.job, format);
    }
    const runs = await client.runs.list({ job: values.job });
    await recordListing(history, runs, new Date(), warn);
    // Runs without a name may belong to the job: say so rather than claim it has none (§4.1).
    const unknown =
      values.job && client.runs.runsAreNameless
        ? (await client.runs.list()).filter((r) => client.runs.jobOf(r) === undefined).length
        : 0;
    // The platform's behaviour (idm-api.md §4.1); the message describes it without the internal citation.
    const why = `${unknown} run(s) on ${connection.label} carry no job name (OpenIDM), so which of them belong to '${values.job}' cannot be told: 'scanjobs runs' lists them all.`;
    if (format === 'json') {
      writeJson(io, runs);
      if (unknown) io.stderr.write(`${why}\n`);
      return EXIT.ok;
    }
    if (runs.length === 0) {
      io.stdout.write(values.job ? `No runs of '${values.job}'.\n` : 'No runs.\n');
      if (unknown) io.stderr.write(`${why}\n`);
      return EXIT.ok;
    }
    if (unknown) io.stderr.write(`${why}\n`);
    io.stdout.write(
      table(
        ['RUN', 'JOB', 'STATE', 'PROCESSED', 'OK', 'FAILED', 'STARTED', 'ENDED'],
        runs.map((r) => [
          r._id,
          client.runs.jobOf(r) ?? '',
          r.progress.state,
          `${r.progress.processed}/${r.progress.total}`,
          String(r.progress.successes),
          String(r.progress.failures),
          r.started ?? '-',
          r.ended ?? '-',
        ]),
      ),
    );
    return EXIT.ok;
  });
}

function printHistory(
  io: CliIO,
  runs: Awaited<ReturnType<ReturnType<typeof historyOf>['list']>>,
  job: string | undefined,
  format: string,
): number {
  const jobs = job ? [job] : [...new Set(runs.map((r) => r.job))].sort();
  const rows = jobs.flatMap((j) => historyPoints(runs, j).map((p) => ({ job: j, ...p })));
  if (format === 'json') {
    writeJson(io, rows);
    return EXIT.ok;
  }
  if (format === 'csv') {
    io.stdout.write(`${CSV_COLUMNS.join(',')}\n`);
    for (const r of rows) io.stdout.write(`${CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.stdout.write(
      job ? `No runs of '${job}' in the local history.\n` : 'The local run history is empty.\n',
    );
    return EXIT.ok;
  }
  io.stdout.write(
    table(
      ['JOB', 'RUN', 'STATE', 'STARTED', 'DURATION', 'OBJECTS/S', 'PROCESSED', 'FAILED'],
      rows.map((r) => [
        r.job,
        r.runId,
        r.state,
        r.started ?? '-',
        r.durationMs === null ? '-' : formatDuration(r.durationMs, { tenths: true }),
        r.throughput === null ? '-' : String(r.throughput),
        `${r.processed}/${r.total}`,
        String(r.failures),
      ]),
    ),
  );
  return EXIT.ok;
}

/** RFC 4180: quote a cell holding a comma, a quote or a line break; null is empty. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One run's details: the local tenant's own log of the run when it has one (failed objects and
 * script lines), else the log API's lines; a cancelled run's end from the local history.
 */
async function details(
  io: CliIO,
  session: { client: TenantClient; connection: Connection },
  history: HistoryStore,
  runId: string,
  json: boolean,
  grep?: string,
): Promise<number> {
  const { client, connection } = session;
  const run = await client.runs.read(runId);
  let report: RunReport = await localReportSource(client).report(run, () => undefined).first;
  if (report.failures.state !== 'ready') {
    // The session's log client: its key, and no log request at all to a platform without the log API.
    const logs = logClientOf(client, connection);
    const handle = remoteReportSource(ownTail(logs), { noLogApi: logs.noLogApi }).report(
      run,
      () => undefined,
    );
    report = await handle.first;
    handle.stop();
  }
  const kept = await history.list().then(
    (runs) => runs.find((r) => r.runId === runId),
    () => undefined,
  );
  const d = runDetails({
    tenant: connection.label,
    run,
    history: kept,
    failures: grep === undefined ? report.failures : only(report.failures, grep, failureText),
    log: grep === undefined ? report.log : only(report.log, grep, logLineText),
    now: Date.now(),
    limits: DETAILS_LIMITS,
  });
  if (json) writeJson(io, runDetailsJson(d));
  else io.stdout.write(runDetailsText(d));
  return EXIT.ok;
}

/** A ready part cut to the items `grep` finds (before the CLI's limits), saying how many of how many. */
function only<T>(p: Part<T>, grep: string, text: (item: T) => string): Part<T> {
  if (p.state !== 'ready') return p;
  const items = matching(p.items, grep, text);
  const said = `${items.length} of ${p.items.length}${p.more ? ` (${p.more} more not read)` : ''} match "${grep.trim()}"`;
  return { ...p, items: [...items], more: 0, note: p.note ? `${p.note}; ${said}` : said };
}
