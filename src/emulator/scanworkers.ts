/**
 * The workers of a task-scan run and the per-object algorithm (idm-api.md §5.3, §5.4): skip rule,
 * claim with revision checks, the script, completion, counters.
 *
 * "Threads" are cooperative workers: each owns a slice and stops alone on an abort. On the main thread
 * they take turns one object at a time, so together they walk the results in query order; each round
 * of turns checks and claims a batch of objects in one SQLite transaction, the batch's scripts run on
 * a script thread (scanbatch.ts, scriptthreads.ts) while the main thread serves HTTP requests and
 * the scripts' `openidm.*` calls, and the outcomes (completions, counters, log lines) are written
 * together in one more transaction. A claim is held in memory until its object's script calls
 * `openidm.*` or anyone else touches the object (objects.ts), so a claim and its completion are
 * usually one write and nobody can tell.
 */
import { JsonObject, ObjectRow, StoredObject, objectOfRow } from './objects';
import { setPointer } from './patch';
import { getPointer } from './pointer';
import { RunLogEntry, RunRecord } from './runs';
import type { ScriptOutcome } from './sandbox';
import { parseStartedTime } from '../core/preview/task-state';
import { ScanPlan, ScanScript } from './scanplan';
import type { ScannerOptions } from './scanner';
import type { ScriptThreads } from './scriptthreads';
import { runBatch } from './scanbatch';

export interface ActiveRun {
  record: RunRecord;
  cancelled: boolean;
  /** Set when the emulator stops: the workers stop like on a cancel, but the run ends in ERROR (§4.2). */
  interrupted: boolean;
  done: Promise<void>;
  /** Stops the batch on a script thread before its next object (a cancel or a shutdown). */
  stopBatch?: () => void;
}

export interface WorkContext {
  o: ScannerOptions;
  threads: ScriptThreads;
  note(run: ActiveRun, level: RunLogEntry['level'], message: string, objectID?: string): void;
}

/** Objects per round and the time a round may take before yielding. */
const BATCH_OBJECTS = 500;
const BATCH_MS = 25;

export type Step = 'next' | 'abort' | 'stop';

/** What every object of one run's scan shares. */
export interface ObjectScan {
  ctx: WorkContext;
  run: ActiveRun;
  plan: ScanPlan;
  script: ScanScript;
  collection: string;
}

/** One worker (§5.3): its slice, the objects claimed but not yet run, and whether it stopped. */
export interface Worker {
  key: number;
  slice: ObjectRow[];
  next: number;
  carry: Claimed[];
  stopped: boolean;
}

/** An object claimed for this run; the claim is written on first need (objects.ts hold). */
export interface Claim {
  object: StoredObject;
  /** The revision the claim starts from. */
  baseRev: string;
  /** Revisions the claim advances: 2, or 1 when `completed` was null already (see claim). */
  steps: number;
  written: boolean;
  write(): void;
}

/** An object claimed and waiting for its script, with what its script did so far. */
export interface Claimed {
  w: Worker;
  id: string;
  objectID: string;
  claim: Claim;
  /** Its script wrote through `openidm.*` (§5.4: the object is re-read before completion). */
  wrote: boolean;
  /** Its log lines, written to the run log with its outcome; `cut` when clipped already. */
  lines: { entry: RunLogEntry; cut: boolean }[];
  recorded: boolean;
}

/**
 * The workers (§5.3). Resolves true when every slice was worked to its end (false: stopped by a
 * cancel or a shutdown).
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
  const workers: Worker[] = slices.map((slice, key) => ({ key, slice, next: 0, carry: [], stopped: false }));
  const busy = () => workers.filter((w) => !w.stopped && (w.carry.length > 0 || w.next < w.slice.length));
  let active = busy();
  let lostThreads = 0;
  // Objects claimed per batch: about what the thread runs in one slice (BATCH_MS), learned from the
  // last batch, so a slow script does not hold claims far ahead of itself (other runs may take those
  // objects, as on the platform, where a worker claims an object just before its script).
  let size = Math.min(BATCH_OBJECTS, Math.max(1, active.length));
  try {
    // The next worker to take a turn, kept across rounds.
    let cursor = 0;
    while (active.length > 0 && !run.cancelled) {
      const batch: Claimed[] = [];
      ctx.o.store.db.transaction(() => {
        const until = Date.now() + BATCH_MS;
        let n = 0;
        while (active.length > 0 && n < BATCH_OBJECTS && batch.length < size && Date.now() < until) {
          // §5.7: the cancel flag is checked before each object.
          if (run.cancelled) break;
          cursor %= active.length;
          const w = active[cursor]!;
          const taken = takeTurn(scan, w);
          n++;
          if (typeof taken === 'object') batch.push(taken);
          else if (taken !== 'next') w.stopped = true;
          if (w.stopped || (w.carry.length === 0 && w.next >= w.slice.length)) active.splice(cursor, 1);
          else cursor++;
        }
        ctx.o.runs.save(run.record);
      });
      if (batch.length > 0) {
        const { reached, lostBeforeAny } = await runBatch(scan, batch);
        size = reached >= batch.length ? Math.min(BATCH_OBJECTS, size * 2) : Math.max(1, reached);
        // A thread that dies before any object (it could not start) is not an object's fault.
        if (lostBeforeAny && ++lostThreads >= 3)
          throw new Error('the script threads keep ending before running any script');
      }
      active = busy();
      if (active.length > 0) await ctx.o.turns.next();
    }
  } finally {
    // Claims never run (a cancel, a shutdown, a stopped worker) are given up unwritten.
    for (const w of workers) for (const c of w.carry.splice(0)) ctx.o.objects.release(collection, c.id);
  }
  return busy().length === 0;
}

/** One turn of a worker: an object claimed earlier, or its next one checked (§5.4). */
function takeTurn(scan: ObjectScan, w: Worker): Claimed | Step {
  const carried = w.carry.shift();
  if (carried) return carried;
  const input = objectOfRow(w.slice[w.next]!);
  w.slice[w.next++] = undefined as unknown as ObjectRow;
  const objectID = `${scan.plan.object}/${input._id}`;
  try {
    return scanObject(scan, w, input, objectID);
  } catch (err) {
    // §5.3: an exception ends this worker's slice; the others carry on.
    const why = err instanceof Error ? err.message : String(err);
    scan.ctx.note(scan.run, 'error', `worker stopped: ${why}`, objectID);
    return 'abort';
  }
}

/** §5.4 for one object up to its script: skip rule and claim. */
function scanObject(scan: ObjectScan, w: Worker, input: JsonObject, objectID: string): Claimed | Step {
  const { ctx, run, plan } = scan;
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
  const skip = skipRule(scan, startedSeen, startedPtr, objectID);
  if (skip) return skip;
  const current = claimable(scan, input as StoredObject, id, startedSeen);
  if (typeof current === 'string') return current;
  return claim(scan, w, current, id, objectID);
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
 * The claim check (§5.4): the object must still be at the revision the query saw (re-read and
 * retried on a change, given up when someone else claimed or completed it).
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

/** Claims the object for this run (§5.4), held until first needed; its script runs in a batch. */
function claim(scan: ObjectScan, w: Worker, claimed: StoredObject, id: string, objectID: string): Claimed {
  const { ctx, plan, collection } = scan;
  const baseRev = claimed._rev;
  // The platform's two claim updates (started, then completed := null) advance the revision twice,
  // except when `completed` is null already (a re-claim of an object another run holds or left, §5.5):
  // an update that changes nothing keeps the revision on OpenIDM 6.1.0 (observed, docs/emulator.md
  // "Two runs over the same objects").
  const steps = getPointer(claimed, plan.completedPointer!) === null ? 1 : 2;
  setPointer(claimed, plan.startedPointer!, ctx.o.clock().toISOString());
  setPointer(claimed, plan.completedPointer!, null);
  claimed._rev = String(Number(baseRev) + steps);
  const held: Claim = {
    object: claimed,
    baseRev,
    steps,
    written: false,
    write() {
      if (held.written) return;
      held.written = true;
      ctx.o.objects.release(collection, id);
      ctx.o.objects.update(collection, id, held.object, baseRev, steps);
    },
  };
  ctx.o.objects.hold(collection, id, () => held.write());
  return { w, id, objectID, claim: held, wrote: false, lines: [], recorded: false };
}

/** §5.3, §5.6: the counters, the log line and the completed mark for the script's outcome. */
export function recordOutcome(scan: ObjectScan, c: Claimed, outcome: ScriptOutcome): Step {
  const { ctx, run, plan, collection } = scan;
  const { claim: held, id, objectID } = c;
  const completedPtr = plan.completedPointer!;
  const progress = run.record.progress;
  if (!outcome.ok) {
    held.write();
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
  let current = held.object;
  // §5.4: the object is read again after its script and completed at that revision. Only a written
  // claim can have been changed since (any other access writes a held claim first): by the script, or
  // by another run that re-claimed it without a recovery window (§5.5), whose writes this completion
  // then overwrites, as on OpenIDM 6.1.0.
  if (c.wrote || held.written) {
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
      // Claim and completion in one write when nobody needed the claim earlier (revision + steps + 1).
      if (held.written) ctx.o.objects.update(collection, id, current, current._rev);
      else {
        ctx.o.objects.release(collection, id);
        ctx.o.objects.update(collection, id, current, held.baseRev, held.steps + 1);
      }
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
    held.write();
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
