/** `/openidm/scheduler`, `/openidm/scheduler/job[/<id>]`, `/openidm/scheduler/trigger` (idm-api.md §2, §3.1). */
import { randomUUID } from 'node:crypto';
import { checkCron } from '../../core/job/cron';
import { evaluateFilter, parseFilter } from '../../core/queryfilter';
import { CrestError, CrestRequest, queryEnvelope, resolveResourceVersion } from '../crest';
import { JobConfig, normalizeJob, renderJob, triggerOf } from '../jobs';
import { Reply, RouteContext, created, isAction, location, ok, unsupported } from './reply';

const VERSIONS = ['1.0', '2.0'];

/** §3.1: `{"cronExpression": …}` → `{"valid": …}`. */
function validateCron(req: CrestRequest): Reply {
  const expr = (req.body as { cronExpression?: unknown } | null)?.cronExpression;
  if (typeof expr !== 'string') throw new CrestError(400, "The request body needs a 'cronExpression' string");
  return ok({ valid: checkCron(expr).length === 0 });
}

function filtered(req: CrestRequest, items: Record<string, unknown>[]): Record<string, unknown>[] {
  const text = req.params.get('_queryFilter');
  if (text === null) return items;
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new CrestError(parsed.error.httpStatus, parsed.error.upstreamMessage);
  return items.filter((i) => evaluateFilter(parsed.ast, i));
}

export function schedulerRoute(req: CrestRequest, ctx: RouteContext): Reply {
  const version = resolveResourceVersion(req.resourceVersion, VERSIONS);
  const [sub, id, ...rest] = req.path;
  if (rest.length) throw new CrestError(404, `Resource 'scheduler/${req.path.join('/')}' not found`);
  if (sub === undefined) {
    // §3.1: validateQuartzCronExpression is matched on /scheduler itself.
    if (req.operation === 'action' && isAction(req, 'validateQuartzCronExpression')) return validateCron(req);
    if (req.operation === 'action') throw new CrestError(400, `Unknown action: ${req.action}`);
    throw unsupported(req.operation);
  }
  if (sub === 'job') return id === undefined ? jobCollection(req, ctx) : jobInstance(req, ctx, id, version);
  if (sub === 'trigger') return triggers(req, ctx, id);
  if (sub === 'waitingTriggers' || sub === 'acquiredTriggers') {
    if (req.operation !== 'read' || id !== undefined) throw unsupported(req.operation);
    const waiting = ctx.tenant.jobs.all().filter((j) => j.config.enabled && !j.paused && j.nextFire !== null);
    // One node, no cluster: nothing is ever "acquired" by another node.
    return ok({
      _id: sub,
      names: sub === 'waitingTriggers' ? waiting.map((j) => `scheduler-service-group.trigger-${j.id}`) : [],
    });
  }
  throw new CrestError(404, `Resource 'scheduler/${sub}' not found`);
}

function putJob(ctx: RouteContext, id: string, body: unknown, creating: boolean): Record<string, unknown> {
  const config: JobConfig = normalizeJob(body, {
    creating,
    strict: ctx.strict,
    persistedDefault: ctx.flavor.persistedDefault,
  });
  return renderJob(ctx.tenant.scheduler.put(id, config, 'dynamic'), { aicFields: ctx.flavor.aicJobFields });
}

function jobCollection(req: CrestRequest, ctx: RouteContext): Reply {
  const scheduler = ctx.tenant.scheduler;
  switch (req.operation) {
    case 'create': {
      // §2.1: any `_id` in the body is overwritten; POST gets a random UUID.
      const id = randomUUID();
      return created(putJob(ctx, id, req.body, true), location(ctx, 'openidm/scheduler/job', id));
    }
    case 'read':
      throw new CrestError(400, 'Empty resourceId');
    case 'query': {
      const queryId = req.params.get('_queryId');
      if (queryId !== null) {
        if (queryId !== 'query-all-ids')
          throw new CrestError(400, "only query-id of 'query-all-ids' is supported.");
        return ok(
          queryEnvelope(
            ctx.tenant.jobs.all().map((j) => ({ _id: j.id })),
            withPolicy(req.params),
            { sortById: true },
          ),
        );
      }
      const jobs = filtered(
        req,
        ctx.tenant.jobs.all().map((j) => renderJob(j, { aicFields: ctx.flavor.aicJobFields })),
      );
      // §3.1: sorted by _sortKeys then _id; totalPagedResultsPolicy EXACT.
      return ok(queryEnvelope(jobs, withPolicy(req.params), { sortById: true }));
    }
    case 'action': {
      if (isAction(req, 'validateQuartzCronExpression')) return validateCron(req);
      if (isAction(req, 'listCurrentlyExecutingJobs')) {
        // §3.1: a bare array, and the items have no _id.
        return ok(
          scheduler
            .currentlyExecuting()
            .map((j) => renderJob(j, { withId: false, aicFields: ctx.flavor.aicJobFields })),
        );
      }
      if (isAction(req, 'pauseJobs') || isAction(req, 'resumeJobs')) {
        scheduler.setAllPaused(isAction(req, 'pauseJobs'));
        return ok({ success: true });
      }
      // §3.1: the fork answers 500 with this message; --strict answers 400.
      throw new CrestError(
        ctx.strict ? 400 : 500,
        `Expecting String containing one of: create listCurrentlyExecutingJobs pauseJobs resumeJobs (got '${req.action}')`,
      );
    }
    default:
      throw unsupported(req.operation);
  }
}

function withPolicy(params: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams(params);
  if (!p.has('_totalPagedResultsPolicy')) p.set('_totalPagedResultsPolicy', 'EXACT');
  return p;
}

function jobInstance(req: CrestRequest, ctx: RouteContext, id: string, version: string): Reply {
  const { jobs, scheduler } = ctx.tenant;
  const existing = jobs.get(id);
  switch (req.operation) {
    case 'read':
      if (!existing) throw new CrestError(404, 'Schedule does not exist');
      return ok(renderJob(existing, { aicFields: ctx.flavor.aicJobFields }));
    case 'create': {
      if (req.method === 'POST')
        throw new CrestError(400, `Create with an id is done with PUT /openidm/scheduler/job/${id}`);
      if (existing && !req.upsert) throw new CrestError(412, 'Schedule already exists');
      const body = putJob(ctx, id, req.body, !existing);
      // §1.1: an upsert that falls back to update answers 200.
      return existing ? ok(body) : created(body, location(ctx, 'openidm/scheduler/job', id));
    }
    case 'update':
      if (!existing) throw new CrestError(404, 'Not Found');
      return ok(putJob(ctx, id, req.body, false));
    case 'delete': {
      if (!existing) throw new CrestError(404, 'Not Found');
      scheduler.delete(id);
      return ok(renderJob(existing, { aicFields: ctx.flavor.aicJobFields }));
    }
    case 'patch':
      throw new CrestError(
        501,
        'PATCH operations are not supported on the scheduler context path. To patch a schedule, use the config context path.',
      );
    case 'action': {
      const name = req.action!.toLowerCase();
      if (name === 'trigger' || name === 'pause' || name === 'resume') {
        // §3.1, §6.1: per-job actions exist only from version 2.0 of the scheduler API.
        if (version.startsWith('1.')) {
          throw new CrestError(
            400,
            `The '${req.action}' action needs Accept-API-Version: resource=2.0 (requested ${req.resourceVersion})`,
          );
        }
        if (!existing) throw new CrestError(404, 'Schedule does not exist');
        if (name === 'trigger') scheduler.trigger(id);
        else scheduler.setPaused(id, name === 'pause');
        return ok({ success: true });
      }
      if (name === 'validatequartzcronexpression') return validateCron(req);
      throw new CrestError(400, `Unknown action: ${req.action} (trigger, pause, resume)`);
    }
    default:
      throw unsupported(req.operation);
  }
}

function triggers(req: CrestRequest, ctx: RouteContext, id: string | undefined): Reply {
  const all = ctx.tenant.jobs
    .all()
    .filter((j) => j.config.enabled && (j.nextFire !== null || j.paused))
    .map(triggerOf);
  if (req.operation === 'query')
    return ok(queryEnvelope(filtered(req, all), withPolicy(req.params), { sortById: true }));
  if (req.operation !== 'read') throw unsupported(req.operation);
  if (id === undefined) throw new CrestError(400, 'No id was supplied to read');
  const trigger = all.find((t) => t._id === id);
  if (!trigger) throw new CrestError(404, `Trigger ${id} not found`);
  return ok(trigger);
}
