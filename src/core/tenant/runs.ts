import { AmbiguousExecuteError, CrestError, NetworkError, TenantError, isAbort } from './errors';
import { RetryPolicy, DEFAULT_RETRY, retryDelay, sleep } from './retry';
import type { TenantTransport } from './transport';
import { RunRecord, toQueryPage, toRunRecord } from './types';

/** idm-api.md §6.1: the task scanner speaks resource version 1.0. */
const SCANNER_API = 'protocol=2.1,resource=1.0';
const RUNS = '/openidm/taskscanner';
const runPath = (id: string) => `${RUNS}/${encodeURIComponent(id)}`;

export interface ExecuteResult {
  runId: string;
  /**
   * True when the reply to `execute` was lost and the run was found by listing the job's runs
   * afterwards; `note` says what happened.
   */
  recovered: boolean;
  note?: string;
  /**
   * The `name` the run was started with when it is not the job name: OpenIDM executes only config
   * schedules, as `schedule/<job>` (idm-api.md §4.4; README "observed" item 4).
   */
  executedAs?: string;
}

export interface CancelResult {
  /** SUCCESS, or FAILURE when the run had already completed (idm-api.md §4.3). */
  status: 'SUCCESS' | 'FAILURE';
  recovered: boolean;
}

/** The job a run belongs to: `schedule/<job>` in AIC, the bare name elsewhere (§4.1). */
export function jobOfRun(run: RunRecord): string | undefined {
  return run.name?.replace(/^schedule\//, '').replace(/^scheduler-/, '') ?? undefined;
}

/** Whether a run record belongs to a job (§4.1); exact, so a job named `scheduler-x` keeps its runs. */
export function runBelongsTo(run: RunRecord, job: string): boolean {
  return run.name === `schedule/${job}` || run.name === job || run.name === `scheduler-${job}`;
}

/**
 * OpenIDM's answer to `execute&name=<job>` for a job that is not a config named `<job>` (§4.4): it
 * reads `config/<name>`, so a job pushed to `config/schedule/<job>` runs as `name=schedule/<job>`.
 * The message arrives HTML-escaped (`&#39;`), hence only its stable start is matched.
 */
const NO_NAMED_CONFIG = /^Error obtaining named config/;

/** An execute or cancel failure after which the request may or may not have taken effect. */
function isAmbiguous(err: unknown): boolean {
  if (err instanceof NetworkError) return err.sent;
  return err instanceof CrestError && (err.status === 502 || err.status === 503 || err.status === 504);
}

/** A failure after which the server certainly did not act: safe to send the same request again. */
function isNotSent(err: unknown): boolean {
  if (err instanceof NetworkError) return !err.sent && err.failure !== 'dns' && err.failure !== 'tls';
  return err instanceof CrestError && err.status === 429;
}

/** Task-scanner runs: `/openidm/taskscanner` (idm-api.md §4.3). */
export class TaskScannerRuns {
  /**
   * The runs this client started, and of which job: the OpenIDM fork's run records carry no `name`
   * (§4.1), so this is the only tie between such a run and its job.
   */
  private readonly startedHere = new Map<string, string>();
  /** Set once a listing showed run records without a `name` (the fork, §4.1). */
  private namelessRuns = false;
  /** Whether the run query answered 501 (the fork's older task scanner, §4.3); undefined until listed. */
  private forkListing: boolean | undefined;

  constructor(
    private readonly http: TenantTransport,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /**
   * The job a run belongs to: its `name` (§4.1), else the job this client executed it for. Undefined
   * for a nameless run started elsewhere (by the scheduler, another user, or an earlier session).
   */
  jobOf(run: RunRecord): string | undefined {
    return jobOfRun(run) ?? this.startedHere.get(run._id);
  }

  /** Whether the tenant's run records carry no job name (learned from a listing; the fork, §4.1). */
  get runsAreNameless(): boolean {
    return this.namelessRuns;
  }

  /**
   * Whether the tenant is the open-source OpenIDM fork, told by its run listing: the query on
   * `/taskscanner` answers 501 there and a collection read with `{tasks}` is served instead (§4.3;
   * README "observed" item 3). One listing, remembered.
   */
  async isOpenIdmFork(signal?: AbortSignal): Promise<boolean> {
    if (this.forkListing === undefined) await this.list({ signal });
    return this.forkListing === true;
  }

  /** All runs the answering node holds, oldest first; AIC's query, or the fork's listing (§4.3). */
  async list(
    options: { job?: string; signal?: AbortSignal; retry?: RetryPolicy | false } = {},
  ): Promise<RunRecord[]> {
    let runs: RunRecord[];
    try {
      const reply = await this.http.request({
        method: 'GET',
        path: RUNS,
        query: { _queryFilter: 'true' },
        apiVersion: SCANNER_API,
        signal: options.signal,
        retry: options.retry,
      });
      runs = toQueryPage(reply.body, `GET ${RUNS}`, (x) => toRunRecord(x, `GET ${RUNS}`)).result;
      this.forkListing = false;
    } catch (err) {
      if (!(err instanceof CrestError) || err.status !== 501) throw err;
      // The OpenIDM fork has no query on /taskscanner, only a read of the collection.
      const reply = await this.http.request<{ tasks?: unknown[] }>({
        method: 'GET',
        path: RUNS,
        apiVersion: SCANNER_API,
        signal: options.signal,
        retry: options.retry,
      });
      runs = (reply.body?.tasks ?? []).map((x) => toRunRecord(x, `GET ${RUNS}`));
      this.namelessRuns = true; // the fork's records have no `name` (§4.1)
      this.forkListing = true;
    }
    if (runs.some((r) => r.name === null)) this.namelessRuns = true;
    const job = options.job;
    return job ? runs.filter((r) => runBelongsTo(r, job) || this.startedHere.get(r._id) === job) : runs;
  }

  async read(
    id: string,
    options: { signal?: AbortSignal; retry?: RetryPolicy | false } = {},
  ): Promise<RunRecord> {
    const reply = await this.http.request({
      method: 'GET',
      path: runPath(id),
      apiVersion: SCANNER_API,
      signal: options.signal,
      retry: options.retry,
    });
    return toRunRecord(reply.body, `GET ${runPath(id)}`);
  }

  /**
   * Starts a run of the job named `job` (§4.3, §4.4: the bare job id). Never sent twice unless the
   * first attempt certainly did not reach the server; after an ambiguous failure it looks for the run
   * among the job's runs that were not there before.
   */
  async execute(job: string, signal?: AbortSignal): Promise<ExecuteResult> {
    try {
      return this.remember(job, await this.executeAs(job, job, signal));
    } catch (err) {
      // A 400 is synchronous: nothing started, so asking again under the config's name is safe.
      if (!(err instanceof CrestError && err.status === 400 && NO_NAMED_CONFIG.test(err.serverMessage)))
        throw err;
      if (job.startsWith('schedule/')) throw err;
      const name = `schedule/${job}`;
      const result = await this.executeAs(job, name, signal);
      return this.remember(job, { ...result, executedAs: name });
    }
  }

  private remember(job: string, result: ExecuteResult): ExecuteResult {
    this.startedHere.set(result.runId, job.replace(/^schedule\//, ''));
    return result;
  }

  private async executeAs(job: string, name: string, signal?: AbortSignal): Promise<ExecuteResult> {
    // Every run the node holds before: where runs carry no name, a new one cannot be tied to a job (§4.1).
    const before = await this.list({ signal }).then(
      (runs) => new Set(runs.map((r) => r._id)),
      (err: unknown) => {
        if (isAbort(err)) throw err;
        return undefined; // the listing is a help, not a precondition
      },
    );
    const sentAt = Date.now();
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.http.request<{ _id?: unknown }>({
          method: 'POST',
          path: RUNS,
          query: { _action: 'execute', name },
          apiVersion: SCANNER_API,
          signal,
          retry: false,
        });
        if (typeof reply.body?._id !== 'string') {
          throw new TenantError(
            `POST ${RUNS}?_action=execute on ${this.http.label}: the reply has no run _id`,
          );
        }
        return { runId: reply.body._id, recovered: false };
      } catch (err) {
        if (isAbort(err)) throw err;
        if (isNotSent(err) && attempt < this.policy.maxAttempts) {
          const wait = retryDelay(this.policy, attempt, err);
          if (Date.now() - started + wait <= this.policy.maxTotalMs && wait <= this.policy.maxRetryAfterMs) {
            await sleep(wait, signal);
            continue;
          }
        }
        if (!isAmbiguous(err)) throw err;
        return this.findStartedRun(job, before, sentAt, err, signal);
      }
    }
  }

  private async findStartedRun(
    job: string,
    before: Set<string> | undefined,
    sentAt: number,
    cause: unknown,
    signal?: AbortSignal,
  ): Promise<ExecuteResult> {
    const what = `Executing '${job}' on ${this.http.label} failed after the request was sent (${describe(cause)})`;
    let runs: RunRecord[];
    try {
      runs = await this.list({ signal });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw new AmbiguousExecuteError(
        `${what}, and its runs could not be listed (${describe(err)}). It cannot be told whether a run started: ` +
          `check with 'scanjobs runs --job ${job}' before executing again.`,
        [],
        cause,
      );
    }
    // Without the earlier listing, match on start time, allowing for the server's clock (Date header).
    const since = sentAt + this.http.clockSkewMs - 2_000;
    const fresh = runs.filter(
      (r) =>
        (this.namelessRuns || runBelongsTo(r, job)) &&
        (before ? !before.has(r._id) : r.started !== null && Date.parse(r.started) >= since),
    );
    if (fresh.length === 1) {
      return {
        runId: fresh[0]._id,
        recovered: true,
        note: this.namelessRuns
          ? `${what}; one new run appeared on the tenant and was taken as this one (its runs carry no job name, so another job's run cannot be ruled out).`
          : `${what}; the run it started was found in the job's runs.`,
      };
    }
    if (fresh.length === 0) {
      throw new AmbiguousExecuteError(
        `${what}, and no new run of '${job}' was found on the node that answered. It probably did not start, ` +
          `but runs are held per server node, so this cannot be certain: check with 'scanjobs runs --job ${job}' before executing again.`,
        [],
        cause,
      );
    }
    throw new AmbiguousExecuteError(
      `${what}, and ${fresh.length} new runs of '${job}' were found (${fresh.map((r) => r._id).join(', ')}); ` +
        'someone else may have started one. It cannot be told which is ours.',
      fresh.map((r) => r._id),
      cause,
    );
  }

  /**
   * Cancels a run (§4.3, §5.7). After an ambiguous failure it reads the run and sends the cancel again
   * only while the run is still going, which is harmless: cancelling a cancelled run says SUCCESS.
   */
  async cancel(id: string, signal?: AbortSignal): Promise<CancelResult> {
    const started = Date.now();
    let recovered = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.http.request<{ status?: unknown }>({
          method: 'POST',
          path: runPath(id),
          query: { _action: 'cancel' },
          apiVersion: SCANNER_API,
          signal,
          retry: false,
        });
        const status = reply.body?.status;
        if (status !== 'SUCCESS' && status !== 'FAILURE') {
          throw new TenantError(
            `POST ${runPath(id)}?_action=cancel on ${this.http.label}: no SUCCESS or FAILURE in the reply`,
          );
        }
        return { status, recovered };
      } catch (err) {
        if (isAbort(err) || attempt >= this.policy.maxAttempts) throw err;
        const wait = retryDelay(this.policy, attempt, err);
        if (Date.now() - started + wait > this.policy.maxTotalMs) throw err;
        if (isNotSent(err)) {
          await sleep(wait, signal);
          continue;
        }
        if (!isAmbiguous(err)) throw err;
        await sleep(wait, signal);
        const run = await this.read(id, { signal });
        if (run.progress.state === 'CANCELLED') return { status: 'SUCCESS', recovered: true };
        if (run.progress.state === 'COMPLETED') return { status: 'FAILURE', recovered: true };
        recovered = true;
      }
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof CrestError) return `${err.status} ${err.reason}`;
  if (err instanceof NetworkError) return err.code ? `${err.failure}, ${err.code}` : err.failure;
  return err instanceof Error ? err.message : String(err);
}
