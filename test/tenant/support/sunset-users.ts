/** Typed builders of users with a sunset task state (idm-api.md §5.4), for preview and dry-run tests. */
export interface SunsetState {
  date: string;
  'task-started'?: string;
  'task-completed'?: string;
}

export interface SunsetUser {
  _id: string;
  userName: string;
  mail: string;
  accountStatus: 'active' | 'inactive';
  sunset: SunsetState;
}

export function sunsetUser(
  id: string,
  sunset: SunsetState,
  status: 'active' | 'inactive' = 'active',
): SunsetUser {
  return { _id: id, userName: id, mail: `${id}@example.com`, accountStatus: status, sunset };
}

/** The sunset job of the PingIDM 8 docs (idm-api.md §5.2), without the completed clause unless asked. */
export function sunsetJob(
  options: {
    filter?: string;
    object?: string;
    timeout?: string;
    maxRecords?: number;
    threads?: number;
    script?: string;
  } = {},
): Record<string, unknown> {
  return {
    enabled: true,
    persisted: true,
    type: 'cron',
    schedule: '0 0 0 1 1 ? 2099',
    invokeService: 'taskscanner',
    invokeContext: {
      waitForCompletion: false,
      numberOfThreads: options.threads ?? 2,
      ...(options.maxRecords !== undefined ? { maxRecords: options.maxRecords } : {}),
      scan: {
        _queryFilter: options.filter ?? '/sunset/date lt "${Time.now}"',
        object: options.object ?? 'managed/alpha_user',
        taskState: { started: '/sunset/task-started', completed: '/sunset/task-completed' },
        recovery: { timeout: options.timeout ?? '10m' },
      },
      task: {
        script: {
          type: 'text/javascript',
          source:
            options.script ??
            'openidm.patch(objectID, null, [{ operation: "replace", field: "/accountStatus", value: "inactive" }]); true;',
        },
      },
    },
  };
}
