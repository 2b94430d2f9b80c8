/**
 * The servers the contract runs against and what each one can do. One scenario, two servers: where
 * the OpenIDM fork's older scheduler lacks an AIC feature, the profile says so and the scenario checks
 * the fork's documented behaviour instead (idm-api.md §7), so every case asserts something on both.
 */
import { startEmulator } from '../../../src/emulator/server';
import { IdmHttp, type Credentials } from './http';

export interface Capabilities {
  /** `persisted` when the request leaves it out: AIC `true`, the fork `false` on create (§2.1, §7). */
  persistedDefault: boolean;
  /** `recoverable` and `previousRunDate` in job replies (§2.2, §7). */
  aicJobFields: boolean;
  /** `simple` triggers with `repeatInterval`/`repeatCount` (§7). */
  simpleTriggers: boolean;
  /** `GET /taskscanner?_queryFilter=true`; without it the fork answers 501 and lists `{tasks}` (§4.3). */
  runQuery: boolean;
  /** Run records carry `name: "schedule/<job>"` (§4.1). */
  runName: boolean;
  /**
   * How `execute&name=` finds a job: `job` takes the id of a `/scheduler/job` job (AIC); `config` reads
   * `config/<name>`, so the job must be a config schedule and the name `schedule/<id>` (fork, §4.4).
   */
  executeBy: 'job' | 'config';
  /** A run time that is not set yet: AIC `null`, the fork `""` (§4.1). */
  unsetTime: null | '';
  /**
   * Who answers queries: `memory` evaluates every filter the CREST parser accepts (the AIC default);
   * `orientdb` is OpenIDM's embedded repository, with its own answers (shared openidm/README.md item 9).
   */
  repository: 'memory' | 'orientdb';
  /** Text after the last `${…}` macro of a scan filter is dropped (shared openidm/README.md item 1). */
  truncatesAfterLastMacro: boolean;
  /** Error messages come HTML-escaped: `&#39;` for `'` (README item 8). */
  escapesMessages: boolean;
  /** AIC's `/monitoring/logs` API (docs/logs.md); OpenIDM has none. */
  logApi: boolean;
}

export interface Target {
  readonly name: string;
  readonly caps: Capabilities;
  /** Ready after the suite's `before` hook has run. */
  readonly http: IdmHttp;
  readonly url: string;
}

interface TargetSpec {
  name: string;
  caps: Capabilities;
  /** Set when this server is not part of the run: why. */
  skip?: string;
  start(): Promise<{ url: string; credentials: Credentials; close(): Promise<void> }>;
}

export const LOCAL_TENANT: Capabilities = {
  persistedDefault: true,
  aicJobFields: true,
  simpleTriggers: true,
  runQuery: true,
  runName: true,
  executeBy: 'job',
  unsetTime: null,
  repository: 'memory',
  truncatesAfterLastMacro: false,
  escapesMessages: false,
  logApi: true,
};

export const OPENIDM: Capabilities = {
  persistedDefault: false,
  aicJobFields: false,
  simpleTriggers: false,
  runQuery: false,
  runName: false,
  executeBy: 'config',
  unsetTime: '',
  repository: 'orientdb',
  truncatesAfterLastMacro: true,
  escapesMessages: true,
  logApi: false,
};

/** The out-of-the-box administrator of OpenIDM, which the emulator copies. */
export const OPENIDM_ADMIN: Credentials = { user: 'openidm-admin', password: 'openidm-admin' };

/** Why the live OpenIDM is not in this run, when it is not (run.mjs sets it; absent means not started). */
function openIdmSkipReason(): string | undefined {
  if (process.env.SCANJOBS_OPENIDM_URL) return undefined;
  return (
    process.env.SCANJOBS_OPENIDM_SKIP ??
    'not started: run the lane with `node test/contract/run.mjs`, which builds and starts it'
  );
}

function specs(): TargetSpec[] {
  const list: TargetSpec[] = [
    {
      name: 'local tenant',
      caps: LOCAL_TENANT,
      async start() {
        const emulator = await startEmulator({ port: 0, inMemory: true, log: () => undefined });
        return { url: emulator.url, credentials: OPENIDM_ADMIN, close: () => emulator.close() };
      },
    },
    {
      name: 'local tenant --flavor openidm',
      caps: OPENIDM,
      async start() {
        const emulator = await startEmulator({
          port: 0,
          inMemory: true,
          flavor: 'openidm',
          log: () => undefined,
        });
        return { url: emulator.url, credentials: OPENIDM_ADMIN, close: () => emulator.close() };
      },
    },
  ];
  const openidm = process.env.SCANJOBS_OPENIDM_URL ?? '';
  list.push({
    name: 'OpenIDM 6.1.0',
    caps: OPENIDM,
    skip: openIdmSkipReason(),
    // run.mjs starts OpenIDM once for the whole lane and stops it afterwards.
    start: async () => ({ url: openidm, credentials: OPENIDM_ADMIN, close: async () => undefined }),
  });
  return list;
}

/**
 * Declares `body` once per server, inside a describe block that starts and stops that server. A server
 * that is not in this run still gets its scenarios declared, each counted as skipped with the reason in
 * the block's title (never silently absent); the body sits one level down so its hooks do not run.
 */
export function forEachTarget(title: string, body: (target: Target) => void): void {
  for (const spec of specs()) {
    if (spec.skip !== undefined) {
      const reason = spec.skip;
      describe(`${title} [${spec.name}: skipped, ${reason}]`, function () {
        before(function () {
          this.skip();
        });
        describe('scenarios', () => body(unstarted(spec)));
      });
      continue;
    }
    describe(`${title} [${spec.name}]`, function () {
      let http: IdmHttp | undefined;
      let url = '';
      let close: (() => Promise<void>) | undefined;
      const target: Target = {
        name: spec.name,
        caps: spec.caps,
        get http() {
          if (!http) throw new Error(`${spec.name} is not started`);
          return http;
        },
        get url() {
          return url;
        },
      };
      before(async function () {
        this.timeout(60_000);
        const started = await spec.start();
        http = new IdmHttp(started.url, started.credentials);
        url = started.url;
        close = started.close;
      });
      body(target);
      // Registered after the body's own hooks so their clean-up still reaches the server.
      after(async () => {
        await close?.();
      });
    });
  }
}

/** A target whose scenarios are declared but never run (its server is not in this run). */
function unstarted(spec: TargetSpec): Target {
  return {
    name: spec.name,
    caps: spec.caps,
    get http(): IdmHttp {
      throw new Error(`${spec.name} is not in this run: ${spec.skip ?? ''}`);
    },
    url: '',
  };
}
