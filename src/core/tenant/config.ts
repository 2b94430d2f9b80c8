import { BadReplyError, CrestError } from './errors';
import type { TenantTransport } from './transport';
import { toQueryPage } from './types';

/** idm-api.md §6.1: `/openidm/config/*` speaks resource version 1.0. */
const CONFIG_API = 'protocol=2.1,resource=1.0';
const schedulePath = (name: string) => `/openidm/config/schedule/${encodeURIComponent(name)}`;

/**
 * Static schedules: `/openidm/config/schedule/<name>` (idm-api.md §3.2). Promoted with the tenant's
 * configuration; what the AIC console and fr-config-manager write.
 */
export class ScheduleConfigs {
  constructor(private readonly http: TenantTransport) {}

  async read(name: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const reply = await this.http.request<Record<string, unknown>>({
      method: 'GET',
      path: schedulePath(name),
      apiVersion: CONFIG_API,
      signal,
    });
    return reply.body;
  }

  async upsert(
    name: string,
    config: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ config: Record<string, unknown>; created: boolean }> {
    const { _id: _ignored, ...body } = config;
    const reply = await this.http.request<Record<string, unknown>>({
      method: 'PUT',
      path: schedulePath(name),
      apiVersion: CONFIG_API,
      body,
      signal,
    });
    return { config: reply.body, created: reply.status === 201 };
  }

  async delete(name: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const reply = await this.http.request<Record<string, unknown>>({
      method: 'DELETE',
      path: schedulePath(name),
      apiVersion: CONFIG_API,
      signal,
    });
    return reply.body;
  }

  /** Names of the static schedules, the way fr-config-manager pulls them (§3.2). */
  async names(signal?: AbortSignal): Promise<string[]> {
    const reply = await this.http.request({
      method: 'GET',
      path: '/openidm/config',
      query: { _queryFilter: '_id sw "schedule/"' },
      apiVersion: CONFIG_API,
      signal,
    });
    const page = toQueryPage(reply.body, 'GET /openidm/config', (x) => x as { _id?: unknown });
    return page.result
      .map((c) => (typeof c._id === 'string' ? c._id.replace(/^schedule\//, '') : ''))
      .filter((n) => n !== '');
  }
}

/** A managed object type and its properties, for completion of `scan.object` and pointers. */
export interface ManagedObjectSchema {
  /** `managed/<name>`, e.g. `managed/alpha_user` in AIC (idm-api.md §7). */
  resource: string;
  properties: Record<string, { type?: string; title?: string; description?: string }>;
}

export async function managedSchemas(
  http: TenantTransport,
  signal?: AbortSignal,
): Promise<ManagedObjectSchema[]> {
  const reply = await http.request<{ objects?: unknown }>({
    method: 'GET',
    path: '/openidm/config/managed',
    apiVersion: CONFIG_API,
    signal,
  });
  const objects = reply.body?.objects;
  if (!Array.isArray(objects))
    throw new BadReplyError('GET /openidm/config/managed: no "objects" array in the reply');
  return objects
    .filter(
      (o): o is { name: string; schema?: { properties?: Record<string, unknown> } } =>
        typeof o?.name === 'string',
    )
    .map((o) => ({
      resource: `managed/${o.name}`,
      properties: (o.schema?.properties ?? {}) as ManagedObjectSchema['properties'],
    }));
}

export type CompileResult = { ok: true } | { ok: false; message: string };

/** `POST /openidm/script?_action=compile`: true, or the server's reason (peers.md §0). */
export async function compileScript(
  http: TenantTransport,
  source: string,
  signal?: AbortSignal,
): Promise<CompileResult> {
  try {
    const reply = await http.request<unknown>({
      method: 'POST',
      path: '/openidm/script',
      query: { _action: 'compile' },
      body: { type: 'text/javascript', source },
      idempotent: true,
      signal,
    });
    if (reply.body === true) return { ok: true };
    return { ok: false, message: typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body) };
  } catch (err) {
    if (err instanceof CrestError && err.status === 400) return { ok: false, message: err.serverMessage };
    throw err;
  }
}
