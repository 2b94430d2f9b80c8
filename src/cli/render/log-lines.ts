// Script log lines on the terminal and as JSON (docs/cli.md "logs"), and the CLI's log helpers.
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { LOG_LIMITS, LogClient, type ScriptLine } from '../../core/logs';
import type { Connection, TenantClient } from '../../core/tenant';
import { HistoryFile, defaultHistoryDir, historyFileName } from '../../core/history';
import { join } from 'node:path';
import { writeJson } from './session';
import { MAX_FILTER_LENGTH } from '../../core/run-view';

/** `2026-01-01T10:00:00.123Z WARN  message [job]`; the job only when it is not already known. */
export function lineText(line: ScriptLine, showJob: boolean): string {
  const job = showJob && line.job ? ` [${line.job}]` : '';
  return `${line.time} ${line.level.padEnd(5)} ${line.message}${job}`;
}

export function writeLine(io: CliIO, line: ScriptLine, json: boolean, showJob: boolean): void {
  if (json) writeJson(io, { event: 'log', ...line, job: line.job ?? null });
  else io.stdout.write(`${lineText(line, showJob)}\n`);
}

/** `90s`, `10m`, `2h`, `1d` → milliseconds; at most 24 h, the widest window the log API serves. */
export function parseSince(text: string, option = '--since'): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new UsageError(`${option} takes a duration such as 90s, 10m, 2h or 1d, not '${text}'`);
  const ms =
    Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (ms <= 0) throw new UsageError(`${option} must be longer than zero`);
  if (ms > LOG_LIMITS.maxWindowMs)
    throw new UsageError(`${option} ${text} is longer than 24 h, the widest window the log API serves`);
  return ms;
}

/** The log client of a CLI session: the key from the environment (or the local tenant's own). */
export function logClientOf(client: TenantClient, connection: Connection): LogClient {
  // The profile's platform: self-hosted IDM and OpenIDM have no log API and are sent no log request.
  return new LogClient(client.http, connection.logKey, { platform: connection.platform });
}

/** The history file of a tenant under the user's config folder (docs/logs.md "History"). */
export function historyOf(io: CliIO, connection: Connection): HistoryFile {
  return new HistoryFile(
    join(defaultHistoryDir(io.env), historyFileName(connection.label, connection.baseUrl)),
    {
      onDamaged: (m) => io.stderr.write(`warning: ${m}\n`),
    },
  );
}

/** A `--grep` text: not blank, at most MAX_FILTER_LENGTH characters (the details view's limit). */
export function parseGrep(text: string): string {
  if (!text.trim()) throw new UsageError('--grep needs a text to look for');
  if (text.length > MAX_FILTER_LENGTH)
    throw new UsageError(`--grep takes at most ${MAX_FILTER_LENGTH} characters, not ${text.length}`);
  return text;
}
