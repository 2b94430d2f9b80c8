/**
 * What the main thread and a script thread say to each other (scriptthreads.ts, scriptthread.ts).
 * A shared Int32Array carries what must be seen at once: the reply flag a waiting thread sleeps on,
 * the object it is on (for a thread that dies mid-object) and a batch to stop (a cancel).
 */
import type { LogLevel, ScriptOutcome } from './sandbox';

export const SIGNAL_REPLY = 0;
export const SIGNAL_CURRENT = 1;
export const SIGNAL_STOP = 2;
export const SIGNAL_SLOTS = 3;

/** One object's script: `key` groups the objects of one scan worker (§5.3), `input` is the object as JSON. */
export interface BatchItem {
  key: number;
  input: string;
}

/** Main → thread: run these objects' scripts in order, for at most `sliceMs` after the first. */
export interface BatchMessage {
  id: number;
  source: string;
  prefix: string;
  globalsJson: string;
  items: BatchItem[];
  sliceMs: number;
}

/** A script's `logger` line, clipped in the thread (`cut` when it was). */
export interface ThreadLine {
  index: number;
  level: LogLevel;
  message: string;
  cut: boolean;
}

export interface ThreadOutcome {
  index: number;
  outcome: ScriptOutcome;
}

interface Lines {
  lines: ThreadLine[];
  /** Lines past the batch's caps, counted only. */
  dropped: number;
}

/** Thread → main. `call` and `settle` wait for an answer; `done` ends the batch at item `next`. */
export type ThreadMessage =
  | ({ type: 'call'; batch: number; index: number; operation: string; argsJson: string } & Lines)
  | ({ type: 'settle'; batch: number; outcomes: ThreadOutcome[] } & Lines)
  | ({ type: 'done'; batch: number; next: number; outcomes: ThreadOutcome[] } & Lines);
