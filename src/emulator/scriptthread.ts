/**
 * A script thread (issue 12, item 6 and "Also"): runs the scripts of a batch of objects, one after
 * another, in one QuickJS engine, so a script that loops or fills its heap holds this thread and never
 * the HTTP one. Bundled as dist/emulator-script-thread.js; started by scriptthreads.ts.
 *
 * `openidm.*` calls go to the main thread, which owns the tenant's store, and this thread waits for
 * the answer (Atomics.wait, then receiveMessageOnPort): scripts see and change the same data, with the
 * same code, as REST does. Log lines are clipped and buffered here and travel with the next call or
 * with the outcomes, so the run log keeps them in the order they were written.
 */
import { MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { MAX_LOG_CHARS, MAX_LOG_ENTRIES, clipMessage } from './runs';
import { LogLevel, SandboxLimits, ScriptEngine, ScriptHost } from './sandbox';
import {
  BatchMessage,
  SIGNAL_CURRENT,
  SIGNAL_REPLY,
  SIGNAL_STOP,
  ThreadLine,
  ThreadMessage,
  ThreadOutcome,
} from './scriptprotocol';

interface Init {
  limits: Partial<SandboxLimits>;
  replies: MessagePort;
  signal: SharedArrayBuffer;
}

const init = workerData as Init;
const signal = new Int32Array(init.signal);
const port = parentPort!;

/** The batch being run and what it has not yet sent to the main thread. */
let batch: BatchMessage | undefined;
let index = -1;
let lines: ThreadLine[] = [];
let lineChars = 0;
let dropped = 0;
const outcomes: ThreadOutcome[] = [];
let wrote = false;

/** Sends `message` and waits for the main thread's answer on the reply port. */
function ask<T>(message: ThreadMessage): T {
  Atomics.store(signal, SIGNAL_REPLY, 0);
  port.postMessage(message);
  for (;;) {
    Atomics.wait(signal, SIGNAL_REPLY, 0, 1000);
    const got = receiveMessageOnPort(init.replies);
    if (got) return got.message as T;
  }
}

/** The log lines buffered so far, handed over (with the count of lines past the batch's caps). */
function takeLines(): { lines: ThreadLine[]; dropped: number } {
  const taken = { lines, dropped };
  lines = [];
  lineChars = 0;
  dropped = 0;
  return taken;
}

const WRITES = new Set(['create', 'update', 'patch', 'delete']);

const host: ScriptHost = {
  call: () => {
    throw new Error('script threads answer openidm.* through callJson');
  },
  callJson(operation, argsJson) {
    if (WRITES.has(operation)) wrote = true;
    return ask<{ reply: string; micros: number }>({
      type: 'call',
      batch: batch!.id,
      index,
      operation,
      argsJson,
      ...takeLines(),
    });
  },
  log(level: LogLevel, message: string) {
    // The run log keeps at most MAX_LOG_ENTRIES lines and MAX_LOG_CHARS characters per run (runs.ts),
    // so a batch never needs to carry more: past that, lines are only counted.
    if (lines.length >= MAX_LOG_ENTRIES || lineChars >= MAX_LOG_CHARS) {
      dropped++;
      return;
    }
    const clipped = clipMessage(message);
    lines.push({ index, level, message: clipped, cut: clipped !== message });
    lineChars += clipped.length;
  },
};

let engine: ScriptEngine | undefined;

async function run(b: BatchMessage): Promise<void> {
  engine ??= await ScriptEngine.isolated(host, init.limits);
  batch = b;
  const stopped = new Set<number>();
  const started = performance.now();
  let next = 0;
  for (; next < b.items.length; next++) {
    // Between two objects: a cancel, or the batch's time is up (the rest go back to the main thread).
    if (Atomics.load(signal, SIGNAL_STOP) === b.id) break;
    if (next > 0 && performance.now() - started >= b.sliceMs) break;
    const item = b.items[next]!;
    // §5.3: a worker stops at its first script error; its later objects in this batch are not run.
    if (stopped.has(item.key)) continue;
    index = next;
    wrote = false;
    Atomics.store(signal, SIGNAL_CURRENT, next);
    const outcome = engine.run(b.source, item.input, b.prefix, b.globalsJson);
    // A spent engine (out of memory or time) is dropped whole with its module; the next gets a new one.
    if (engine.spent) engine = await ScriptEngine.isolated(host, init.limits);
    outcomes.push({ index: next, outcome });
    if (!outcome.ok) stopped.add(item.key);
    else if (wrote) {
      // The object's record may stop its worker (e.g. the script deleted it): asked before going on.
      const verdict = ask<{ stop: boolean }>({
        type: 'settle',
        batch: b.id,
        outcomes: outcomes.splice(0),
        ...takeLines(),
      });
      if (verdict.stop) stopped.add(item.key);
    }
  }
  index = -1;
  Atomics.store(signal, SIGNAL_CURRENT, -1);
  port.postMessage({ type: 'done', batch: b.id, next, outcomes: outcomes.splice(0), ...takeLines() });
  batch = undefined;
}

port.on('message', (message: BatchMessage) => {
  void run(message);
});
