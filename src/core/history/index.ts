// The history layer's public surface (docs/logs.md "History").
export * from './types';
export { HistoryFile, defaultHistoryDir, historyFileName, thin } from './store';
export type { HistoryFileOptions } from './store';
export { RunRecorder, recordListing, historyRunOf, historyPoints } from './record';
