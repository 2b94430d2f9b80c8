import type { RunRecord, RunState } from '../tenant/types';
import type { ProgressStats } from './progress';
import type { StallExplanation } from './stall';

/** What a run watcher reports; the CLI and the extension render these. */
export type WatchEvent =
  | { type: 'state'; run: RunRecord; from: RunState | undefined }
  | { type: 'progress'; run: RunRecord; stats: ProgressStats }
  | { type: 'connection-lost'; message: string; attempt: number; retryInMs: number }
  | { type: 'connection-restored'; downForMs: number }
  | { type: 'not-found'; message: string; attempt: number }
  /** The count has not moved for `forMs` ≥ `thresholdMs` (stall.ts); told once per frozen stretch. */
  | { type: 'stalled'; run: RunRecord; forMs: number; thresholdMs: number; explanation: StallExplanation }
  | WatchEnd;

/** The last event of a watch: exactly one per watch. */
export type WatchEnd =
  | { type: 'final'; run: RunRecord; stats: ProgressStats }
  | {
      type: 'stopped';
      /** `stalled`: the watch gave up on a stalled run (`stopWhenStalled`); the run is still going. */
      reason: 'aborted' | 'not-found' | 'error' | 'stalled';
      message: string;
      run: RunRecord | undefined;
      /** What an `error` stop failed with, for a caller to report as it is (a refused sign-in, say). */
      error?: unknown;
    };

export type WatchListener = (event: WatchEvent) => void;
