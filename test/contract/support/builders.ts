/** Typed fixture builders: scan jobs and the users they scan (idm-api.md §2.1, §5.1). */

export interface ScanJobOptions {
  /** The `_queryFilter` of the scan; `${Time.now}` is left for the server to expand (§5.2). */
  filter: string;
  /** Script source; the value of its last expression decides success (§5.6). */
  script: string;
  /** Quartz cron; defaults to a date far in the future so pushing never fires it. */
  schedule?: string;
  enabled?: boolean;
  numberOfThreads?: number;
  maxRecords?: number;
  object?: string;
  /** `scan.recovery.timeout`; `null` leaves `recovery` out, so the window is 0 (idm-api.md §5.5). */
  recovery?: string | null;
}

export const STARTED = '/sunset/task-started';
export const COMPLETED = '/sunset/task-completed';
/** Fires at midnight on 1 January 2099 only. */
export const NEVER = '0 0 0 1 1 ? 2099';

export interface ScanJob {
  enabled: boolean;
  type: 'cron';
  schedule: string;
  persisted?: boolean;
  invokeService: 'taskscanner';
  invokeContext: {
    numberOfThreads: number;
    maxRecords?: number;
    scan: {
      object: string;
      _queryFilter: string;
      taskState: { started: string; completed: string };
      recovery?: { timeout: string };
    };
    task: { script: { type: 'text/javascript'; source: string } };
  };
}

export function scanJob(o: ScanJobOptions): ScanJob {
  return {
    enabled: o.enabled ?? true,
    type: 'cron',
    schedule: o.schedule ?? NEVER,
    invokeService: 'taskscanner',
    invokeContext: {
      numberOfThreads: o.numberOfThreads ?? 2,
      ...(o.maxRecords === undefined ? {} : { maxRecords: o.maxRecords }),
      scan: {
        object: o.object ?? 'managed/user',
        _queryFilter: o.filter,
        taskState: { started: STARTED, completed: COMPLETED },
        ...(o.recovery === null ? {} : { recovery: { timeout: o.recovery ?? '10m' } }),
      },
      task: { script: { type: 'text/javascript', source: o.script } },
    },
  };
}

/**
 * A filter that selects the users of one batch whose sunset date has passed, written so that it works
 * on every server: OpenIDM 6.1.0 drops the text after the last `${…}` macro (shared openidm/README.md
 * item 1), and copies an unknown `${…}` token's body, so the closing quote comes from `${"}` and the
 * date test is the last thing in the filter. No `!(completed pr)` part: on OpenIDM's OrientDB a `pr` on a
 * hyphenated field matches nothing (item 9), so it would not exclude anything there anyway.
 */
export function batchFilter(batch: string): string {
  return `/description eq "${batch}" and /sunset/date lt "\${Time.now}\${"}`;
}

/**
 * The documentation's sunset filter, restricted to one batch: text after the macro, and `pr` on a
 * hyphenated field. OpenIDM truncates it after `${Time.now}` and its run hangs ACTIVE (README item 1).
 */
export function vendorFilter(batch: string): string {
  return `((/description eq "${batch}") and (/sunset/date lt "\${Time.now}")) and !(${COMPLETED} pr)`;
}

export interface ContractUser {
  _id: string;
  userName: string;
  givenName: string;
  sn: string;
  mail: string;
  description: string;
  sunset: { date: string };
}

/** A user of `batch`; `due` puts its sunset date in the past so a `${Time.now}` filter selects it. */
export function contractUser(
  batch: string,
  n: number,
  options: { due?: boolean; givenName?: string } = {},
): ContractUser {
  const id = `${batch}-${String(n).padStart(5, '0')}`;
  return {
    _id: id,
    userName: id,
    givenName: options.givenName ?? 'Ada',
    sn: `User${n}`,
    mail: `${id}@example.com`,
    description: batch,
    sunset: { date: (options.due ?? true) ? '2020-01-01T00:00:00.000Z' : '2098-01-01T00:00:00.000Z' },
  };
}

/** A batch name unique to this process, so repeated runs against one OpenIDM never collide. */
export function newBatch(label: string): string {
  return `contract-${label}-${process.pid}-${Date.now().toString(36)}`;
}

/** Busy-waits `ms` per object: works in Rhino and in the emulator's sandbox alike, unlike sleep APIs. */
export function slowScript(ms: number): string {
  return `var until = Date.now() + ${ms}; while (Date.now() < until) {} true;`;
}

/**
 * Waits on each object until the managed user `gateId` exists, then succeeds: the test opens the gate
 * when it is ready, so the run is held on its object for as long as the test needs, with no timing.
 * Checks every 100 ms (a busy wait: sleep APIs differ between Rhino and the emulator's sandbox);
 * gives up after `maxMs` so a test that never opens it cannot hold a server thread for ever.
 */
export function gatedScript(gateId: string, maxMs = 100_000): string {
  return (
    `var gate = "managed/user/${gateId}"; var until = Date.now() + ${maxMs};` +
    ' while (openidm.read(gate) === null && Date.now() < until) {' +
    ' var pause = Date.now() + 100; while (Date.now() < pause) {} }' +
    ' true;'
  );
}
