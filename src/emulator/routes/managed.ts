/** `/openidm/managed/<object>[/<id>]`: CRUD, CREST patch and `_queryFilter` queries (idm-api.md §1). */
import {
  CrestError,
  CrestRequest,
  orderMeta,
  pageOf,
  pickFields,
  queryEnvelope,
  resolveResourceVersion,
} from '../crest';
import { ObjectRow, StoredObject, jsonOfRow, objectOfRow } from '../objects';
import { Reply, RouteContext, created, location, ok, unsupported } from './reply';

/** Managed objects carry a revision, so replies have an ETag (§1.2). */
function withETag(reply: Reply, object: StoredObject): Reply {
  return { ...reply, headers: { ...reply.headers, ETag: `"${object._rev}"` } };
}

function revision(ifMatch: string | undefined): string | undefined {
  if (ifMatch === undefined) return undefined;
  return ifMatch
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

export function managedRoute(req: CrestRequest, ctx: RouteContext): Reply {
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
        const updated = managed.update(name, id, req.body);
        return withETag(ok(shown(updated)), updated);
      }
      const made = managed.create(name, id, req.body);
      return withETag(created(shown(made), location(ctx, 'openidm/managed', name, id)), made);
    }
    case 'update': {
      const updated = managed.update(name, id, req.body, rev);
      return withETag(ok(shown(updated)), updated);
    }
    case 'patch': {
      const patched = managed.patch(name, id, req.body, rev);
      return withETag(ok(shown(patched)), patched);
    }
    case 'delete': {
      const removed = managed.delete(name, id, rev);
      return withETag(ok(shown(removed)), removed);
    }
    default:
      throw new CrestError(400, `Unknown action: ${req.action}`);
  }
}

/**
 * Queries keep matches as compact rows and write the reply piece by piece, so a reply of tens of
 * thousands of objects never exists as objects or as one string. Sorted queries (and
 * `query-all-ids`) are built in memory. Without sorting or a total to count, a page reads only
 * up to its end (and one more row, to know whether there is a next page).
 */
function query(req: CrestRequest, ctx: RouteContext, name: string): Reply {
  const managed = ctx.tenant.managed;
  const params = {
    _queryFilter: req.params.get('_queryFilter'),
    _queryId: req.params.get('_queryId'),
    _queryExpression: req.params.get('_queryExpression'),
  };
  if (req.params.get('_sortKeys') || (params._queryId === 'query-all-ids' && params._queryFilter === null)) {
    return ok(queryEnvelope(managed.query(name, params), req.params));
  }
  const pageSize = Number(req.params.get('_pageSize') ?? 0);
  const offset = Number(req.params.get('_pagedResultsCookie') ?? req.params.get('_pagedResultsOffset') ?? 0);
  const policy = (req.params.get('_totalPagedResultsPolicy') ?? 'NONE').toUpperCase();
  const bounded = pageSize > 0 && Number.isInteger(offset) && offset >= 0 && policy === 'NONE';
  const rows = managed.queryRows(name, params, bounded ? offset + pageSize + 1 : Infinity);
  const { page, meta } = pageOf(rows, req.params);
  const fields = req.params.get('_fields');
  const item = (row: ObjectRow): string =>
    fields ? JSON.stringify(orderMeta(pickFields(objectOfRow(row), fields))) : jsonOfRow(row);
  return { status: 200, stream: envelope(page, item, meta) };
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
