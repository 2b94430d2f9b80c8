/**
 * The task scanner (idm-api.md §4, §5): execute and cancel, the run's state machine, the query and
 * the known defects of bad configurations. The workers and the per-object algorithm: scanworkers.ts.
 */
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { CrestError, pickFields } from './crest';
import { ManagedObjects, checkFilterLength } from './managed';
import { ObjectRow, ObjectTable, objectOfRow, withoutMeta } from './objects';
import { RunLogEntry, RunRecord, RunTable } from './runs';
import { SandboxLimits, ScriptEngine } from './sandbox';
import { ScanConfigError, ScanPlan, ScanScript, readPlan, readScript, waitsForCompletion } from './scanplan';
import { ActiveRun, WorkContext, runWorkers } from './scanworkers';
import type { ScriptThreads } from './scriptthreads';
import { Store } from './store';
import { Turns } from './turns';

export interface ScannerOptions {
  store: Store;
  objects: ObjectTable;
  managed: ManagedObjects;
  runs: RunTable;
  quickjs: QuickJSWASMModule;
  clock: () => Date;
  log: (line: string) => void;
  strict: boolean;
  /** OpenIDM flavour: the scan filter loses the text after its last macro (flavor.ts). */
  truncatesAfterLastMacro?: boolean;
  limits?: Partial<SandboxLimits>;
  /** Where a script's `logger` lines also go: the tenant's log (logstream.ts), as AIC's idm-core. */
  scriptLog?: (level: string, message: string) => void;
  /** Log each openidm.* call a script makes, as a trace line `openidm.<op> <resource>: <outcome>`. */
  traceScriptCalls?: boolean;
  turns: Turns;
  /** Where scripts run: threads of their own, never the HTTP thread (scriptthreads.ts). */
  threads: ScriptThreads;
}

export class TaskScanner {
  private readonly active = new Map<string, ActiveRun>();
  private compiler: ScriptEngine | undefined;

  private readonly workContext: WorkContext;

  constructor(private readonly o: ScannerOptions) {
    this.workContext = { o, threads: o.threads, note: (...args) => this.note(...args) };
  }

  /**
   * §4.3 execute: validates the script, creates the run and starts it. Resolves with the run id at
   * once, or after the run when the job's invokeContext says waitForCompletion (§4.4).
   */
  async execute(jobName: string, invokeContext: unknown): Promise<{ runId: string; done: Promise<void> }> {
    const script = readScript(jobName, invokeContext, this.o.strict);
    const filter = (invokeContext as { scan?: { _queryFilter?: unknown } } | null)?.scan?._queryFilter;
    if (typeof filter === 'string') checkFilterLength(filter, `Job '${jobName}': scan._queryFilter`);
    this.checkCompiles(script);
    const record = this.o.runs.create(`schedule/${jobName}`);
    const wait = waitsForCompletion(invokeContext);
    let failure: CrestError | undefined;
    const run: ActiveRun = { record, cancelled: false, interrupted: false, done: Promise.resolve() };
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

  /**
   * A syntax check only (nothing runs), in one engine on the shared module: synchronous, so the run
   * record exists as soon as execute returns, as before engines got modules of their own.
   */
  private checkCompiles(script: ScanScript): void {
    this.compiler ??= ScriptEngine.fromModule(
      this.o.quickjs,
      { call: () => null, log: () => {} },
      this.o.limits,
    );
    const error = this.compiler.compile(script.source);
    if (error) throw new CrestError(400, `The script does not compile: ${error}`);
  }

  /** §4.3 cancel: 'SUCCESS', 'FAILURE' (already COMPLETED), or undefined for an unknown run. */
  cancel(runId: string): 'SUCCESS' | 'FAILURE' | undefined {
    const live = this.active.get(runId);
    const record = live?.record ?? this.o.runs.get(runId);
    if (!record) return undefined;
    if (record.progress.state === 'COMPLETED') return 'FAILURE';
    // §5.7: set the state and the flag; workers see it before their next object. No `ended`.
    record.progress.state = 'CANCELLED';
    if (live) {
      live.cancelled = true;
      live.stopBatch?.();
    }
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

  /**
   * Stops every live run between two objects and waits for the workers. A run stopped this way did
   * not finish: it ends in ERROR without an end time, as the platform records a run whose executor
   * is interrupted at shutdown (idm-api.md §4.2), and its log says so. Never COMPLETED.
   */
  async close(): Promise<void> {
    const live = [...this.active.values()];
    for (const run of live) {
      run.interrupted = true;
      run.cancelled = true;
      run.stopBatch?.();
    }
    await Promise.all(live.map((r) => r.done));
    for (const run of live) {
      const record = run.record;
      if (record.progress.state !== 'INITIALIZED' && record.progress.state !== 'ACTIVE') continue;
      record.progress.state = 'ERROR';
      this.note(
        run,
        'error',
        `run interrupted: the emulator was stopped (SIGTERM, Ctrl+C or close) while this run was ACTIVE; ` +
          `its workers stopped between two objects after ${record.progress.processed} of ${record.progress.total}. ` +
          // The platform's behaviour (idm-api.md §4.2); the message describes it without the internal citation.
          'ERROR without an end time, as the platform records a run whose executor is interrupted at shutdown',
        undefined,
        true,
      );
      this.o.runs.save(record);
      this.o.log(`task scanner: run ${record._id} interrupted by the shutdown; marked ERROR`);
    }
    this.compiler?.dispose();
    this.compiler = undefined;
  }

  /** A scanner line in the run's log; `always` keeps it even past the log's caps. */
  private note(
    run: ActiveRun,
    level: RunLogEntry['level'],
    message: string,
    objectID?: string,
    always = false,
  ): void {
    this.o.runs.appendLog(
      run.record._id,
      {
        time: this.o.clock().toISOString(),
        level,
        source: 'scanner',
        message,
        ...(objectID ? { objectID } : {}),
      },
      always,
    );
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
      plan = readPlan(invokeContext, now, this.o.truncatesAfterLastMacro ?? false);
      plan.notes.forEach((n) => this.note(run, 'warn', n));
      objects = await this.query(plan);
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
    const collection = this.o.managed.collection(this.resolveObject(plan.object).name);
    let finished: boolean;
    try {
      finished = await runWorkers(this.workContext, run, plan, script, collection, slices);
    } catch (err) {
      // Never a lost final state: what stopped the workers is the run's ERROR, in its log.
      return this.endInError(run, `the scan stopped: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Stopped by a shutdown with objects left: not COMPLETED; close() records the interruption.
    if (run.interrupted && !finished) return;
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
    this.note(run, 'error', message);
    this.o.runs.save(run.record);
    this.o.log(`run ${run.record._id}: ERROR: ${message}`);
  }

  /**
   * §5.2 steps 3-4: all results in memory (as compact rows), capped at maxRecords; `_fields`
   * projects them, and the projection is what the claim writes back (§5.1).
   */
  private async query(plan: ScanPlan): Promise<ObjectRow[]> {
    const { name } = this.resolveObject(plan.object);
    const between = () => this.o.turns.next();
    let rows: ObjectRow[];
    if (plan.queryFilter !== undefined) {
      try {
        rows = await this.o.managed.queryRowsInTurns(
          name,
          { _queryFilter: plan.queryFilter },
          between,
          plan.maxRecords,
        );
      } catch (err) {
        throw new ScanConfigError(
          `scan._queryFilter '${plan.queryFilter}': ${err instanceof Error ? err.message : String(err)}`,
          'config',
        );
      }
    } else {
      rows = await this.o.managed.queryRowsInTurns(
        name,
        { _queryId: plan.queryId },
        between,
        plan.maxRecords,
      );
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
}
