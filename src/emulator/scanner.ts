/**
 * The task scanner (idm-api.md §4, §5): runs, the query, claiming objects through the `taskState`
 * fields with revision checks, workers, the script per object, counters, cancellation, the state machine.
 *
 * "Threads" are cooperative workers on Node's one thread: each worker takes its round-robin slice and
 * processes it in batches, one SQLite transaction per batch (object writes, script writes, counters and
 * log lines together), yielding between batches so HTTP requests and cancels are served. A process
 * killed mid-batch therefore loses that batch whole, never half of it.
 */
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { CrestError, pickFields } from './crest';
import { ManagedObjects } from './managed';
import { JsonObject, ObjectRow, ObjectTable, StoredObject, objectOfRow, withoutMeta } from './objects';
import { getPointer, setPointer } from './patch';
import { RunLogEntry, RunRecord, RunTable } from './runs';
import { EnginePool, SandboxLimits, ScriptEngine } from './sandbox';
import {
  ScanConfigError,
  ScanPlan,
  ScanScript,
  parseStartedTime,
  readPlan,
  readScript,
  waitsForCompletion,
} from './scanplan';
import { ManagedScriptHost } from './scripthost';
import { Store } from './store';

export interface ScannerOptions {
  store: Store;
  objects: ObjectTable;
  managed: ManagedObjects;
  runs: RunTable;
  quickjs: QuickJSWASMModule;
  clock: () => Date;
  log: (line: string) => void;
  strict: boolean;
  limits?: Partial<SandboxLimits>;
}

interface ActiveRun {
  record: RunRecord;
  cancelled: boolean;
  done: Promise<void>;
}

/** Objects per batch and the time a batch may take before yielding. */
const BATCH_OBJECTS = 500;
const BATCH_MS = 25;

type Step = 'next' | 'abort' | 'stop';

export class TaskScanner {
  private readonly active = new Map<string, ActiveRun>();
  private readonly engines: EnginePool;

  constructor(private readonly o: ScannerOptions) {
    this.engines = new EnginePool(o.quickjs, o.limits);
  }

  /**
   * §4.3 execute: validates the script, creates the run and starts it. Resolves with the run id at
   * once, or after the run when the job's invokeContext says waitForCompletion (§4.4).
   */
  async execute(jobName: string, invokeContext: unknown): Promise<{ runId: string; done: Promise<void> }> {
    const script = readScript(jobName, invokeContext, this.o.strict);
    this.checkCompiles(script);
    const record = this.o.runs.create(`schedule/${jobName}`);
    const wait = waitsForCompletion(invokeContext);
    let failure: CrestError | undefined;
    const run: ActiveRun = { record, cancelled: false, done: Promise.resolve() };
    this.active.set(record._id, run);
    run.done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.perform(run, invokeContext, script))
      .catch((err: unknown) => {
        failure = err instanceof CrestError ? err : new CrestError(500, String(err));
      })
      .finally(() => this.active.delete(record._id));
    if (wait) {
      await run.done;
      if (failure) throw failure;
    }
    return { runId: record._id, done: run.done };
  }

  private checkCompiles(script: ScanScript): void {
    const engine = ScriptEngine.fromModule(
      this.o.quickjs,
      { call: () => null, log: () => {} },
      this.o.limits,
    );
    try {
      const error = engine.compile(script.source);
      if (error) throw new CrestError(400, `The script does not compile: ${error}`);
    } finally {
      engine.dispose();
    }
  }

  /** §4.3 cancel: 'SUCCESS', 'FAILURE' (already COMPLETED), or undefined for an unknown run. */
  cancel(runId: string): 'SUCCESS' | 'FAILURE' | undefined {
    const live = this.active.get(runId);
    const record = live?.record ?? this.o.runs.get(runId);
    if (!record) return undefined;
    if (record.progress.state === 'COMPLETED') return 'FAILURE';
    // §5.7: set the state and the flag; workers see it before their next object. No `ended`.
    record.progress.state = 'CANCELLED';
    if (live) live.cancelled = true;
    this.o.runs.save(record);
    return 'SUCCESS';
  }

  /** The live record of a running scan, or the stored one. */
  read(runId: string): RunRecord | undefined {
    return this.active.get(runId)?.record ?? this.o.runs.get(runId);
  }

  isRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Stops every live run (cancel flag only; state untouched) and waits for the workers. */
  async close(): Promise<void> {
    for (const run of this.active.values()) run.cancelled = true;
    await Promise.all([...this.active.values()].map((r) => r.done));
    this.engines.dispose();
  }

  private note(run: ActiveRun, level: RunLogEntry['level'], message: string, objectID?: string): void {
    this.o.runs.appendLog(run.record._id, {
      time: this.o.clock().toISOString(),
      level,
      source: 'scanner',
      message,
      ...(objectID ? { objectID } : {}),
    });
  }

  private async perform(run: ActiveRun, invokeContext: unknown, script: ScanScript): Promise<void> {
    const record = run.record;
    const now = this.o.clock();
    // §4.2: performTask sets ACTIVE even after an early cancel; the cancel flag then stops the workers.
    record.progress.state = 'ACTIVE';
    record.started = now.toISOString();
    this.o.runs.save(record);
    let plan: ScanPlan;
    let objects: ObjectRow[];
    try {
      plan = readPlan(invokeContext, now);
      plan.notes.forEach((n) => this.note(run, 'warn', n));
      objects = this.query(plan);
    } catch (err) {
      return this.failConfiguration(run, err, waitsForCompletion(invokeContext));
    }
    const defect = this.knownDefect(plan);
    if (defect) {
      if (this.o.strict) return this.endInError(run, defect);
      this.note(run, 'warn', `${defect} (platform behaviour reproduced; --strict makes this an ERROR)`);
      this.o.log(`run ${record._id}: ${defect}; reproducing the platform (--strict makes this an ERROR)`);
    }
    record.progress.total = objects.length;
    this.o.runs.save(record);
    // §5.3: round-robin slices, one per worker.
    const slices: ObjectRow[][] = Array.from(
      { length: Math.min(plan.numberOfThreads, Math.max(1, objects.length)) },
      () => [],
    );
    objects.forEach((o, i) => slices[i % slices.length]!.push(o));
    objects.length = 0; // the slices hold the objects now; processed ones are released as workers go
    await this.work(run, plan, script, slices);
    if (record.progress.state === 'ACTIVE') {
      record.progress.state = 'COMPLETED';
      record.ended = this.o.clock().toISOString();
    }
    this.o.runs.save(record);
  }

  /** Known platform defects that silently break a scan; reproduced unless --strict. */
  private knownDefect(plan: ScanPlan): string | undefined {
    if (!plan.startedPointer || !plan.completedPointer) {
      return 'scan.taskState.started and scan.taskState.completed are required: every worker stops at its first object';
    }
    if (plan.fields) {
      return `scan._fields is '${plan.fields}': claiming an object writes it back as queried, so every other field is dropped`;
    }
    return undefined;
  }

  /** §4.2: bad configuration or a failed query leaves the run ACTIVE forever (ERROR with --strict). */
  private failConfiguration(run: ActiveRun, err: unknown, synchronous: boolean): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.o.strict) this.endInError(run, message);
    else {
      this.note(
        run,
        'error',
        `${message}. The platform leaves such a run ACTIVE forever; so does the emulator (--strict makes it ERROR)`,
      );
      this.o.log(
        `run ${run.record._id}: ${message}; left ACTIVE as the platform does (known defect; --strict makes it ERROR)`,
      );
    }
    if (synchronous) {
      // §4.4, §5.2: synchronously, a failed query is 400 "Error during query"; a bad filter or config 500.
      if (err instanceof ScanConfigError && err.kind === 'query')
        throw new CrestError(400, 'Error during query', { message });
      throw new CrestError(500, message);
    }
  }

  private endInError(run: ActiveRun, message: string): void {
    run.record.progress.state = 'ERROR';
    this.o.runs.save(run.record);
    this.note(run, 'error', message);
    this.o.log(`run ${run.record._id}: ERROR: ${message}`);
  }

  /**
   * §5.2 steps 3-4: all results in memory (as compact rows), capped at maxRecords; `_fields`
   * projects them, and the projection is what the claim writes back (§5.1).
   */
  private query(plan: ScanPlan): ObjectRow[] {
    const { name } = this.resolveObject(plan.object);
    let rows: ObjectRow[];
    if (plan.queryFilter !== undefined) {
      try {
        rows = this.o.managed.queryRows(name, { _queryFilter: plan.queryFilter });
      } catch (err) {
        throw new ScanConfigError(
          `scan._queryFilter '${plan.queryFilter}': ${err instanceof Error ? err.message : String(err)}`,
          'config',
        );
      }
    } else {
      rows = this.o.managed.queryRows(name, { _queryId: plan.queryId });
    }
    if (plan.maxRecords !== undefined) rows = rows.slice(0, plan.maxRecords);
    if (plan.fields) {
      const fields = plan.fields;
      rows = rows.map((r) => ({
        ...r,
        data: JSON.stringify(withoutMeta(pickFields(objectOfRow(r), fields))),
      }));
    }
    return rows;
  }

  private resolveObject(object: string): { name: string } {
    try {
      const { name, id } = this.o.managed.resolve(object);
      if (id)
        throw new ScanConfigError(
          `scan.object '${object}' names one object; it must name a collection such as managed/alpha_user`,
          'query',
        );
      return { name };
    } catch (err) {
      if (err instanceof ScanConfigError) throw err;
      throw new ScanConfigError(
        `scan.object '${object}': ${err instanceof Error ? err.message : String(err)}`,
        'query',
      );
    }
  }

  /**
   * The workers (§5.3): each owns a slice and an engine, and stops alone on an abort. They take
   * turns one object at a time, so together they walk the results in query order, which keeps a
   * transaction's writes on neighbouring pages; each round of turns is one transaction.
   */
  private async work(
    run: ActiveRun,
    plan: ScanPlan,
    script: ScanScript,
    slices: ObjectRow[][],
  ): Promise<void> {
    const collection = this.o.managed.collection(this.resolveObject(plan.object).name);
    const workers = slices.map((slice) => {
      const worker = {
        slice,
        next: 0,
        objectID: '',
        host: undefined as unknown as ManagedScriptHost,
        engine: undefined as unknown as ScriptEngine,
      };
      worker.host = new ManagedScriptHost(this.o.managed, (level, message) =>
        this.o.runs.appendLog(run.record._id, {
          time: this.o.clock().toISOString(),
          level,
          source: 'script',
          objectID: worker.objectID,
          message,
        }),
      );
      worker.engine = this.engines.take(worker.host);
      return worker;
    });
    let active = workers.filter((w) => w.slice.length > 0);
    try {
      while (active.length > 0 && !run.cancelled) {
        this.o.store.db.transaction(() => {
          const until = Date.now() + BATCH_MS;
          let n = 0;
          while (active.length > 0 && n < BATCH_OBJECTS && Date.now() < until) {
            for (const w of active) {
              // §5.7: the cancel flag is checked before each object.
              if (run.cancelled) return;
              const input = objectOfRow(w.slice[w.next]!);
              w.slice[w.next++] = undefined as unknown as ObjectRow;
              w.objectID = `${plan.object}/${input._id}`;
              let step: Step;
              try {
                step = this.scanObject(run, plan, script, collection, input, w.objectID, w.engine, w.host);
              } catch (err) {
                // §5.3: an exception ends this worker's slice; the others carry on.
                this.note(
                  run,
                  'error',
                  `worker stopped: ${err instanceof Error ? err.message : String(err)}`,
                  w.objectID,
                );
                step = 'abort';
              }
              if (step !== 'next') w.next = w.slice.length;
              n++;
            }
            active = active.filter((w) => w.next < w.slice.length);
          }
          this.o.runs.save(run.record);
        });
        if (active.length > 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      for (const w of workers) this.engines.give(w.engine);
    }
  }

  /** §5.4 for one object: skip rule, claim, script, complete. */
  private scanObject(
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
      this.note(run, 'error', 'taskState pointer missing (JsonValueException): this worker stops', objectID);
      return 'abort';
    }
    const id = input._id;
    if (typeof id !== 'string' || typeof input._rev !== 'string') {
      this.note(run, 'error', 'query result without _id or _rev: this worker stops', objectID);
      return 'abort';
    }
    const startedSeen = getPointer(input, startedPtr);
    if (startedSeen !== undefined && startedSeen !== null) {
      const started = parseStartedTime(startedSeen);
      if (started === undefined) {
        this.note(
          run,
          'error',
          `${startedPtr} is '${String(startedSeen)}', not yyyy-MM-ddTHH:mm:ss.SSSZ: this worker stops (as on the platform)`,
          objectID,
        );
        return 'abort';
      }
      // Still owned by an earlier claim: skipped, not counted.
      if (started + plan.recoveryMs(started) > this.o.clock().getTime()) return 'next';
    }
    let current = input as StoredObject;
    // The claim check (§5.4): the object must still be at the revision the query saw. A batch runs
    // without interruption, so between this check and the writes below only the script itself could
    // change the object, and any openidm.* call from the script first writes the claim.
    for (;;) {
      if (run.cancelled) return 'stop';
      const rev = this.o.objects.revision(collection, id);
      if (rev === undefined) return 'next';
      if (rev === current._rev) break;
      const fresh = this.o.objects.read(collection, id)!;
      const s = getPointer(fresh, startedPtr);
      const c = getPointer(fresh, completedPtr);
      if ((c === undefined || c === null) && (s === undefined || s === null || s === startedSeen))
        current = fresh;
      else return 'next';
    }
    const baseRev = current._rev;
    setPointer(current, startedPtr, this.o.clock().toISOString());
    setPointer(current, completedPtr, null);
    // The platform's two claim updates (started, then completed := null) advance the revision twice.
    current._rev = String(Number(baseRev) + 2);
    let claimWritten = false;
    const writeClaim = (): void => {
      if (claimWritten) return;
      claimWritten = true;
      this.o.objects.update(collection, id, current, baseRev, 2);
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
      this.note(
        run,
        'error',
        `script failed: ${outcome.error}; this worker's remaining objects are skipped`,
        objectID,
      );
      return 'abort';
    }
    if (host.wrote) {
      const fresh = this.o.objects.read(collection, id);
      if (!fresh) {
        this.note(run, 'error', 'the object disappeared while its script ran: this worker stops', objectID);
        return 'abort';
      }
      current = fresh;
    }
    if (outcome.isTrue) {
      setPointer(current, completedPtr, this.o.clock().toISOString());
      try {
        // Claim and completion in one write when the script did not touch the store (revision + 3).
        if (claimWritten) this.o.objects.update(collection, id, current, current._rev);
        else this.o.objects.update(collection, id, current, baseRev, 3);
      } catch (err) {
        this.note(
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
      this.note(
        run,
        'warn',
        `script returned ${outcome.valueType}, not true: counted as a failure, ${completedPtr} left unset`,
        objectID,
      );
    }
    progress.processed = progress.successes + progress.failures;
    return 'next';
  }
}
