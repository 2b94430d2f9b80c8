// The log layer's public surface (docs/logs.md): what the CLI and the extension import.
export * from './types';
export { RateBudget, budgetFor, readRateHeaders } from './rate';
export type { RateBudgetOptions } from './rate';
export { LogClient, LogsUnavailableError, HOW_TO_ADD_A_KEY, toLogPage } from './client';
export type { LogQuery, LogClientOptions } from './client';
export { toScriptLine, Deduper, belongsToRun, readMarker, EARLY_MS, LATE_MS } from './lines';
export { markLoggerCalls, unmarkLoggerCalls, markerOf, markJobLogging, unmarkJobLogging } from './marker';
export type { MarkResult } from './marker';
export { LogTail, LogTailHub, RunLogs } from './follow';
export type { TailOptions, RunLogsOptions } from './follow';
