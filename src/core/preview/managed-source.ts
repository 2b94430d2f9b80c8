/**
 * Reads managed objects from a tenant for the preview and the dry run: GETs only, so a preview or a
 * dry run can never change the tenant (idm-api.md §1.1: a GET is a READ or a QUERY).
 */
import { BadReplyError, CrestError, QueryPage, TenantClient, toQueryPage } from '../tenant';

/** `/openidm/managed/*` speaks resource version 1.0 (idm-api.md §6.1). */
const MANAGED_API = 'protocol=2.1,resource=1.0';

export type ManagedObject = Record<string, unknown> & { _id: string };

export interface ManagedPageQuery {
  filter: string;
  pageSize: number;
  cookie?: string;
  fields?: string[];
  /** Ask the tenant to count every match (`_totalPagedResultsPolicy=EXACT`). */
  exactTotal?: boolean;
  signal?: AbortSignal;
}

function toManagedObject(where: string) {
  return (x: unknown): ManagedObject => {
    const o = x as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o._id !== 'string')
      throw new BadReplyError(`${where}: a query result without an _id`);
    return o as ManagedObject;
  };
}

export class ManagedSource {
  constructor(
    readonly client: TenantClient,
    /** `managed/<name>`. */
    readonly object: string,
  ) {}

  private get path(): string {
    return `/openidm/${this.object.split('/').map(encodeURIComponent).join('/')}`;
  }

  async page(q: ManagedPageQuery): Promise<QueryPage<ManagedObject>> {
    const where = `GET ${this.path}`;
    const reply = await this.client.http.request({
      method: 'GET',
      path: this.path,
      apiVersion: MANAGED_API,
      signal: q.signal,
      query: {
        _queryFilter: q.filter,
        _pageSize: q.pageSize,
        _pagedResultsCookie: q.cookie,
        _fields: q.fields?.length ? q.fields.join(',') : undefined,
        _totalPagedResultsPolicy: q.exactTotal ? 'EXACT' : undefined,
      },
    });
    return toQueryPage(reply.body, where, toManagedObject(where));
  }

  /** Every match, one page at a time; a page is dropped before the next is read. */
  async *pages(q: Omit<ManagedPageQuery, 'cookie'>): AsyncGenerator<ManagedObject[]> {
    let cookie: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.page({ ...q, cookie });
      yield page.result;
      if (!page.pagedResultsCookie || page.result.length === 0) return;
      if (seen.has(page.pagedResultsCookie))
        throw new BadReplyError(
          `GET ${this.path}: the tenant repeated the paged-results cookie ${page.pagedResultsCookie}`,
        );
      seen.add(page.pagedResultsCookie);
      cookie = page.pagedResultsCookie;
    }
  }

  /** One object, or undefined when the tenant has none with that id. */
  async read(id: string, signal?: AbortSignal): Promise<ManagedObject | undefined> {
    try {
      const reply = await this.client.http.request<ManagedObject>({
        method: 'GET',
        path: `${this.path}/${encodeURIComponent(id)}`,
        apiVersion: MANAGED_API,
        signal,
      });
      return reply.body;
    } catch (err) {
      if (err instanceof CrestError && err.status === 404) return undefined;
      throw err;
    }
  }
}
