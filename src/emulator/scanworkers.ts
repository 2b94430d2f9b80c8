/**
 * The workers of a task-scan run and the per-object algorithm (idm-api.md §5.3, §5.4): skip rule,
 * claim with revision checks, the script, completion, counters.
 *
 * "Threads" are cooperative workers on Node's one thread. Each owns a slice and an engine and stops
 * alone on an abort; they take turns one object at a time, so together they walk the results in
 * query order, and each round of turns is one SQLite transaction (object writes, script writes,
 * counters and log lines together), after which they yield so HTTP requests and cancels are served.
 * A process killed mid-round loses that round whole, never half of it.
 */
import { JsonObject, ObjectRow, StoredObject, objectOfRow } from './objects';
import { setPointer } from './patch';
import { getPointer } from './pointer';
import { RunLogEntry, RunRecord, clipMessage } from './runs';
import { EnginePool, ScriptEngine, type ScriptOutcome } from './sandbox';
import { parseStartedTime } from '../core/preview/task-state';
import { ScanPlan, ScanScript } from './scanplan';
import { ManagedScriptHost } from './scripthost';
import type { ScannerOptions } from './scanner';

export interface ActiveRun {
  record: RunRecord;
  cancelled: boolean;
  /** Set when the emulator stops: the workers stop like on a cancel, but the run ends in ERROR (§4.2). */
  interrupted: boolean;
  done: Promise<void>;
}

export interface WorkContext {
  o: ScannerOptions;
  engines: EnginePool;
  note(run: ActiveRun, level: RunLogEntry['level'], message: string, objectID?: string): void;
}

/** Objects per round and the time a round may take before yielding. */
const BATCH_OBJECTS = 500;
const BATCH_MS = 25;

type Step = 'next' | 'abort' | 'stop';

/** What every object of one run's scan shares. */
interface ObjectScan {
  ctx: WorkContext;
  run: ActiveRun;
  plan: ScanPlan;
  script: ScanScript;
  collection: string;
}

/** One worker (§5.3): its slice, its engine and script host, and the object it is on. */
interface Worker {
  slice: ObjectRow[];
  next: number;
  objectID: string;
  host: ManagedScriptHost;
  engine: ScriptEngine;
}

/** A worker with its script host and engine; its host writes the script's log lines into the run. */
async function newWorker(scan: ObjectScan, slice: ObjectRow[]): Promise<Worker> {
  const { ctx, run } = scan;
  const worker: Worker = {
    slice,
    next: 0,
    objectID: '',
    host: undefined as unknown as ManagedScriptHost,
    engine: undefined as unknown as ScriptEngine,
  };
  worker.host = new ManagedScriptHost(ctx.o.managed, (level, message) => {
    // The tenant's log keeps many lines in memory: the same per-message cap as the run log.
    ctx.o.scriptLog?.(level, clipMessage(message));
    ctx.o.runs.appendLog(run.record._id, {
      time: ctx.o.clock().toISOString(),
      level,
      source: 'script',
      objectID: worker.objectID,
      message,
    });
  });
  if (ctx.o.traceScriptCalls)
    worker.host.onCall = (operation, resource, outcome) =>
      ctx.o.runs.appendLog(run.record._id, {
        time: ctx.o.clock().toISOString(),
        level: 'trace',
        source: 'scanner',
        objectID: worker.objectID,
        message: `openidm.${operation} ${resource}: ${outcome}`,
      });
  worker.engine = await ctx.engines.take(worker.host);
  return worker;
}

/**
 * The workers (§5.3): each owns a slice and an engine, and stops alone on an abort. They take
 * turns one object at a time, so together they walk the results in query order, which keeps a
 * transaction's writes on neighbouring pages; each round of turns is one transaction.
 * Resolves true when every slice was worked to its end.
 */
export async function runWorkers(
  ctx: WorkContext,
  run: ActiveRun,
  plan: ScanPlan,
  script: ScanScript,
  collection: string,
  slices: ObjectRow[][],
): Promise<boolean> {
  const scan: ObjectScan = { ctx, run, plan, script, collection };
  const workers: Worker[] = [];
  for (const slice of slices) workers.push(await newWorker(scan, slice));
  const active = workers.filter((w) => w.slice.length > 0);
  try {
    // The next worker to take a turn, kept across rounds: a round ends when its time is up even in the
    // middle of the workers (a slow script stalls the server for one object, not one per worker).
    let cursor = 0;
    while (active.length > 0 && !run.cancelled) {
      ctx.o.store.db.transaction(() => {
        const until = Date.now() + BATCH_MS;
        let n = 0;
        while (active.length > 0 && n < BATCH_OBJECTS && Date.now() < until) {
          // §5.7: the cancel flag is checked before each object.
          if (run.cancelled) break;
          cursor %= active.length;
          const w = active[cursor]!;
          if (takeTurn(scan, w) !== 'next') w.next = w.slice.length;
          n++;
          if (w.next >= w.slice.length) active.splice(cursor, 1);
          else cursor++;
        }
        ctx.o.runs.save(run.record);
      });
      if (active.length > 0) await ctx.o.turns.next();
    }
  } finally {
    for (const w of workers) ctx.engines.give(w.engine);
  }
  // Whether every worker reached the end of its slice (false: stopped by a cancel or a shutdown).
  return active.length === 0;
}

/** One turn of a worker: its next object, scanned; an exception ends its slice (§5.3). */
function takeTurn(scan: ObjectScan, w: Worker): Step {
  const input = objectOfRow(w.slice[w.next]!);
  w.slice[w.next++] = undefined as unknown as ObjectRow;
  w.objectID = `${scan.plan.object}/${input._id}`;
  try {
    return scanObject(scan, w, input);
  } catch (err) {
    // §5.3: an exception ends this worker's slice; the others carry on.
    const why = err instanceof Error ? err.message : String(err);
    scan.ctx.note(scan.run, 'error', `worker stopped: ${why}`, w.objectID);
    return 'abort';
  }
}

/** §5.4 for one object: skip rule, claim, script, complete. */
function scanObject(scan: ObjectScan, w: Worker, input: JsonObject): Step {
  const { ctx, run, plan } = scan;
  const startedPtr = plan.startedPointer;
  const completedPtr = plan.completedPointer;
  if (!startedPtr || !completedPtr) {
    ctx.note(run, 'error', 'taskState pointer missing (JsonValueException): this worker stops', w.objectID);
    return 'abort';
  }
  const id = input._id;
  if (typeof id !== 'string' || typeof input._rev !== 'string') {
    ctx.note(run, 'error', 'query result without _id or _rev: this worker stops', w.objectID);
    return 'abort';
  }
  const startedSeen = getPointer(input, startedPtr);
  const skip = skipRule(scan, startedSeen, startedPtr, w.objectID);
  if (skip) return skip;
  const current = claimable(scan, input as StoredObject, id, startedSeen);
  if (typeof current === 'string') return current;
  return claimAndRun(scan, w, current, id);
}

/** The skip rule (§5.4): an object whose claim is younger than the recovery timeout is left alone. */
function skipRule(
  scan: ObjectScan,
  startedSeen: unknown,
  startedPtr: string,
  objectID: string,
): Step | undefined {
  if (startedSeen === undefined || startedSeen === null) return undefined;
  const started = parseStartedTime(startedSeen);
  if (started === undefined) {
    scan.ctx.note(
      scan.run,
      'error',
      `${startedPtr} is '${String(startedSeen)}', not yyyy-MM-ddTHH:mm:ss.SSSZ: this worker stops (as on the platform)`,
      objectID,
    );
    return 'abort';
  }
  // Still owned by an earlier claim: skipped, not counted.
  return started + scan.plan.recoveryMs(started) > scan.ctx.o.clock().getTime() ? 'next' : undefined;
}

/**
 * The claim check (§5.4): the object must still be at the revision the query saw. A batch runs
 * without interruption, so between this check and the writes that follow only the script itself
 * could change the object, and any openidm.* call from the script first writes the claim.
 * Returns the object to claim, or the step when there is none.
 */
function claimable(
  scan: ObjectScan,
  seen: StoredObject,
  id: string,
  startedSeen: unknown,
): StoredObject | Step {
  const { ctx, run, plan, collection } = scan;
  let current = seen;
  for (;;) {
    if (run.cancelled) return 'stop';
    const rev = ctx.o.objects.revision(collection, id);
    if (rev === undefined) return 'next';
    if (rev === current._rev) return current;
    const fresh = ctx.o.objects.read(collection, id)!;
    const s = getPointer(fresh, plan.startedPointer!);
    const c = getPointer(fresh, plan.completedPointer!);
    if ((c === undefined || c === null) && (s === undefined || s === null || s === startedSeen))
      current = fresh;
    else return 'next';
  }
}

/** An object claimed for this run: its claim is written on first need (a script's first call). */
interface Claim {
  object: StoredObject;
  /** The revision the claim starts from. */
  baseRev: string;
  written: boolean;
  write(): void;
}

/** Claims the object and runs the script on it (§5.4); then records the outcome. */
function claimAndRun(scan: ObjectScan, w: Worker, claimed: StoredObject, id: string): Step {
  const { ctx, plan, script, collection } = scan;
  const baseRev = claimed._rev;
  setPointer(claimed, plan.startedPointer!, ctx.o.clock().toISOString());
  setPointer(claimed, plan.completedPointer!, null);
  // The platform's two claim updates (started, then completed := null) advance the revision twice.
  claimed._rev = String(Number(baseRev) + 2);
  const claim: Claim = {
    object: claimed,
    baseRev,
    written: false,
    write() {
      if (claim.written) return;
      claim.written = true;
      ctx.o.objects.update(collection, id, claim.object, baseRev, 2);
    },
  };
  w.host.wrote = false;
  w.host.beforeCall = () => claim.write();
  let outcome: ScriptOutcome;
  try {
    outcome = w.engine.run(script.source, JSON.stringify(claimed), `${plan.object}/`, script.globalsJson);
  } finally {
    w.host.beforeCall = undefined;
  }
  return recordOutcome(scan, w, claim, id, outcome);
}

/** §5.3, §5.6: the counters, the log line and the completed mark for the script's outcome. */
function recordOutcome(scan: ObjectScan, w: Worker, claim: Claim, id: string, outcome: ScriptOutcome): Step {
  const { ctx, run, plan, collection } = scan;
  const completedPtr = plan.completedPointer!;
  const progress = run.record.progress;
  if (!outcome.ok) {
    claim.write();
    // §5.3, §5.6: a script exception counts one failure and ends this worker's slice.
    progress.failures++;
    progress.processed = progress.successes + progress.failures;
    ctx.note(
      run,
      'error',
      `script failed: ${outcome.error}; this worker's remaining objects are skipped`,
      w.objectID,
    );
    return 'abort';
  }
  let current = claim.object;
  if (w.host.wrote) {
    const fresh = ctx.o.objects.read(collection, id);
    if (!fresh) {
      ctx.note(run, 'error', 'the object disappeared while its script ran: this worker stops', w.objectID);
      return 'abort';
    }
    current = fresh;
  }
  if (outcome.isTrue) {
    setPointer(current, completedPtr, ctx.o.clock().toISOString());
    try {
      // Claim and completion in one write when the script did not touch the store (revision + 3).
      if (claim.written) ctx.o.objects.update(collection, id, current, current._rev);
      else ctx.o.objects.update(collection, id, current, claim.baseRev, 3);
    } catch (err) {
      ctx.note(
        run,
        'error',
        `could not mark the object completed: ${String(err)}; this worker stops`,
        w.objectID,
      );
      return 'abort';
    }
    progress.successes++;
  } else {
    claim.write();
    // §5.6: only exactly `true` is a success; `completed` stays null and the object is rescanned next time.
    progress.failures++;
    ctx.note(
      run,
      'warn',
      `script returned ${outcome.valueType}, not true: counted as a failure, ${completedPtr} left unset`,
      w.objectID,
    );
  }
  progress.processed = progress.successes + progress.failures;
  return 'next';
}
