// `scanjobs watch <run-id> [--logs]`: follow a run to its end (src/core/watch), with its script's log
// lines (src/core/logs), and keep it in the local history (src/core/history).
import { CliIO, UsageError } from '../io';
import {
  stallHistoryOf,
  watchRun,
  type StallContext,
  type WatchEnd,
  type WatchEvent,
} from '../../core/watch';
import type { Connection, TenantClient } from '../../core/tenant';
import { LogTail, RunLogs, type LogEvent } from '../../core/logs';
import { RunRecorder } from '../../core/history';
import { EXIT, withTenant, writeJson } from '../render/session';
import { parseTenantArgs } from '../tenant-command';
import { RunView, exitCodeOf } from '../render/run-view';
import { historyOf, lineText, logClientOf } from '../render/log-lines';

const HELP = `Usage: scanjobs watch <run-id> [--logs] [--stall-after <time>] [--job <name>]
                      [--tenant <name or URL>] [--json]

Follows a run until it is COMPLETED, CANCELLED or ERROR: a progress bar on a terminal, plain lines
otherwise, one JSON object per event with --json. Survives connection losses. The run is kept in the
local run history (scanjobs runs --history).
  --logs    also print the script's logger lines of this run from the tenant's log API (needs a log
            API key: SCANJOBS_LOG_API_KEY and SCANJOBS_LOG_API_SECRET; docs/logs.md)
  --stall-after <time>  a run whose count stays frozen is given up as stalled, with its likely cause
            (docs/cli.md "Stalled runs"), after max(this, 20 x its own time per object); default
            120s (SCANJOBS_STALL_AFTER), e.g. 90s, 5m
  --job     the run's job, to name a stall's cause from its filter where runs carry no job name
Exit 0 completed without failures, 1 completed with failures, 2 cancelled, error or stopped,
4 stalled (the run is still going on the tenant).
`;

export const STALL_OPTIONS = {
  'stall-after': { type: 'string' },
} as const;

/** `--stall-after` or SCANJOBS_STALL_AFTER: `90`, `90s`, `5m`, `1h`, in milliseconds. */
export function stallAfter(option: string | undefined, io: CliIO): number | undefined {
  const text = option ?? io.env.SCANJOBS_STALL_AFTER;
  if (text === undefined || text === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const where = option !== undefined ? '--stall-after' : 'SCANJOBS_STALL_AFTER';
  if (!m) throw new UsageError(`${where} must be a time such as 90s, 5m or 1h, not '${text}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * unit;
  if (ms < 1000) throw new UsageError(`${where} must be at least 1s, not '${text}'`);
  return ms;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseTenantArgs(argv, io, {
    help: HELP,
    options: { logs: { type: 'boolean' }, job: { type: 'string' }, ...STALL_OPTIONS },
    one: 'give one run id: scanjobs watch <run-id>',
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const stallAfterMs = stallAfter(values['stall-after'], io);
  return withTenant(io, values.tenant, ({ client, connection }) =>
    follow(client, positionals[0], io, values.json === true, {
      connection,
      logs: values.logs === true,
      job: values.job,
      stallAfterMs,
    }),
  );
}

export interface FollowExtras {
  connection?: Connection;
  /** Print the run's script log lines too. */
  logs?: boolean;
  /** The job, when the caller knows it (execute). */
  job?: string;
  /** When the run was started by this client (epoch ms, tenant clock), before the tenant says. */
  startedAt?: number;
  /** The stall floor (stall.ts); the watch gives up on a stalled run, exit 4. */
  stallAfterMs?: number;
}

/** What a stall's explanation needs: whether the tenant is OpenIDM, and the job's filter (stall.ts). */
function stallContextOf(client: TenantClient, extras: FollowExtras) {
  return async (run: { _id: string; name: string | null }): Promise<StallContext> => {
    const openidm = await client.runs.isOpenIdmFork().catch(() => undefined);
    const job = (extras.job ?? client.runs.jobOf(run as Parameters<typeof client.runs.jobOf>[0]))?.replace(
      /^schedule\//,
      '',
    );
    if (!job) return { openidm };
    const stored = await client.readPushedJob(job, openidm === true);
    const scan = (stored?.job.invokeContext as { scan?: Record<string, unknown> } | undefined)?.scan;
    const filter = scan?._queryFilter ?? scan?.queryFilter;
    return { openidm, filter: typeof filter === 'string' ? filter : undefined };
  };
}

/** Watches until the end, stopping cleanly on Ctrl-C and giving up on a stalled run; returns the exit code. */
export async function follow(
  client: TenantClient,
  runId: string,
  io: CliIO,
  json: boolean,
  extras: FollowExtras = {},
): Promise<number> {
  const view = new RunView(io, json);
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  const recorder = extras.connection
    ? new RunRecorder(historyOf(io, extras.connection), extras.job, Date.now, (err) =>
        io.stderr.write(`warning: the run could not be saved in the local history: ${String(err)}\n`),
      )
    : undefined;
  const lines =
    extras.logs && extras.connection ? new LinePrinter(client, extras.connection, io, view, json) : undefined;
  // The final summary waits for the run's last log lines, so it stays the last line printed.
  let end: WatchEvent | undefined;
  try {
    const result: WatchEnd = await watchRun(runId, client.runs, {
      signal: ac.signal,
      // Never wait forever (docs/cli.md "Stalled runs"): give up on a frozen run, naming the cause.
      stallAfterMs: extras.stallAfterMs,
      stopWhenStalled: true,
      stallContext: stallContextOf(client, extras),
      // The job's kept runs set the threshold until this run has a pace of its own (stall.ts).
      stallHistory: extras.connection
        ? async (run) => {
            const job = extras.job ?? client.runs.jobOf(run)?.replace(/^schedule\//, '');
            return job ? stallHistoryOf(await historyOf(io, extras.connection!).list(), job) : undefined;
          }
        : undefined,
      onEvent: (event) => {
        recorder?.listener(event);
        if ('run' in event && event.run) lines?.seen(runId, event.run, extras);
        if (event.type === 'final' || event.type === 'stopped') end = event;
        else view.listener(event);
      },
    });
    await lines?.finish(result, ac.signal.aborted);
    if (end) view.listener(end);
    await recorder?.flush();
    return exitCodeOf(result);
  } finally {
    process.removeListener('SIGINT', onInt);
  }
}

/** Prints the lines of one followed run (or says once why it cannot). */
class LinePrinter {
  private logs: RunLogs | undefined;

  constructor(
    private readonly client: TenantClient,
    private readonly connection: Connection,
    private readonly io: CliIO,
    private readonly view: RunView,
    private readonly json: boolean,
  ) {}

  seen(runId: string, run: { started: string | null; name: string | null }, extras: FollowExtras): void {
    if (this.logs) return;
    const started =
      run.started ?? new Date(extras.startedAt ?? Date.now() + this.client.http.clockSkewMs).toISOString();
    const job = extras.job ?? run.name?.replace(/^schedule\//, '') ?? '';
    const tail = new LogTail(logClientOf(this.client, this.connection));
    this.logs = new RunLogs(tail, { runId, job, started }, (e) => this.print(e)).start();
  }

  private print(event: LogEvent): void {
    if (this.json) {
      if (event.type === 'lines')
        for (const l of event.lines) writeJson(this.io, { event: 'log', ...l, job: l.job ?? null });
      else writeJson(this.io, { event: `log-${event.type}`, ...event, type: undefined });
      return;
    }
    if (event.type === 'lines') for (const l of event.lines) this.view.note(lineText(l, false));
    else if (event.type === 'unavailable') this.io.stderr.write(`${event.availability.message}\n`);
    else if (event.type === 'error') this.io.stderr.write(`log lines: ${event.message}\n`);
  }

  async finish(end: WatchEnd, aborted: boolean): Promise<void> {
    if (!this.logs) return;
    if (aborted || end.type === 'stopped') this.logs.stop();
    else this.logs.ended(end.run.ended ?? undefined);
    await this.logs.done;
  }
}

export { EXIT };
