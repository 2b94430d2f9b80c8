/** `/openidm/managed/<object>[/<id>]`: CRUD, CREST patch and `_queryFilter` queries (idm-api.md §1). */
import { CrestError, CrestRequest, pickFields, queryEnvelope, resolveResourceVersion } from '../crest';
import { StoredObject } from '../objects';
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
      case 'query': {
        // Without sorting or a total to count, a page needs only the objects up to its end (and one
        // more, to know whether there is a next page).
        const pageSize = Number(req.params.get('_pageSize') ?? 0);
        const offset = Number(
          req.params.get('_pagedResultsCookie') ?? req.params.get('_pagedResultsOffset') ?? 0,
        );
        const policy = (req.params.get('_totalPagedResultsPolicy') ?? 'NONE').toUpperCase();
        const bounded =
          pageSize > 0 &&
          Number.isInteger(offset) &&
          offset >= 0 &&
          !req.params.get('_sortKeys') &&
          policy === 'NONE';
        const items = managed.query(
          name,
          {
            _queryFilter: req.params.get('_queryFilter'),
            _queryId: req.params.get('_queryId'),
            _queryExpression: req.params.get('_queryExpression'),
          },
          bounded ? offset + pageSize + 1 : Infinity,
        );
        return ok(queryEnvelope(items, req.params));
      }
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
