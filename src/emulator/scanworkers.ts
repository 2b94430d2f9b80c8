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
import { EnginePool, ScriptEngine } from './sandbox';
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
  const workers = [];
  for (const slice of slices) {
    const worker = {
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
    workers.push(worker);
  }
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
          const input = objectOfRow(w.slice[w.next]!);
          w.slice[w.next++] = undefined as unknown as ObjectRow;
          w.objectID = `${plan.object}/${input._id}`;
          let step: Step;
          try {
            step = scanObject(ctx, run, plan, script, collection, input, w.objectID, w.engine, w.host);
          } catch (err) {
            // §5.3: an exception ends this worker's slice; the others carry on.
            ctx.note(
              run,
              'error',
              `worker stopped: ${err instanceof Error ? err.message : String(err)}`,
              w.objectID,
            );
            step = 'abort';
          }
          if (step !== 'next') w.next = w.slice.length;
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

/** §5.4 for one object: skip rule, claim, script, complete. */
function scanObject(
  ctx: WorkContext,
  run: ActiveRun,
  plan: ScanPlan,
  script: ScanScript,
  collection: string,
  input: JsonObject,
  objectID: string,
  engine: ScriptEngine,
  host: ManagedScriptHost,
): Step {
  const progress = run.record.progress;
  const startedPtr = plan.startedPointer;
  const completedPtr = plan.completedPointer;
  if (!startedPtr || !completedPtr) {
    ctx.note(run, 'error', 'taskState pointer missing (JsonValueException): this worker stops', objectID);
    return 'abort';
  }
  const id = input._id;
  if (typeof id !== 'string' || typeof input._rev !== 'string') {
    ctx.note(run, 'error', 'query result without _id or _rev: this worker stops', objectID);
    return 'abort';
  }
  const startedSeen = getPointer(input, startedPtr);
  if (startedSeen !== undefined && startedSeen !== null) {
    const started = parseStartedTime(startedSeen);
    if (started === undefined) {
      ctx.note(
        run,
        'error',
        `${startedPtr} is '${String(startedSeen)}', not yyyy-MM-ddTHH:mm:ss.SSSZ: this worker stops (as on the platform)`,
        objectID,
      );
      return 'abort';
    }
    // Still owned by an earlier claim: skipped, not counted.
    if (started + plan.recoveryMs(started) > ctx.o.clock().getTime()) return 'next';
  }
  let current = input as StoredObject;
  // The claim check (§5.4): the object must still be at the revision the query saw. A batch runs
  // without interruption, so between this check and the writes below only the script itself could
  // change the object, and any openidm.* call from the script first writes the claim.
  for (;;) {
    if (run.cancelled) return 'stop';
    const rev = ctx.o.objects.revision(collection, id);
    if (rev === undefined) return 'next';
    if (rev === current._rev) break;
    const fresh = ctx.o.objects.read(collection, id)!;
    const s = getPointer(fresh, startedPtr);
    const c = getPointer(fresh, completedPtr);
    if ((c === undefined || c === null) && (s === undefined || s === null || s === startedSeen))
      current = fresh;
    else return 'next';
  }
  const baseRev = current._rev;
  setPointer(current, startedPtr, ctx.o.clock().toISOString());
  setPointer(current, completedPtr, null);
  // The platform's two claim updates (started, then completed := null) advance the revision twice.
  current._rev = String(Number(baseRev) + 2);
  let claimWritten = false;
  const writeClaim = (): void => {
    if (claimWritten) return;
    claimWritten = true;
    ctx.o.objects.update(collection, id, current, baseRev, 2);
  };
  host.wrote = false;
  host.beforeCall = writeClaim;
  let outcome;
  try {
    outcome = engine.run(script.source, JSON.stringify(current), `${plan.object}/`, script.globalsJson);
  } finally {
    host.beforeCall = undefined;
  }
  if (!outcome.ok) {
    writeClaim();
    // §5.3, §5.6: a script exception counts one failure and ends this worker's slice.
    progress.failures++;
    progress.processed = progress.successes + progress.failures;
    ctx.note(
      run,
      'error',
      `script failed: ${outcome.error}; this worker's remaining objects are skipped`,
      objectID,
    );
    return 'abort';
  }
  if (host.wrote) {
    const fresh = ctx.o.objects.read(collection, id);
    if (!fresh) {
      ctx.note(run, 'error', 'the object disappeared while its script ran: this worker stops', objectID);
      return 'abort';
    }
    current = fresh;
  }
  if (outcome.isTrue) {
    setPointer(current, completedPtr, ctx.o.clock().toISOString());
    try {
      // Claim and completion in one write when the script did not touch the store (revision + 3).
      if (claimWritten) ctx.o.objects.update(collection, id, current, current._rev);
      else ctx.o.objects.update(collection, id, current, baseRev, 3);
    } catch (err) {
      ctx.note(
        run,
        'error',
        `could not mark the object completed: ${String(err)}; this worker stops`,
        objectID,
      );
      return 'abort';
    }
    progress.successes++;
  } else {
    writeClaim();
    // §5.6: only exactly `true` is a success; `completed` stays null and the object is rescanned next time.
    progress.failures++;
    ctx.note(
      run,
      'warn',
      `script returned ${outcome.valueType}, not true: counted as a failure, ${completedPtr} left unset`,
      objectID,
    );
  }
  progress.processed = progress.successes + progress.failures;
  return 'next';
}
