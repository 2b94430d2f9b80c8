/** Typed builders of scheduler jobs for tests (idm-api.md §2.1, §5.1). */
export interface ScanJobOptions {
  object?: string;
  filter?: string;
  script?: string;
  threads?: number;
  enabled?: boolean;
  schedule?: string;
  /** The object property holding this job's task state, so jobs do not see each other's work. */
  stateKey?: string;
}

/** A task-scanner job over seeded users that never fires by itself (a cron far in the future). */
export function scanJob(options: ScanJobOptions = {}): Record<string, unknown> {
  const key = options.stateKey ?? 'scan';
  return {
    enabled: options.enabled ?? true,
    persisted: true,
    type: 'cron',
    schedule: options.schedule ?? '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: false,
      numberOfThreads: options.threads ?? 2,
      scan: {
        _queryFilter: options.filter ?? `!(/${key}/completed pr)`,
        object: options.object ?? 'managed/alpha_user',
        taskState: { started: `/${key}/started`, completed: `/${key}/completed` },
        recovery: { timeout: '10m' },
      },
      task: { script: { type: 'text/javascript', source: options.script ?? 'true;' } },
    },
  };
}

/** A script that spends about `ms` per object, so a run stays ACTIVE long enough to watch. */
export function slowScript(ms: number): string {
  return `var t0 = Date.now(); while (Date.now() - t0 < ${ms}) {} true;`;
}

/** A scheduler job that is not a task scanner (a plain script job), disabled, never firing. */
export function scriptJob(): Record<string, unknown> {
  return {
    enabled: false,
    persisted: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'script',
    invokeContext: { script: { type: 'text/javascript', source: 'true;' } },
  };
}
