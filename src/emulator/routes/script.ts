/** `/openidm/script?_action=compile` and the emulator-only `/scanjobs-emulator/*` routes. */
import { CrestError, CrestRequest, resolveResourceVersion } from '../crest';
import { ScriptEngine } from '../sandbox';
import { Reply, RouteContext, ok, unsupported } from './reply';
import { VERSION } from '../../core/version';

/** `{type, source}` → `true` when it compiles, 400 with the syntax error otherwise. */
export function scriptRoute(req: CrestRequest, ctx: RouteContext): Reply {
  resolveResourceVersion(req.resourceVersion, ['1.0']);
  if (req.path.length) throw new CrestError(404, `Resource 'script/${req.path.join('/')}' not found`);
  if (req.operation !== 'action') throw unsupported(req.operation);
  if (req.action?.toLowerCase() !== 'compile')
    throw new CrestError(400, `Unknown action: ${req.action} (the emulator supports compile)`);
  const body = (req.body ?? {}) as { type?: unknown; source?: unknown; file?: unknown };
  if (typeof body.source !== 'string')
    throw new CrestError(400, "compile needs a 'source' string (AIC runs only inline scripts)");
  if (body.type !== undefined && body.type !== 'text/javascript' && body.type !== 'javascript') {
    throw new CrestError(
      400,
      `Script type '${String(body.type)}' is not supported: AIC runs only text/javascript`,
    );
  }
  const engine = ScriptEngine.fromModule(
    ctx.tenant.o.quickjs,
    { call: () => null, log: () => {} },
    ctx.tenant.o.limits,
  );
  try {
    const error = engine.compile(body.source);
    if (error) throw new CrestError(400, `The script does not compile: ${error}`);
  } finally {
    engine.dispose();
  }
  return ok(true);
}

/**
 * Emulator-only (not on any real tenant): `GET /scanjobs-emulator/info` and
 * `GET /scanjobs-emulator/runs/<runId>/log`, the scanner's notes and the script's logger output of a run.
 */
export function emulatorRoute(req: CrestRequest, ctx: RouteContext): Reply {
  if (req.operation !== 'read') throw new CrestError(405, 'The emulator-only routes are read-only (GET)');
  const [first, runId, last, ...rest] = req.path;
  if (first === 'info' && runId === undefined) {
    return ok({
      _id: 'info',
      emulator: 'scanjobs',
      version: VERSION,
      sqliteDriver: ctx.tenant.store.db.driver,
      schemaVersion: ctx.tenant.store.schemaVersion(),
      strict: ctx.strict,
      // The emulator process's memory, in MB: now and at its peak.
      // CPU time the emulator process has used, in ms: lets a benchmark on a busy machine count
      // objects per CPU-second as well as per wall-clock second.
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
      memory: {
        rss: Math.round(process.memoryUsage().rss / 1048576),
        peakRss: Math.round(process.resourceUsage().maxRSS / 1024),
      },
    });
  }
  if (first === 'runs' && runId && last === 'log' && rest.length === 0) {
    const run = ctx.tenant.scanner.read(runId);
    if (!run) throw new CrestError(404, `Task with id '${runId}' not found.`);
    const { entries, dropped, truncated, limits } = ctx.tenant.runs.log(runId);
    return ok({ _id: runId, state: run.progress.state, entries, dropped, truncated, limits });
  }
  throw new CrestError(
    404,
    `Resource 'scanjobs-emulator/${req.path.join('/')}' not found (info, runs/<runId>/log)`,
  );
}
