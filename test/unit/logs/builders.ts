// Typed builders for log API replies (the shape of "Retrieve log entries using REST API",
// docs.pingidentity.com/pingoneaic/tenants/audit-debug-logs-pull) and run windows.
import type { LogEntry, RunWindow } from '../../../src/core/logs';

export function textEntry(timestamp: string, text: string, source = 'idm-core'): LogEntry {
  return { payload: text, timestamp, type: 'text/plain', source };
}

export function jsonEntry(
  timestamp: string,
  payload: Record<string, unknown>,
  source = 'idm-everything',
): LogEntry {
  return { payload, timestamp, type: 'application/json', source };
}

export function runWindow(job: string, started: string, ended?: string): RunWindow {
  return { runId: `${job}-run`, job, started, ended };
}
