/**
 * Script threads (issue 12, item 6 and "Also": one bad script must not stall the HTTP server). Scan
 * and scheduler scripts run on worker threads (scriptthread.ts), a batch of objects at a time; the
 * main thread keeps the store, the HTTP server and the scan's claims and counters, and answers the
 * scripts' `openidm.*` calls between requests. At most `size` threads exist, each with one engine,
 * so the emulator's memory is bounded by the thread count, not by runs or workers; a batch waits
 * for a free thread. A thread that dies (a crash, or ended from outside) ends its batch with the object it
 * was on, and the next batch gets a new thread.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MessageChannel, MessagePort, Worker } from 'node:worker_threads';
import type { SandboxLimits } from './sandbox';
import {
  BatchMessage,
  SIGNAL_CURRENT,
  SIGNAL_REPLY,
  SIGNAL_SLOTS,
  SIGNAL_STOP,
  ThreadLine,
  ThreadMessage,
  ThreadOutcome,
} from './scriptprotocol';

/** What the main thread does with a batch's traffic; each is called synchronously, in order. */
export interface BatchHandlers {
  /** Log lines written before the next call or outcome (`dropped`: lines past the caps, counted only). */
  lines(lines: ThreadLine[], dropped: number): void;
  /** An `openidm.*` call of item `index`: the reply JSON (sandbox.ts answerCall). */
  call(index: number, operation: string, argsJson: string): string;
  /** Outcomes to record now, the last of an object whose script wrote; true stops that object's worker. */
  settle(outcomes: ThreadOutcome[]): boolean;
}

/**
 * How a batch ended: items before `next` ran or were skipped (their outcomes are here or were settled);
 * `crash` when the thread died on item `crash.index` (-1: between objects), outcomes not settled lost.
 */
export interface BatchResult {
  next: number;
  outcomes: ThreadOutcome[];
  crash?: { index: number; reason: string };
}

export interface ScriptThreadsOptions {
  limits?: Partial<SandboxLimits>;
  /** Threads at most (default 4). */
  size?: number;
  log: (line: string) => void;
}

export const DEFAULT_SCRIPT_THREADS = 4;

const load = createRequire(__filename);

/**
 * The thread's code: beside the bundle (dist/emulator-script-thread.js) or, when this file runs
 * from source under tsx (tests, benchmarks), the TypeScript file loaded through tsx.
 */
function threadEntry(): { code: string; eval: boolean } {
  if (__filename.endsWith('.ts')) {
    const tsx = load.resolve('tsx/cjs');
    const entry = join(__dirname, 'scriptthread.ts');
    return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, eval: true };
  }
  return { code: join(__dirname, 'emulator-script-thread.js'), eval: false };
}

let nextBatchId = 1;

/** No thread can be had: the emulator is closing. */
export class ThreadsClosed extends Error {}

/** The batch a thread is running and how to end it. */
interface Current {
  id: number;
  handlers: BatchHandlers;
  resolve: (result: BatchResult) => void;
  reject: (err: unknown) => void;
}

class ScriptThread {
  readonly worker: Worker;
  private readonly signal: Int32Array;
  private readonly replies: MessagePort;
  private current: Current | undefined;
  dead = false;

  constructor(
    options: ScriptThreadsOptions,
    private readonly onDeath: (thread: ScriptThread) => void,
  ) {
    const shared = new SharedArrayBuffer(4 * SIGNAL_SLOTS);
    this.signal = new Int32Array(shared);
    Atomics.store(this.signal, SIGNAL_CURRENT, -1);
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    const entry = threadEntry();
    this.worker = new Worker(entry.code, {
      eval: entry.eval,
      workerData: { limits: options.limits ?? {}, replies: port2, signal: shared },
      transferList: [port2],
      // No resourceLimits: a worker over a small V8 heap limit can abort the whole process (a large
      // allocation skips the limit's callback), and what a script hands the host is bounded by its
      // QuickJS heap anyway.
    });
    // Threads never keep the process alive; the emulator's server does, and close() ends them.
    this.worker.unref();
    this.worker.on('message', (m: ThreadMessage) => this.receive(m));
    this.worker.on('error', (err) => this.die(err.message));
    this.worker.on('exit', (code) => this.die(`the thread exited with code ${code}`));
  }

  run(batch: Omit<BatchMessage, 'id'>, handlers: BatchHandlers): { id: number; done: Promise<BatchResult> } {
    const id = nextBatchId++;
    const done = new Promise<BatchResult>((resolve, reject) => {
      this.current = { id, handlers, resolve, reject };
    });
    this.worker.postMessage({ ...batch, id } satisfies BatchMessage);
    return { id, done };
  }

  /** Asks the thread to stop batch `id` before its next object. */
  stop(id: number): void {
    Atomics.store(this.signal, SIGNAL_STOP, id);
  }

  private answer(reply: unknown): void {
    this.replies.postMessage(reply);
    Atomics.store(this.signal, SIGNAL_REPLY, 1);
    Atomics.notify(this.signal, SIGNAL_REPLY);
  }

  private receive(m: ThreadMessage): void {
    const current = this.current;
    if (!current || m.batch !== current.id) return;
    try {
      this.handle(m, current);
    } catch (err) {
      // The main thread failed on the batch (its store, say): the batch fails with that error (the run
      // ends in ERROR, scanner.ts), and the thread, which may be waiting for an answer, is ended.
      this.current = undefined;
      this.dead = true;
      this.onDeath(this);
      void this.worker.terminate();
      current.reject(err);
    }
  }

  private handle(m: ThreadMessage, current: Current): void {
    const { handlers } = current;
    handlers.lines(m.lines, m.dropped);
    if (m.type === 'call') {
      const t0 = performance.now();
      const reply = handlers.call(m.index, m.operation, m.argsJson);
      this.answer({ reply, micros: Math.round((performance.now() - t0) * 1000) });
    } else if (m.type === 'settle') {
      this.answer({ stop: handlers.settle(m.outcomes) });
    } else {
      this.current = undefined;
      current.resolve({ next: m.next, outcomes: m.outcomes });
    }
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.onDeath(this);
    const current = this.current;
    this.current = undefined;
    if (current)
      current.resolve({
        next: 0,
        outcomes: [],
        crash: { index: Atomics.load(this.signal, SIGNAL_CURRENT), reason },
      });
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

/** A running batch: its result, and a way to stop it between two objects (cancel, shutdown). */
export interface RunningBatch {
  done: Promise<BatchResult>;
  stop(): void;
}

export class ScriptThreads {
  private readonly idle: ScriptThread[] = [];
  private readonly all = new Set<ScriptThread>();
  private readonly waiting: ((thread: ScriptThread) => void)[] = [];
  private closed = false;

  constructor(private readonly o: ScriptThreadsOptions) {}

  /** How many threads exist now (for tests and the info route). */
  get count(): number {
    return this.all.size;
  }

  /** Runs a batch on a free thread (waiting for one when all are busy). */
  run(batch: Omit<BatchMessage, 'id'>, handlers: BatchHandlers): RunningBatch {
    let stopped = false;
    let stopNow: (() => void) | undefined;
    const done = this.lease().then(async (thread) => {
      const running = thread.run(batch, handlers);
      stopNow = () => thread.stop(running.id);
      if (stopped) stopNow();
      try {
        return await running.done;
      } finally {
        this.release(thread);
      }
    });
    return {
      done,
      stop: () => {
        stopped = true;
        stopNow?.();
      },
    };
  }

  private lease(): Promise<ScriptThread> {
    if (this.closed) return Promise.reject(new ThreadsClosed('the emulator is closing: no script runs'));
    const thread = this.idle.pop();
    if (thread) return Promise.resolve(thread);
    if (this.all.size < (this.o.size ?? DEFAULT_SCRIPT_THREADS)) {
      const created = new ScriptThread(this.o, (dead) => this.bury(dead));
      this.all.add(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(thread: ScriptThread): void {
    if (thread.dead) return;
    const next = this.waiting.shift();
    if (next) next(thread);
    else this.idle.push(thread);
  }

  /** A thread died: forget it, and let a waiting batch have a new one in its place. */
  private bury(thread: ScriptThread): void {
    this.all.delete(thread);
    const i = this.idle.indexOf(thread);
    if (i >= 0) this.idle.splice(i, 1);
    if (!this.closed) this.o.log(`script thread ${thread.worker.threadId} ended; a new one takes its place`);
    const next = this.waiting.shift();
    if (next && !this.closed) {
      const created = new ScriptThread(this.o, (dead) => this.bury(dead));
      this.all.add(created);
      next(created);
    }
  }

  /**
   * Ends every thread at once, as a crash would (fault injection for tests: their batches record the
   * object they were on as failed, and the next batch gets a new thread). Returns how many it ended.
   */
  async crash(): Promise<number> {
    const threads = [...this.all];
    await Promise.all(threads.map((t) => t.worker.terminate()));
    return threads.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
