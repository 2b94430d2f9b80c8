/** `/openidm/managed/<object>[/<id>]`: CRUD, CREST patch and `_queryFilter` queries (idm-api.md §1). */
import {
  CrestError,
  pagedResultsOffset,
  CrestRequest,
  orderMeta,
  pageOf,
  fieldPicker,
  pickFields,
  queryEnvelope,
  resolveResourceVersion,
} from '../crest';
import { Written } from '../managed';
import { ObjectRow, StoredObject, jsonOfRow } from '../objects';
import { Reply, RouteContext, created, isAction, location, ok, unsupported } from './reply';

/** Managed objects carry a revision, so replies have an ETag (§1.2). */
function withETag(reply: Reply, object: StoredObject): Reply {
  return { ...reply, headers: { ...reply.headers, ETag: `"${object._rev}"` } };
}

/**
 * An update's or patch's reply: the revision it names is the new one, or for a write that changed
 * nothing the caller's `If-Match` (even a stale one) or none, then without `ETag` (observed on
 * OpenIDM 6.1.0, docs/emulator.md "An update that changes nothing").
 */
function written(w: Written, shown: (o: StoredObject) => Record<string, unknown>): Reply {
  const object = w.replyRev === undefined ? w.object : { ...w.object, _rev: w.replyRev };
  const reply = ok(shown(object));
  return w.replyRev === undefined ? reply : withETag(reply, object);
}

function revision(ifMatch: string | undefined): string | undefined {
  if (ifMatch === undefined) return undefined;
  return ifMatch
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

export async function managedRoute(req: CrestRequest, ctx: RouteContext): Promise<Reply> {
  resolveResourceVersion(req.resourceVersion, ['1.0']);
  const managed = ctx.tenant.managed;
  const [name, id, ...rest] = req.path;
  if (name === undefined) throw new CrestError(404, "Resource 'managed' not found");
  managed.collection(name);
  if (rest.length) throw new CrestError(404, `Resource 'managed/${req.path.join('/')}' not found`);
  const fields = req.params.get('_fields');
  const shown = (o: StoredObject) => pickFields(o, fields);
  if (id === undefined) {
    switch (req.operation) {
      case 'create': {
        const made = managed.create(name, undefined, req.body);
        return withETag(created(shown(made), location(ctx, 'openidm/managed', name, made._id)), made);
      }
      case 'query':
        return query(req, ctx, name);
      case 'read':
        throw new CrestError(
          400,
          `Reading managed/${name} needs an object id, or a query such as ?_queryFilter=true`,
        );
      case 'action':
        if (isAction(req, 'patch')) return patchAction(req, ctx, name, matchOf(req, ctx, name));
        throw new CrestError(400, `Unknown action: ${req.action}`);
      default:
        throw unsupported(req.operation);
    }
  }
  const rev = revision(req.ifMatch);
  switch (req.operation) {
    case 'read': {
      const found = managed.read(name, id);
      return withETag(ok(shown(found)), found);
    }
    case 'create': {
      if (req.upsert && ctx.tenant.objects.revision(managed.collection(name), id) !== undefined) {
        return written(managed.update(name, id, req.body), shown);
      }
      const made = managed.create(name, id, req.body);
      return withETag(created(shown(made), location(ctx, 'openidm/managed', name, id)), made);
    }
    case 'update': {
      return written(managed.update(name, id, req.body, rev), shown);
    }
    case 'patch': {
      return written(managed.patch(name, id, req.body, rev), shown);
    }
    case 'delete': {
      const removed = managed.delete(name, id, rev);
      return withETag(ok(shown(removed)), removed);
    }
    default:
      if (isAction(req, 'patch')) return patchAction(req, ctx, name, id);
      throw new CrestError(400, `Unknown action: ${req.action}`);
  }
}

/**
 * `POST …?_action=patch`: a CREST patch sent as an action, on one object named by its id or by a
 * query that must select exactly one (observed on OpenIDM 6.1.0, docs/emulator.md "Managed
 * objects"). It answers the object without an `ETag`, and refuses `If-Match` (OpenIDM does on any POST;
 * here only this action checks).
 */
function patchAction(req: CrestRequest, ctx: RouteContext, name: string, id: string): Reply {
  if (req.ifMatch !== undefined) throw new CrestError(412, 'If-Match not supported for POST requests');
  const { object } = ctx.tenant.managed.patch(name, id, req.body);
  return ok(pickFields(object, req.params.get('_fields')));
}

/** The one object a patch action's query selects: 404 for none, 500 for more (OpenIDM 6.1.0). */
function matchOf(req: CrestRequest, ctx: RouteContext, name: string): string {
  const params = {
    _queryFilter: req.params.get('_queryFilter'),
    _queryId: req.params.get('_queryId'),
    _queryExpression: req.params.get('_queryExpression'),
  };
  if (params._queryFilter === null && params._queryId === null && params._queryExpression === null) {
    throw new CrestError(
      400,
      'Either _queryId, _queryExpression, or _queryFilter to identify/define a query must be passed in the parameters.',
    );
  }
  const found = ctx.tenant.managed.query(name, params, 2);
  if (found.length === 0) throw new CrestError(404, 'Query returned no results');
  if (found.length > 1) throw new CrestError(500, 'Query result must yield one matching object');
  return String(found[0]!._id);
}

/**
 * Queries keep matches as compact rows and write the reply piece by piece, so a reply of tens of
 * thousands of objects never exists as objects or as one string. Sorted queries (and
 * `query-all-ids`) are built in memory. Without sorting or a total to count, a page reads only
 * up to its end (and one more row, to know whether there is a next page).
 */
async function query(req: CrestRequest, ctx: RouteContext, name: string): Promise<Reply> {
  const managed = ctx.tenant.managed;
  const params = {
    _queryFilter: req.params.get('_queryFilter'),
    _queryId: req.params.get('_queryId'),
    _queryExpression: req.params.get('_queryExpression'),
  };
  if (req.params.get('_sortKeys') || (params._queryId === 'query-all-ids' && params._queryFilter === null)) {
    // Sorted: every match in memory, read a page at a time taking turns (turns.ts).
    const all = await managed.queryInTurns(name, params, () => ctx.tenant.turns.next());
    return ok(queryEnvelope(all, req.params));
  }
  const pageSize = Number(req.params.get('_pageSize') ?? 0);
  const cookie = req.params.get('_pagedResultsCookie');
  const policy = (req.params.get('_totalPagedResultsPolicy') ?? 'NONE').toUpperCase();
  // Rows are read a page at a time, taking turns with scans and other requests (turns.ts).
  const between = () => ctx.tenant.turns.next();
  const fields = req.params.get('_fields');
  const pick = fields ? fieldPicker(fields) : undefined;
  const render = pick ? (o: StoredObject) => JSON.stringify(orderMeta(pick(o))) : undefined;
  const item = (row: ObjectRow): string => row.json ?? jsonOfRow(row);
  const after = cookie === null ? undefined : keyOfCookie(cookie);
  // Checked on every path (a negative offset is 400, issue 12); an offset pages by position.
  const startAt = pagedResultsOffset(req.params);
  if (pageSize > 0 && policy === 'NONE' && ((cookie === null && startAt === 0) || after !== undefined)) {
    // Paging without a total: each page starts after the last page's `_id` (the rows are in `_id`
    // order), so reading a whole large result page by page costs one pass, not one per page.
    const rows = await managed.queryRowsInTurns(name, params, between, pageSize + 1, after, render);
    const page = rows.slice(0, pageSize);
    const next = rows.length > pageSize ? cookieOfKey(page[page.length - 1]!.id) : null;
    const meta = {
      resultCount: page.length,
      pagedResultsCookie: next,
      totalPagedResultsPolicy: policy,
      totalPagedResults: -1,
      remainingPagedResults: -1,
    };
    return { status: 200, stream: envelope(page, item, meta) };
  }
  if (after !== undefined)
    throw new CrestError(400, 'This paged results cookie is valid only for paging without a total');
  const offset = Number(cookie ?? req.params.get('_pagedResultsOffset') ?? 0);
  const bounded = pageSize > 0 && Number.isInteger(offset) && offset >= 0 && policy === 'NONE';
  const rows = await managed.queryRowsInTurns(
    name,
    params,
    between,
    bounded ? offset + pageSize + 1 : Infinity,
    undefined,
    render,
  );
  const { page, meta } = pageOf(rows, req.params);
  return { status: 200, stream: envelope(page, item, meta) };
}

/**
 * Cookies are opaque to clients (§1.2); the emulator's say where the next page starts: an offset
 * (digits, as CREST's in-memory paging) or, for paging without a total, `~` and the last `_id` seen.
 */
function cookieOfKey(id: string): string {
  return `~${Buffer.from(id, 'utf8').toString('base64url')}`;
}

function keyOfCookie(cookie: string): string | undefined {
  if (!cookie.startsWith('~')) return undefined;
  const id = Buffer.from(cookie.slice(1), 'base64url').toString('utf8');
  if (cookieOfKey(id) !== cookie)
    throw new CrestError(400, `The paged results cookie '${cookie}' is not valid for this query`);
  return id;
}

function* envelope(
  page: ObjectRow[],
  item: (row: ObjectRow) => string,
  meta: Record<string, unknown>,
): Generator<string> {
  let chunk = '{"result":[';
  for (let i = 0; i < page.length; i++) {
    chunk += (i ? ',' : '') + item(page[i]!);
    if (chunk.length > 65536) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}],${JSON.stringify(meta).slice(1)}`;
}
