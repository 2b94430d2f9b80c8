import { BadReplyError } from './errors';
import type { TenantTransport } from './transport';
import { JobRecord, QueryPage, toJobRecord, toQueryPage } from './types';

/** idm-api.md §6.1: the scheduler speaks resource version 2.0 (per-job actions need it). */
const SCHEDULER_API = 'protocol=2.1,resource=2.0';
const JOBS = '/openidm/scheduler/job';

export interface JobQuery {
  /** CREST `_queryFilter`; `true` for all. */
  filter?: string;
  pageSize?: number;
  cookie?: string;
  offset?: number;
  fields?: string[];
  sortKeys?: string[];
  signal?: AbortSignal;
}

export interface UpsertResult {
  job: JobRecord;
  /** 201 on create, 200 when the upsert fell back to update (idm-api.md §1.1, §3.1). */
  created: boolean;
}

const jobPath = (id: string) => `${JOBS}/${encodeURIComponent(id)}`;

/** Dynamic scheduler jobs: `/openidm/scheduler/job` (idm-api.md §3.1). */
export class SchedulerJobs {
  constructor(private readonly http: TenantTransport) {}

  async query(q: JobQuery = {}): Promise<QueryPage<JobRecord>> {
    const reply = await this.http.request({
      method: 'GET',
      path: JOBS,
      apiVersion: SCHEDULER_API,
      signal: q.signal,
      query: {
        _queryFilter: q.filter ?? 'true',
        _pageSize: q.pageSize,
        _pagedResultsCookie: q.cookie,
        _pagedResultsOffset: q.offset,
        _fields: q.fields?.join(','),
        _sortKeys: q.sortKeys?.join(','),
      },
    });
    return toQueryPage(reply.body, `GET ${JOBS}`, (x) => toJobRecord(x, `GET ${JOBS}`));
  }

  /** Every matching job, page by page (the cookie is the next offset, §3.1). */
  async *all(q: Omit<JobQuery, 'cookie' | 'offset'> = {}): AsyncGenerator<JobRecord> {
    const pageSize = q.pageSize ?? 100;
    let cookie: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.query({ ...q, pageSize, cookie });
      yield* page.result;
      if (!page.pagedResultsCookie || page.result.length === 0) return;
      if (seen.has(page.pagedResultsCookie)) {
        throw new BadReplyError(
          `GET ${JOBS}: the server repeated paged-results cookie ${page.pagedResultsCookie}`,
        );
      }
      seen.add(page.pagedResultsCookie);
      cookie = page.pagedResultsCookie;
    }
  }

  async list(q: Omit<JobQuery, 'cookie' | 'offset'> = {}): Promise<JobRecord[]> {
    const out: JobRecord[] = [];
    for await (const job of this.all(q)) out.push(job);
    return out;
  }

  async read(id: string, signal?: AbortSignal): Promise<JobRecord> {
    const reply = await this.http.request({
      method: 'GET',
      path: jobPath(id),
      apiVersion: SCHEDULER_API,
      signal,
    });
    return toJobRecord(reply.body, `GET ${jobPath(id)}`);
  }

  /** PUT with neither If-Match nor If-None-Match: CREST upsert (idm-api.md §1.1). */
  async upsert(id: string, job: Record<string, unknown>, signal?: AbortSignal): Promise<UpsertResult> {
    const { _id: _ignored, ...body } = job;
    const reply = await this.http.request({
      method: 'PUT',
      path: jobPath(id),
      apiVersion: SCHEDULER_API,
      body,
      signal,
    });
    return { job: toJobRecord(reply.body, `PUT ${jobPath(id)}`), created: reply.status === 201 };
  }

  /** Returns the job as it was before deletion (§3.1). */
  async delete(id: string, signal?: AbortSignal): Promise<JobRecord> {
    const reply = await this.http.request({
      method: 'DELETE',
      path: jobPath(id),
      apiVersion: SCHEDULER_API,
      signal,
    });
    return toJobRecord(reply.body, `DELETE ${jobPath(id)}`);
  }

  /** Fires the job now (AIC/IDM 8, resource 2.0 only). Not retried: a second trigger fires twice. */
  trigger(id: string, signal?: AbortSignal): Promise<boolean> {
    return this.jobAction(id, 'trigger', signal);
  }

  pause(id: string, signal?: AbortSignal): Promise<boolean> {
    return this.jobAction(id, 'pause', signal);
  }

  resume(id: string, signal?: AbortSignal): Promise<boolean> {
    return this.jobAction(id, 'resume', signal);
  }

  private async jobAction(id: string, action: string, signal?: AbortSignal): Promise<boolean> {
    const reply = await this.http.request<{ success?: unknown }>({
      method: 'POST',
      path: jobPath(id),
      query: { _action: action },
      apiVersion: SCHEDULER_API,
      signal,
    });
    return reply.body?.success === true;
  }

  /** Jobs executing now on the node that answers; the items carry no `_id` (§3.1). */
  async currentlyExecuting(signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const reply = await this.http.request<unknown>({
      method: 'POST',
      path: JOBS,
      query: { _action: 'listCurrentlyExecutingJobs' },
      apiVersion: SCHEDULER_API,
      idempotent: true,
      signal,
    });
    if (!Array.isArray(reply.body)) {
      throw new BadReplyError(`POST ${JOBS}?_action=listCurrentlyExecutingJobs: the reply is not an array`);
    }
    return reply.body as Record<string, unknown>[];
  }

  /** `validateQuartzCronExpression` (§3.1); always sends `cronExpression`. */
  async validateCron(cronExpression: string, signal?: AbortSignal): Promise<boolean> {
    const reply = await this.http.request<{ valid?: unknown }>({
      method: 'POST',
      path: '/openidm/scheduler',
      query: { _action: 'validateQuartzCronExpression' },
      apiVersion: SCHEDULER_API,
      body: { cronExpression },
      idempotent: true,
      signal,
    });
    if (typeof reply.body?.valid !== 'boolean') {
      throw new BadReplyError(
        'POST /openidm/scheduler?_action=validateQuartzCronExpression: no "valid" in the reply',
      );
    }
    return reply.body.valid;
  }
}
