/**
 * `/openidm/config[/<id>]`: the promotable schedules at `config/schedule/<name>` (idm-api.md §3.2),
 * scheduled like `/scheduler/job` ones, and the managed-object schemas at `config/managed`.
 */
import { evaluateFilter, parseFilter } from '../../core/queryfilter';
import { CrestError, CrestRequest, queryEnvelope, resolveResourceVersion } from '../crest';
import { normalizeJob } from '../jobs';
import { applyPatch } from '../patch';
import { managedConfig } from '../schemas';
import { Tenant } from '../tenant';
import { Reply, RouteContext, created, location, ok, unsupported } from './reply';

/** Writes a schedule config and (re)schedules job `<name>` from it, as the config service does. */
export function applyScheduleConfig(
  tenant: Tenant,
  name: string,
  body: unknown,
  creating: boolean,
  strict: boolean,
): Record<string, unknown> {
  const config = normalizeJob(body, { creating, strict, persistedDefault: tenant.flavor.persistedDefault });
  const raw = { ...(body as Record<string, unknown>) };
  delete raw._id;
  tenant.store.db.transaction(() => {
    tenant.config.put(`schedule/${name}`, raw);
    tenant.scheduler.put(name, config, 'config');
  });
  return { _id: `schedule/${name}`, ...raw };
}

/** At start: a schedule config whose job is gone is scheduled again, as IDM does when it loads config. */
export function restoreScheduleConfigs(tenant: Tenant, strict: boolean): void {
  for (const entry of tenant.config.all()) {
    const id = String(entry._id);
    if (!id.startsWith('schedule/')) continue;
    const name = id.slice('schedule/'.length);
    if (tenant.jobs.get(name)) continue;
    try {
      applyScheduleConfig(tenant, name, entry, true, strict);
    } catch (err) {
      tenant.o.log(
        `config: ${id} could not be scheduled: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

export function configRoute(req: CrestRequest, ctx: RouteContext): Reply {
  resolveResourceVersion(req.resourceVersion, ['1.0']);
  const tenant = ctx.tenant;
  const id = req.path.join('/');
  if (id === '') {
    const all = [managedConfig(tenant.managed.definitions), ...tenant.config.all()];
    if (req.operation === 'read') {
      return ok({ _id: '', configurations: all.map((c) => ({ _id: c._id, pid: c._id, factoryPid: null })) });
    }
    if (req.operation !== 'query') throw unsupported(req.operation);
    const text = req.params.get('_queryFilter');
    let items = all;
    if (text !== null) {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new CrestError(parsed.error.httpStatus, parsed.error.upstreamMessage);
      items = all.filter((c) => evaluateFilter(parsed.ast, c));
    }
    return ok(queryEnvelope(items, req.params, { sortById: true }));
  }
  if (id === 'managed') {
    if (req.operation !== 'read')
      throw new CrestError(
        403,
        'config/managed is read-only in the emulator: its schemas describe the seeded objects',
      );
    return ok(managedConfig(tenant.managed.definitions));
  }
  const existing = tenant.config.get(id);
  const schedule = id.startsWith('schedule/') ? id.slice('schedule/'.length) : undefined;
  if (schedule !== undefined && (schedule === '' || schedule.includes('/')))
    throw new CrestError(404, `Resource 'config/${id}' not found`);
  const write = (body: unknown, creating: boolean): Record<string, unknown> => {
    if (schedule !== undefined) return applyScheduleConfig(tenant, schedule, body, creating, ctx.strict);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new CrestError(400, 'A configuration must be a JSON object');
    tenant.config.put(id, body as Record<string, unknown>);
    return tenant.config.get(id)!;
  };
  switch (req.operation) {
    case 'read':
      if (!existing) throw new CrestError(404, `No configuration exists for id ${id}`);
      return ok(existing);
    case 'create': {
      if (existing && !req.upsert) throw new CrestError(412, `Configuration ${id} already exists`);
      const body = write(req.body, !existing);
      return existing ? ok(body) : created(body, location(ctx, 'openidm/config', id));
    }
    case 'update':
      if (!existing) throw new CrestError(404, `No configuration exists for id ${id}`);
      return ok(write(req.body, false));
    case 'patch':
      if (!existing) throw new CrestError(404, `No configuration exists for id ${id}`);
      return ok(write(applyPatch(existing, req.body), false));
    case 'delete':
      if (!existing) throw new CrestError(404, `No configuration exists for id ${id}`);
      tenant.store.db.transaction(() => {
        tenant.config.delete(id);
        if (schedule !== undefined && tenant.jobs.get(schedule)?.origin === 'config')
          tenant.scheduler.delete(schedule);
      });
      return ok(existing);
    default:
      throw new CrestError(400, `Unknown action: ${req.action}`);
  }
}
