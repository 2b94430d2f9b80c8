import type { RunRecord, RunState } from '../tenant/types';
import type { ProgressStats } from './progress';

/** What a run watcher reports; the CLI and the extension render these. */
export type WatchEvent =
  | { type: 'state'; run: RunRecord; from: RunState | undefined }
  | { type: 'progress'; run: RunRecord; stats: ProgressStats }
  | { type: 'connection-lost'; message: string; attempt: number; retryInMs: number }
  | { type: 'connection-restored'; downForMs: number }
  | { type: 'not-found'; message: string; attempt: number }
  | { type: 'stalled'; run: RunRecord; forMs: number }
  | WatchEnd;

/** The last event of a watch: exactly one per watch. */
export type WatchEnd =
  | { type: 'final'; run: RunRecord; stats: ProgressStats }
  | {
      type: 'stopped';
      reason: 'aborted' | 'not-found' | 'error';
      message: string;
      run: RunRecord | undefined;
    };

export type WatchListener = (event: WatchEvent) => void;
