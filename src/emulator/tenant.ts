/** Everything one emulated tenant is made of, wired together; the HTTP layer only routes to it. */
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { Authenticator } from './auth';
import { JobTable } from './jobtable';
import { ManagedObjectDefinition, ManagedObjects } from './managed';
import { ObjectTable } from './objects';
import { RunTable } from './runs';
import { SandboxLimits, answerCall } from './sandbox';
import { ScriptThreads } from './scriptthreads';
import { TaskScanner } from './scanner';
import { Scheduler } from './scheduler';
import { ManagedScriptHost } from './scripthost';
import { Store, StoreOptions } from './store';
import { ConfigTable } from './configtable';
import { readScript } from './scanplan';
import { LogStream } from './logstream';
import { AIC, type Flavor } from './flavor';
import { Turns } from './turns';

export interface TenantOptions extends StoreOptions {
  clock: () => Date;
  log: (line: string) => void;
  strict: boolean;
  /** Which platform this tenant plays (flavor.ts); AIC when left out. */
  flavor?: Flavor;
  quickjs: QuickJSWASMModule;
  limits?: Partial<SandboxLimits>;
  tickMs?: number;
  /** Script threads at most (scriptthreads.ts; default 4). */
  scriptThreads?: number;
  managedObjects?: ManagedObjectDefinition[];
  /** Record each script's openidm.* calls in its run's log (a dry run reports them). */
  traceScriptCalls?: boolean;
}

export class Tenant {
  readonly store: Store;
  readonly objects: ObjectTable;
  readonly managed: ManagedObjects;
  readonly runs: RunTable;
  readonly jobs: JobTable;
  readonly config: ConfigTable;
  readonly scanner: TaskScanner;
  readonly scheduler: Scheduler;
  readonly auth: Authenticator;
  /** The tenant's log in AIC's shape (served by routes/logs.ts). */
  readonly logs: LogStream;
  readonly flavor: Flavor;
  /** Long work (scan rounds, query pages) takes turns so requests are served between (turns.ts). */
  readonly turns = new Turns();
  /** Scripts run here, off the HTTP thread (scriptthreads.ts). */
  readonly threads: ScriptThreads;

  constructor(readonly o: TenantOptions) {
    this.flavor = o.flavor ?? AIC;
    this.store = new Store({ ...o, serve: true });
    this.objects = new ObjectTable(this.store);
    this.managed = new ManagedObjects(this.objects, this.flavor.repository, o.managedObjects);
    this.runs = new RunTable(this.store);
    this.jobs = new JobTable(this.store);
    this.config = new ConfigTable(this.store);
    this.auth = new Authenticator(this.store, o.clock);
    this.logs = new LogStream(o.clock);
    this.threads = new ScriptThreads({ limits: o.limits, size: o.scriptThreads, log: o.log });
    this.scanner = new TaskScanner({
      store: this.store,
      objects: this.objects,
      managed: this.managed,
      runs: this.runs,
      quickjs: o.quickjs,
      clock: o.clock,
      log: o.log,
      strict: o.strict,
      truncatesAfterLastMacro: this.flavor.truncatesAfterLastMacro,
      limits: o.limits,
      scriptLog: (level, message) => this.logs.script(level, message),
      traceScriptCalls: o.traceScriptCalls,
      turns: this.turns,
      threads: this.threads,
    });
    this.scheduler = new Scheduler({
      jobs: this.jobs,
      scanner: this.scanner,
      clock: o.clock,
      log: o.log,
      tickMs: o.tickMs,
      simpleFiresOnceAfterMs: this.flavor.simpleFiresOnceAfterMs,
      runScript: (jobId, context) => this.runScriptJob(jobId, context),
    });
  }

  start(): void {
    const interrupted = this.runs.recoverInterrupted(this.o.clock());
    if (interrupted.length) {
      this.o.log(
        `task scanner: ${interrupted.length} run(s) interrupted by the last shutdown marked ERROR: ${interrupted.map((r) => r._id).join(', ')}`,
      );
    }
    this.scheduler.start();
    // §2.1 recoverable: a job whose run a crash interrupted is run again once the scheduler is up.
    const again = new Set(interrupted.map((r) => r.name.replace(/^schedule\//, '')));
    for (const jobId of again) {
      const job = this.jobs.get(jobId);
      if (!job?.config.recoverable || !job.config.enabled) continue;
      this.o.log(`scheduler: job '${jobId}' is recoverable and was interrupted; running it again`);
      this.scheduler.trigger(jobId);
    }
  }

  async close(): Promise<void> {
    // No new fires, then stop the scans (a waitForCompletion job waits for its scan), then the rest.
    this.scheduler.halt();
    await this.scanner.close();
    await this.scheduler.stop();
    await this.threads.close();
    this.store.close();
  }

  /** A job with invokeService `script`: runs invokeContext.script once; its logger goes to the emulator log. */
  private async runScriptJob(jobId: string, context: unknown): Promise<void> {
    const script = (context as { script?: unknown } | null)?.script;
    const { source, globalsJson } = readScript(jobId, { task: { script } }, this.o.strict);
    // The thread has cut each line to the run log's per-message cap (clipMessage) already.
    const log = (level: string, message: string) => {
      this.logs.script(level, message);
      this.o.log(`script job '${jobId}' ${level}: ${message}`);
    };
    const host = new ManagedScriptHost(this.managed, log);
    // On a script thread, as scans' scripts: a runaway script job cannot hold the server (scriptthreads.ts).
    const running = this.threads.run(
      { source, prefix: '', globalsJson, items: [{ key: 0, input: '{}' }], sliceMs: 0 },
      {
        lines: (lines) => lines.forEach((l) => log(l.level, l.message)),
        call: (_index, operation, argsJson) => answerCall(host, operation, argsJson),
        settle: () => false,
      },
    );
    const result = await running.done;
    const outcome = result.outcomes[0]?.outcome;
    if (result.crash)
      this.o.log(`script job '${jobId}' failed: the script thread ended (${result.crash.reason})`);
    else if (outcome && !outcome.ok) this.o.log(`script job '${jobId}' failed: ${outcome.error}`);
  }
}
