/**
 * Managed objects (`/openidm/managed/<object>`): the operations shared by the REST routes and by
 * `openidm.*` inside scripts. Queries use the core filter engine, so the emulator and the editor
 * agree on what a `_queryFilter` selects.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { evaluateFilter, parseFilter } from '../core/queryfilter';
import { CrestError } from './crest';
import { JsonObject, ObjectRow, ObjectTable, objectOfRow, RevisionConflict, StoredObject } from './objects';
import { asOrientDb } from './orientdb';
import { applyPatch, getPointer } from './patch';

/** The managed objects this emulator serves; schemas in config.ts. */
export const MANAGED_OBJECT_NAMES = ['alpha_user', 'bravo_user', 'user'] as const;

/**
 * A managed object type beyond the seeded ones, with its schema as `config/managed` lists it: how a
 * dry run's private tenant serves the source tenant's object (docs/preview.md).
 */
export interface ManagedObjectDefinition {
  name: string;
  schema?: Record<string, unknown>;
}

/**
 * The longest `_queryFilter` the emulator parses (characters). The platform documents none; a filter
 * in a URL is bounded by the 16 KB request line anyway, and one in a job (`scan._queryFilter`) or a
 * script (`openidm.query`) by this, so parsing one never holds the server (a 13 MB filter froze it
 * for 12 s; issue 12). Real filters are well under 1,000 characters.
 */
export const MAX_QUERY_FILTER_CHARS = 64 * 1024;

/** 400 for a filter past MAX_QUERY_FILTER_CHARS, naming where it came from. */
export function checkFilterLength(filter: string, where: string): void {
  if (filter.length > MAX_QUERY_FILTER_CHARS) {
    throw new CrestError(
      400,
      `${where} is ${filter.length} characters long; the emulator accepts filters of up to ${MAX_QUERY_FILTER_CHARS}`,
    );
  }
}

export interface QueryParams {
  _queryFilter?: string | null;
  _queryId?: string | null;
  _queryExpression?: string | null;
}

/**
 * What an update or patch answers. `object` is the object as stored (what `openidm.update` and
 * `openidm.patch` return in a script); `replyRev` is the revision the REST reply names in its `ETag`
 * and body `_rev`, undefined for no `ETag` (a write that changed nothing, without `If-Match`).
 */
export interface Written {
  object: StoredObject;
  replyRev: string | undefined;
}

export class ManagedObjects {
  private readonly names: Set<string>;

  constructor(
    readonly objects: ObjectTable,
    /** Who answers queries: every filter the parser accepts, or OpenIDM's OrientDB (orientdb.ts). */
    private readonly repository: 'memory' | 'orientdb' = 'memory',
    /** Types served beside the seeded ones (a seeded name here replaces that schema). */
    readonly definitions: readonly ManagedObjectDefinition[] = [],
  ) {
    this.names = new Set([...MANAGED_OBJECT_NAMES, ...definitions.map((d) => d.name)]);
  }

  /** The store collection for a managed object name; unknown names are 404 as on the platform. */
  collection(name: string): string {
    if (!this.names.has(name)) {
      throw new CrestError(404, `Resource 'managed/${name}' not found`);
    }
    return `managed/${name}`;
  }

  /** Splits `managed/alpha_user/123` into object name and id (id may be absent). */
  resolve(resourcePath: string): { name: string; id?: string } {
    const parts = String(resourcePath)
      .replace(/^\/+/, '')
      .replace(/^openidm\//, '')
      .split('/');
    if (parts[0] !== 'managed' || !parts[1] || parts.length > 3) {
      throw new CrestError(404, `Resource '${resourcePath}' not found`);
    }
    this.collection(parts[1]);
    return { name: parts[1], id: parts[2] ? decodeURIComponent(parts[2]) : undefined };
  }

  read(name: string, id: string): StoredObject {
    const found = this.objects.read(this.collection(name), id);
    if (!found) throw new CrestError(404, `Object ${id} not found in managed/${name}`);
    return found;
  }

  /** Creates with a given id (fails 412 when taken, as CREST create does) or a server-assigned one. */
  create(name: string, id: string | undefined, body: unknown): StoredObject {
    const data = asObject(body);
    const created = this.objects.create(this.collection(name), id ?? randomUUID(), data);
    if (!created) throw new CrestError(412, 'The resource already exists');
    return created;
  }

  /**
   * Replaces the object. A body equal to the stored object writes nothing (observed on OpenIDM 6.1.0,
   * docs/emulator.md "An update that changes nothing"): the revision stays, and a stale `If-Match`
   * is not refused, as no conditional write is made.
   */
  update(name: string, id: string, body: unknown, rev?: string): Written {
    const collection = this.collection(name);
    const data = asObject(body);
    const current = this.objects.read(collection, id);
    if (!current) throw new CrestError(404, `Object ${id} not found in managed/${name}`);
    // No write, no revision: the reply names the caller's own revision, or none (no ETag).
    if (sameContent(current, data)) return { object: current, replyRev: givenRev(rev) };
    try {
      const updated = this.objects.update(collection, id, data, rev);
      return { object: updated, replyRev: updated._rev };
    } catch (err) {
      throw conflict(err);
    }
  }

  /**
   * Applies a CREST patch. A patch that leaves the object as it was writes nothing and is never
   * refused for a stale `If-Match` (observed on OpenIDM 6.1.0): one of only removes of absent fields
   * (or none) answers the caller's revision or none; any other (a replace or add of an equal value)
   * answers the caller's revision or the current one.
   */
  patch(name: string, id: string, operations: unknown, rev?: string): Written {
    const current = this.read(name, id);
    const patched = applyPatch(current, operations);
    if (sameContent(current, patched)) {
      const ops = operations as readonly unknown[];
      const modifying = ops.some((op) => !removesAbsentField(current, op));
      return { object: current, replyRev: givenRev(rev) ?? (modifying ? current._rev : undefined) };
    }
    if (rev !== undefined && rev !== '*' && rev !== current._rev) {
      throw conflict(new RevisionConflict(id, rev, current._rev));
    }
    try {
      const updated = this.objects.update(this.collection(name), id, patched, current._rev);
      return { object: updated, replyRev: updated._rev };
    } catch (err) {
      throw conflict(err);
    }
  }

  delete(name: string, id: string, rev?: string): StoredObject {
    try {
      const removed = this.objects.delete(this.collection(name), id, rev);
      if (!removed) throw new CrestError(404, `Object ${id} not found in managed/${name}`);
      return removed;
    } catch (err) {
      throw conflict(err);
    }
  }

  /** `_queryFilter` through the core engine; a bad filter gets the platform's status and message. */
  /** `query` a page of rows at a time, taking turns (`between`) like queryRowsInTurns. */
  async queryInTurns(name: string, params: QueryParams, between: () => Promise<void>): Promise<JsonObject[]> {
    const collection = this.collection(name);
    const idsOnly = params._queryId === 'query-all-ids' && typeof params._queryFilter !== 'string';
    const rows = await this.objects.selectRowsInTurns(
      collection,
      idsOnly ? () => true : this.predicate(params),
      between,
    );
    return rows.map((row) => (idsOnly ? { _id: row.id } : objectOfRow(row)));
  }

  query(name: string, params: QueryParams, limit = Infinity): JsonObject[] {
    const collection = this.collection(name);
    if (params._queryId === 'query-all-ids' && typeof params._queryFilter !== 'string') {
      return this.objects.select(collection, () => true, limit).map((o) => ({ _id: o._id }));
    }
    return this.objects.select(collection, this.predicate(params), limit);
  }

  /** The same selection kept as compact rows, for the task scanner's in-memory result list (§5.2). */
  queryRows(
    name: string,
    params: QueryParams,
    limit = Infinity,
    afterId?: string,
    render?: (object: StoredObject) => string,
  ): ObjectRow[] {
    return this.objects.selectRows(this.collection(name), this.predicate(params), limit, afterId, render);
  }

  /** queryRows a page at a time, awaiting `between` after each (ObjectTable.selectRowsInTurns). */
  queryRowsInTurns(
    name: string,
    params: QueryParams,
    between: () => Promise<void>,
    limit = Infinity,
    afterId?: string,
    render?: (object: StoredObject) => string,
  ): Promise<ObjectRow[]> {
    return this.objects.selectRowsInTurns(
      this.collection(name),
      this.predicate(params),
      between,
      limit,
      afterId,
      render,
    );
  }

  private predicate(params: QueryParams): (object: StoredObject) => boolean {
    if (typeof params._queryFilter === 'string') {
      checkFilterLength(params._queryFilter, '_queryFilter');
      const parsed = parseFilter(params._queryFilter);
      if (!parsed.ok) {
        // OpenIDM 6.1.0 words a filter its parser refuses (400) as a bad request parameter (observed).
        if (this.repository === 'orientdb' && parsed.error.httpStatus === 400)
          throw new CrestError(
            400,
            `The value '${params._queryFilter}' for parameter '_queryFilter' could not be parsed as a valid query filter`,
          );
        throw new CrestError(parsed.error.httpStatus, parsed.error.upstreamMessage);
      }
      const ast = this.repository === 'orientdb' ? asOrientDb(parsed.ast) : parsed.ast;
      return (o) => evaluateFilter(ast, o);
    }
    if (params._queryId === 'query-all-ids' || params._queryId === 'query-all') return () => true;
    if (params._queryId) {
      throw new CrestError(
        400,
        `The query id '${params._queryId}' is not supported by the emulator (use _queryFilter, or query-all-ids)`,
      );
    }
    throw new CrestError(400, '_queryExpression is not supported by the emulator; use _queryFilter');
  }
}

function asObject(body: unknown): JsonObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CrestError(400, 'The request body must be a JSON object');
  }
  return body as JsonObject;
}

/** The stored object and a new body hold the same fields and values (`_id`, `_rev` aside, any order). */
function sameContent(current: StoredObject, body: JsonObject): boolean {
  const { _id: _i, _rev: _r, ...stored } = current;
  const { _id: _bi, _rev: _br, ...next } = body;
  // Bodies are JSON by here: REST's parsed, a script's serialized by the sandbox bridge (its
  // `undefined` members already gone; test/emulator/unchanged.test.ts).
  return isDeepStrictEqual(stored, next);
}

/** The caller's revision as a reply may name it: `*` names none. */
function givenRev(rev: string | undefined): string | undefined {
  return rev === undefined || rev === '*' ? undefined : rev;
}

/** A `remove` of a field the object does not have: OpenIDM's patch reports it as no modification. */
function removesAbsentField(current: StoredObject, op: unknown): boolean {
  if (op === null || typeof op !== 'object') return false;
  const { operation, field } = op as { operation?: unknown; field?: unknown };
  return operation === 'remove' && typeof field === 'string' && getPointer(current, field) === undefined;
}

function conflict(err: unknown): unknown {
  if (err instanceof RevisionConflict) {
    return err.actual === undefined ? new CrestError(404, err.message) : new CrestError(412, err.message);
  }
  return err;
}
