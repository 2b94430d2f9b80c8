/** `/openidm/taskscanner[/<runId>]` (idm-api.md §4.3, §4.4). */
import { evaluateFilter, parseFilter } from '../../core/queryfilter';
import { CrestError, CrestRequest, queryEnvelope, resolveResourceVersion } from '../crest';
import type { RunRecord } from '../runs';
import { Reply, RouteContext, isAction, ok, unsupported } from './reply';

/** §4.4: `name` is the job id (AIC); `schedule/<id>` (the fork's config name) is accepted too. */
function invokeContextOf(ctx: RouteContext, name: string | null): { job: string; invokeContext: unknown } {
  if (name && ctx.flavor.executeBy === 'config') {
    // OpenIDM 6.1.0 reads config/<name> only: `schedule/x` after PUT config/schedule/x (README item 4).
    const config = ctx.tenant.config.get(name);
    if (config) return { job: name.replace(/^schedule\//, ''), invokeContext: config.invokeContext };
  } else if (name) {
    const bare = name.replace(/^schedule\//, '');
    const job = ctx.tenant.jobs.get(name) ?? ctx.tenant.jobs.get(bare);
    if (job) return { job: job.id, invokeContext: job.config.invokeContext };
    const config = ctx.tenant.config.get(`schedule/${bare}`);
    if (config) return { job: bare, invokeContext: config.invokeContext };
  }
  throw new CrestError(400, `Error obtaining named config: '${name ?? 'null'}'`);
}

/** §4.1: a run as this flavour shows it; the fork has no `name` and `""` for an unset time (README 3). */
function renderRun(ctx: RouteContext, run: RunRecord): Record<string, unknown> {
  if (ctx.flavor.runName) return { ...run };
  const { name: _name, ...rest } = run;
  return { ...rest, started: rest.started ?? '', ended: rest.ended ?? '' };
}

export async function taskscannerRoute(req: CrestRequest, ctx: RouteContext): Promise<Reply> {
  resolveResourceVersion(req.resourceVersion, ['1.0']);
  const [runId, ...rest] = req.path;
  const scanner = ctx.tenant.scanner;
  if (rest.length) throw new CrestError(404, `Resource 'taskscanner/${req.path.join('/')}' not found`);
  if (runId === undefined) {
    switch (req.operation) {
      case 'action': {
        if (!isAction(req, 'execute')) throw new CrestError(400, `Unknown action: ${req.action}`);
        // §4.4: the request's own waitForCompletion parameter is ignored; only the job's counts.
        const { job, invokeContext } = invokeContextOf(ctx, req.params.get('name'));
        const { runId: id } = await scanner.execute(job, invokeContext);
        return ok({ _id: id });
      }
      case 'read':
        // §4.3, the old listing: {_id:"", tasks:[…]}.
        return ok({
          _id: '',
          tasks: ctx.tenant.runs.list().map((r) => renderRun(ctx, scanner.read(r._id) ?? r)),
        });
      case 'query': {
        // OpenIDM 6.1.0 has no run query (README item 3).
        if (!ctx.flavor.runQuery) throw unsupported(req.operation);
        let runs = ctx.tenant.runs.list().map((r) => scanner.read(r._id) ?? r) as unknown as Record<
          string,
          unknown
        >[];
        const text = req.params.get('_queryFilter');
        if (text !== null) {
          const parsed = parseFilter(text);
          if (!parsed.ok) throw new CrestError(parsed.error.httpStatus, parsed.error.upstreamMessage);
          runs = runs.filter((r) => evaluateFilter(parsed.ast, r));
        }
        return ok(queryEnvelope(runs, req.params));
      }
      default:
        throw unsupported(req.operation);
    }
  }
  switch (req.operation) {
    case 'read': {
      const run = scanner.read(runId);
      if (!run) throw new CrestError(404, `Task with id '${runId}' not found.`);
      return ok(renderRun(ctx, run));
    }
    case 'action': {
      if (!isAction(req, 'cancel')) {
        const params = [...req.params.entries()]
          .filter(([k]) => k !== '_action')
          .map(([k, v]) => `${k}=${v}`);
        throw new CrestError(
          400,
          `Action '${req.action}' on Task '${runId}' not supported {${params.join(', ')}}`,
        );
      }
      const status = scanner.cancel(runId);
      if (!status) throw new CrestError(404, `Task with id '${runId}' not found.`);
      // §4.3: AIC's answer is {_id, status}; FAILURE (not an HTTP error) when already COMPLETED.
      // OpenIDM 6.1.0 echoes the action too (observed: {status, _id, action}).
      return ok(ctx.flavor.runName ? { _id: runId, status } : { status, _id: runId, action: 'cancel' });
    }
    default:
      throw unsupported(req.operation);
  }
}
