// `scanjobs logs`: a tenant's script log lines (docs/logs.md, docs/cli.md "logs"), tied to a run or a
// job, from AIC's log API (or the local tenant's copy of it).
import type { CliIO } from '../io';
import { UsageError } from '../io';
import {
  LogClient,
  LogTail,
  LogsUnavailableError,
  RunLogs,
  SCRIPT_SOURCE,
  belongsToRun,
  toScriptLine,
  type RunWindow,
  type ScriptLine,
} from '../../core/logs';
import { CrestError, jobOfRun, runBelongsTo, type RunRecord, type TenantClient } from '../../core/tenant';
import { watchRun } from '../../core/watch';
import { EXIT, withTenant } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { historyOf, logClientOf, parseGrep, parseSince, writeLine } from '../render/log-lines';
import { textMatcher } from '../../core/run-view';
import type { HistoryFile } from '../../core/history';

const HELP = `Usage: scanjobs logs [--run <run id>] [--job <name>] [--since 10m] [--follow] [--marked]
                     [--grep <text>] [--source idm-core] [--format text|json] [--tenant <name or URL>]

Prints the lines scan scripts wrote with logger.* (AIC's log source idm-core), read from the tenant's
log API with a log API key: SCANJOBS_LOG_API_KEY and SCANJOBS_LOG_API_SECRET (or Frodo's FRODO_LOG_KEY
and FRODO_LOG_SECRET); the local tenant has its own. Self-hosted IDM has no log API.
  --run <id>       the lines of one run: its time window, and its job when lines carry push markers
  --job <name>     the lines of a job's runs in the window (and lines marked with its name)
  --since <d>      how far back to read: 90s, 10m, 2h, up to 24h (default 10m; with --run, its start)
  --follow         keep printing new lines (with --run, until the run has ended); Ctrl-C stops
  --marked         only lines with a push marker (scanjobs push --mark-logs); see docs/logs.md
  --grep <text>    only lines whose time, level, job or message holds <text> (case ignored, every
                   character literal: an object id, a word; not a pattern)
  --source <s>     another log source (idm-everything is mostly noise)
  --format json    one JSON object per line ({time, level, message, job, source}); --json too
Exit 0, 2 when the tenant failed, 3 for a usage error or when logs cannot be read (no key, no log API).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: {
      run: { type: 'string' },
      job: { type: 'string' },
      since: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      marked: { type: 'boolean' },
      source: { type: 'string' },
      format: { type: 'string' },
      grep: { type: 'string' },
    },
  });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if (values.format !== undefined && values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format must be text or json, not '${values.format}'`);
  const json = values.format === 'json' || values.json === true;
  const sinceMs = values.since !== undefined ? parseSince(values.since) : undefined;
  const holds = values.grep !== undefined ? textMatcher(parseGrep(values.grep)) : undefined;
  return withTenant(io, values.tenant, async ({ client, connection }) => {
    const logs = logClientOf(client, connection);
    const options: Read = {
      io,
      json,
      source: values.source ?? SCRIPT_SOURCE,
      marked: values.marked === true,
      follow: values.follow === true,
      grep: values.grep?.trim(),
      holds: holds && ((l) => holds(`${l.time} ${l.level} ${l.job ?? ''} ${l.message}`)),
    };
    try {
      if (values.run) {
        const found = await findRun(client, historyOf(io, connection), values.run);
        const job = values.job ?? found.job;
        return await readRun(
          client,
          logs,
          { runId: values.run, job, started: found.started, ended: found.ended },
          found.active,
          options,
        );
      }
      return await readWindow(
        client,
        logs,
        historyOf(io, connection),
        values.job,
        sinceMs ?? 10 * 60_000,
        options,
      );
    } catch (err) {
      if (err instanceof LogsUnavailableError) {
        io.stderr.write(`${err.message}\n`);
        return EXIT.usage;
      }
      throw err;
    }
  });
}

interface Read {
  io: CliIO;
  json: boolean;
  source: string;
  marked: boolean;
  follow: boolean;
  /** The --grep text, and the test of a line against it. */
  grep?: string;
  holds?: (l: ScriptLine) => boolean;
}

/** Prints a line unless --grep leaves it out; whether it was printed. */
function emit(o: Read, l: ScriptLine, showJob: boolean): boolean {
  if (o.holds && !o.holds(l)) return false;
  writeLine(o.io, l, o.json, showJob);
  return true;
}

/** The run from the tenant, or from the local history when the tenant no longer has it. */
async function findRun(
  client: TenantClient,
  history: HistoryFile,
  runId: string,
): Promise<{ job: string; started: string; ended?: string; active: boolean }> {
  let run: RunRecord | undefined;
  try {
    run = await client.runs.read(runId);
  } catch (err) {
    if (!(err instanceof CrestError) || err.status !== 404) throw err;
  }
  if (run?.started) {
    return {
      job: jobOfRun(run) ?? '',
      started: run.started,
      ended: run.ended ?? undefined,
      active: run.progress.state === 'ACTIVE' || run.progress.state === 'INITIALIZED',
    };
  }
  const kept = (await history.list()).find((r) => r.runId === runId);
  if (kept?.started)
    return { job: kept.job, started: kept.started, ended: kept.ended ?? undefined, active: false };
  throw new UsageError(
    run
      ? `run ${runId} has not started yet (no start time): try again, or use --follow with --job`
      : `run ${runId} is neither on the tenant (404) nor in the local run history, so its time window is unknown`,
  );
}

async function readRun(
  client: TenantClient,
  logs: LogClient,
  window: RunWindow,
  active: boolean,
  o: Read,
): Promise<number> {
  const end = window.ended ? Date.parse(window.ended) : Date.now() + client.http.clockSkewMs;
  let count = 0;
  const print = (l: ScriptLine) => {
    if (emit(o, l, false)) count++;
  };
  if (!(o.follow && active)) {
    for await (const entries of logs.entries({
      source: o.source,
      beginTime: window.started,
      endTime: new Date(end + 5000).toISOString(),
    })) {
      for (const e of entries) {
        const l = toScriptLine(e);
        if (l && belongsToRun(l, window, { markedOnly: o.marked })) print(l);
      }
    }
    if (count === 0 && !o.json)
      o.io.stderr.write(
        `No ${o.source} lines${o.grep ? ` holding "${o.grep}"` : ''} in the window of run ${window.runId}.\n`,
      );
    return EXIT.ok;
  }
  // An active run: backfill and tail until it has ended.
  const follower = new RunLogs(
    new LogTail(logs, { source: o.source }),
    window,
    (e) => {
      if (e.type === 'lines') e.lines.forEach(print);
      else if (e.type === 'error') o.io.stderr.write(`log lines: ${e.message}\n`);
      else if (e.type === 'unavailable') o.io.stderr.write(`${e.availability.message}\n`);
    },
    { markedOnly: o.marked },
  ).start();
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  try {
    const ended = await watchRun(window.runId, client.runs, { signal: ac.signal });
    if (ended.type === 'final') follower.ended(ended.run.ended ?? undefined);
    else follower.stop();
    await follower.done;
  } finally {
    process.removeListener('SIGINT', onInt);
  }
  return EXIT.ok;
}

/** Lines of the last `sinceMs`, of one job's runs when `job` is given; then, with --follow, new ones. */
async function readWindow(
  client: TenantClient,
  logs: LogClient,
  history: HistoryFile,
  job: string | undefined,
  sinceMs: number,
  o: Read,
): Promise<number> {
  const now = Date.now() + client.http.clockSkewMs;
  const windows = job ? await jobWindows(client, history, job, now - sinceMs) : [];
  const keep = (l: ScriptLine): boolean => {
    if (o.marked && !l.job) return false;
    if (!job) return true;
    if (l.job !== undefined) return l.job === job;
    return windows.some((w) => belongsToRun(l, w));
  };
  for await (const entries of logs.entries({
    source: o.source,
    beginTime: new Date(now - sinceMs).toISOString(),
    endTime: new Date(now).toISOString(),
  })) {
    for (const e of entries) {
      const l = toScriptLine(e);
      if (l && keep(l)) emit(o, l, !job);
    }
  }
  if (!o.follow) return EXIT.ok;
  if (job && !o.marked && !o.json)
    o.io.stderr.write(
      `Following: lines marked with '${job}' and lines written while one of its runs is active (checked every 10 s).\n`,
    );
  const tail = new LogTail(logs, { source: o.source });
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  let active: RunWindow[] = windows.filter((w) => !w.ended);
  const refresh = job
    ? setInterval(() => {
        void jobWindows(client, history, job, Date.now() - 60_000)
          .then((w) => (active = w))
          .catch(() => undefined);
      }, 10_000)
    : undefined;
  const stop = tail.subscribe((event) => {
    if ('entries' in event) {
      for (const l of event.entries) {
        const mine = !job || (l.job !== undefined ? l.job === job : active.some((w) => belongsToRun(l, w)));
        if (mine && !(o.marked && !l.job)) emit(o, l, !job);
      }
    } else if ('error' in event) {
      o.io.stderr.write(
        `log lines: ${event.error instanceof Error ? event.error.message : String(event.error)}\n`,
      );
      if (event.error instanceof LogsUnavailableError) ac.abort();
    }
  });
  try {
    await new Promise<void>((resolve) =>
      ac.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  } finally {
    stop();
    if (refresh) clearInterval(refresh);
    process.removeListener('SIGINT', onInt);
  }
  return EXIT.ok;
}

/** The time windows of a job's runs since `from`: the tenant's, and the local history's. */
async function jobWindows(
  client: TenantClient,
  history: HistoryFile,
  job: string,
  from: number,
): Promise<RunWindow[]> {
  const byId = new Map<string, RunWindow>();
  for (const r of await history.list()) {
    if (r.job === job && r.started)
      byId.set(r.runId, { runId: r.runId, job, started: r.started, ended: r.ended ?? undefined });
  }
  for (const r of await client.runs.list({ job })) {
    if (!r.started || !runBelongsTo(r, job)) continue;
    const final = r.progress.state !== 'ACTIVE' && r.progress.state !== 'INITIALIZED';
    // A CANCELLED run never gets an end time: the history's, or "still open" when there is none.
    const ended = r.ended ?? (final ? byId.get(r._id)?.ended : undefined);
    byId.set(r._id, { runId: r._id, job, started: r.started, ended });
  }
  return [...byId.values()].filter((w) => !w.ended || Date.parse(w.ended) >= from);
}
