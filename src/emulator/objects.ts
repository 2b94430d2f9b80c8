/**
 * Managed objects in the store. The `_id` and an integer revision live in their own columns; `_rev`
 * is exposed as a string, as IDM does. Writes are conditional on the revision when the caller gives one.
 */
import { Store } from './store';
import { SqlStatement } from './sqlite';

export type JsonObject = Record<string, unknown>;

/** A stored object as the API returns it: `_id`, `_rev`, then the fields. */
export type StoredObject = JsonObject & { _id: string; _rev: string };

export class RevisionConflict extends Error {
  constructor(
    readonly id: string,
    readonly expected: string,
    readonly actual: string | undefined,
  ) {
    super(
      actual === undefined
        ? `Object ${id} not found`
        : `Update rejected as current Object revision ${actual} is different than expected by caller (${expected}), the object has changed since retrieval.`,
    );
  }
}

/** A stored object as its row: compact until it is needed (the scanner holds many of these). */
export interface ObjectRow {
  id: string;
  rev: string;
  data: string;
  /** The object as a reply writes it, when the query rendered it while selecting (`_fields`). */
  json?: string;
}

/** The row as the API writes it, `_id` and `_rev` first, without parsing its data. */
export function jsonOfRow(row: ObjectRow): string {
  const head = `{"_id":${JSON.stringify(row.id)},"_rev":${JSON.stringify(row.rev)}`;
  return row.data === '{}' ? `${head}}` : `${head},${row.data.slice(1)}`;
}

export function objectOfRow(row: ObjectRow): StoredObject {
  // Spread, not Object.assign: a stored `__proto__` key stays a key instead of becoming the prototype.
  return { _id: row.id, _rev: row.rev, ...(JSON.parse(row.data) as JsonObject) };
}

export function withoutMeta(object: JsonObject): JsonObject {
  const { _id: _i, _rev: _r, ...rest } = object;
  return rest;
}

/** Rows read per statement, and the time spent reading before yielding (selectRowsInTurns). */
const PAGE_ROWS = 500;
const PAGE_MS = 20;

export class ObjectTable {
  private readonly sGet: SqlStatement;
  private readonly sAll: SqlStatement;
  private readonly sAfter: SqlStatement;
  private readonly sInsert: SqlStatement;
  private readonly sUpdate: SqlStatement;
  private readonly sUpdateAny: SqlStatement;
  private readonly sDelete: SqlStatement;
  private readonly sCount: SqlStatement;
  private readonly sPage: SqlStatement;

  /**
   * Claims a scan has made but not yet written (scanworkers.ts): the write is deferred so that a claim
   * and its completion can be one write, and made at once when anyone else touches the object, so
   * nobody can tell the difference. Keyed by `collection \0 id`.
   */
  private readonly holds = new Map<string, () => void>();

  constructor(readonly store: Store) {
    const db = store.db;
    this.sGet = db.prepare('SELECT rev, data FROM objects WHERE collection = ? AND id = ?');
    this.sAll = db.prepare('SELECT id, rev, data FROM objects WHERE collection = ? ORDER BY id');
    this.sAfter = db.prepare('SELECT id, rev, data FROM objects WHERE collection = ? AND id > ? ORDER BY id');
    this.sInsert = db.prepare('INSERT INTO objects (collection, id, rev, data) VALUES (?, ?, 1, ?)');
    this.sUpdate = db.prepare(
      'UPDATE objects SET rev = rev + ?, data = ? WHERE collection = ? AND id = ? AND rev = ?',
    );
    this.sUpdateAny = db.prepare(
      'UPDATE objects SET rev = rev + 1, data = ? WHERE collection = ? AND id = ?',
    );
    this.sDelete = db.prepare('DELETE FROM objects WHERE collection = ? AND id = ?');
    this.sCount = db.prepare('SELECT count(*) AS n FROM objects WHERE collection = ?');
    this.sPage = db.prepare(
      'SELECT id, rev, data FROM objects WHERE collection = ? AND id > ? ORDER BY id LIMIT ?',
    );
  }

  /** Holds a claim on an object: `write` writes it, before any other access to that object. */
  hold(collection: string, id: string, write: () => void): void {
    this.holds.set(`${collection}\u0000${id}`, write);
  }

  /** Forgets a held claim without writing it (the scan writes the object itself, or gives it up). */
  release(collection: string, id: string): void {
    this.holds.delete(`${collection}\u0000${id}`);
  }

  /** Writes the claim held on one object, if any, before it is read or written. */
  private settle(collection: string, id: string): void {
    if (this.holds.size === 0) return;
    const key = `${collection}\u0000${id}`;
    const write = this.holds.get(key);
    if (!write) return;
    this.holds.delete(key);
    write();
  }

  /** Writes every claim held in a collection, before it is queried. */
  private settleCollection(collection: string): void {
    if (this.holds.size === 0) return;
    const prefix = `${collection}\u0000`;
    for (const [key, write] of [...this.holds]) {
      if (!key.startsWith(prefix)) continue;
      this.holds.delete(key);
      write();
    }
  }

  read(collection: string, id: string): StoredObject | undefined {
    this.settle(collection, id);
    const row = this.sGet.get(collection, id);
    if (!row) return undefined;
    return { _id: id, _rev: String(row.rev), ...(JSON.parse(row.data as string) as JsonObject) };
  }

  revision(collection: string, id: string): string | undefined {
    this.settle(collection, id);
    const row = this.sGet.get(collection, id);
    return row ? String(row.rev) : undefined;
  }

  /** Every object of a collection, parsed, in `_id` order. */
  all(collection: string): StoredObject[] {
    return this.select(collection, () => true);
  }

  /** The objects `keep` accepts, in `_id` order, reading one row at a time; at most `limit`. */
  select(collection: string, keep: (object: StoredObject) => boolean, limit = Infinity): StoredObject[] {
    const out: StoredObject[] = [];
    this.settleCollection(collection);
    for (const row of this.sAll.iterate(collection)) {
      const object = objectOfRow({ id: row.id as string, rev: String(row.rev), data: row.data as string });
      if (keep(object)) out.push(object);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Like select, but keeps the accepted objects as rows: a third of the memory of parsed objects.
   * With `afterId`, starts after that `_id` (keyset paging).
   */
  selectRows(
    collection: string,
    keep: (object: StoredObject) => boolean,
    limit = Infinity,
    afterId?: string,
    render?: (object: StoredObject) => string,
  ): ObjectRow[] {
    const out: ObjectRow[] = [];
    this.settleCollection(collection);
    const rows =
      afterId === undefined ? this.sAll.iterate(collection) : this.sAfter.iterate(collection, afterId);
    for (const raw of rows) {
      const row: ObjectRow = { id: raw.id as string, rev: String(raw.rev), data: raw.data as string };
      const object = objectOfRow(row);
      if (!keep(object)) continue;
      // Rendered now, from the object already parsed for the filter; the data is not needed again.
      if (render) {
        row.json = render(object);
        row.data = '';
      }
      out.push(row);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Like selectRows, but a page of rows at a time with `between()` awaited after each page, so a
   * query over a large collection lets other requests and runs through (issue 12, "Also"). Pages
   * follow `_id` order; a write between two pages is seen if it lands after the page boundary.
   */
  async selectRowsInTurns(
    collection: string,
    keep: (object: StoredObject) => boolean,
    between: () => Promise<void>,
    limit = Infinity,
    afterId = '',
    render?: (object: StoredObject) => string,
  ): Promise<ObjectRow[]> {
    const out: ObjectRow[] = [];
    let after = afterId;
    for (;;) {
      const until = Date.now() + PAGE_MS;
      while (Date.now() < until) {
        this.settleCollection(collection);
        const page = this.sPage.all(collection, after, PAGE_ROWS);
        for (const raw of page) {
          const row: ObjectRow = { id: raw.id as string, rev: String(raw.rev), data: raw.data as string };
          const object = objectOfRow(row);
          if (!keep(object)) continue;
          if (render) {
            row.json = render(object);
            row.data = '';
          }
          out.push(row);
          if (out.length >= limit) return out;
        }
        if (page.length < PAGE_ROWS) return out;
        after = page[page.length - 1]!.id as string;
      }
      await between();
    }
  }

  count(collection: string): number {
    return Number(this.sCount.get(collection)?.n ?? 0);
  }

  /** Inserts; returns undefined when the id is taken. */
  create(collection: string, id: string, data: JsonObject): StoredObject | undefined {
    const body = withoutMeta(data);
    try {
      this.sInsert.run(collection, id, JSON.stringify(body));
    } catch (err) {
      if (/UNIQUE|PRIMARY KEY/i.test(String(err))) return undefined;
      throw err;
    }
    return { _id: id, _rev: '1', ...body };
  }

  /**
   * Replaces the whole object. With `expectedRev` the write happens only at that revision
   * (RevisionConflict otherwise). `steps` lets the scanner record two logical updates in one write.
   */
  update(collection: string, id: string, data: JsonObject, expectedRev?: string, steps = 1): StoredObject {
    this.settle(collection, id);
    const body = withoutMeta(data);
    const text = JSON.stringify(body);
    if (expectedRev === undefined || expectedRev === '*') {
      if (this.sUpdateAny.run(text, collection, id).changes === 0) {
        throw new RevisionConflict(id, expectedRev ?? '*', undefined);
      }
      return { _id: id, _rev: this.revision(collection, id)!, ...body };
    }
    const rev = Number(expectedRev);
    if (!Number.isInteger(rev) || this.sUpdate.run(steps, text, collection, id, rev).changes === 0) {
      throw new RevisionConflict(id, expectedRev, this.revision(collection, id));
    }
    return { _id: id, _rev: String(rev + steps), ...body };
  }

  /** Deletes; returns the object as it was, or undefined when missing. Throws on a revision mismatch. */
  delete(collection: string, id: string, expectedRev?: string): StoredObject | undefined {
    this.settle(collection, id);
    const before = this.read(collection, id);
    if (!before) return undefined;
    if (expectedRev !== undefined && expectedRev !== '*' && expectedRev !== before._rev) {
      throw new RevisionConflict(id, expectedRev, before._rev);
    }
    this.sDelete.run(collection, id);
    return before;
  }
}
