/** Promotable configuration (`/openidm/config/<id>`) as stored: raw JSON, keyed by id (e.g. `schedule/x`). */
import { Store } from './store';

export class ConfigTable {
  constructor(private readonly store: Store) {}

  get(id: string): Record<string, unknown> | undefined {
    const row = this.store.db.prepare('SELECT data FROM config WHERE id = ?').get(id);
    return row ? { _id: id, ...(JSON.parse(row.data as string) as Record<string, unknown>) } : undefined;
  }

  all(): Record<string, unknown>[] {
    return this.store.db
      .prepare('SELECT id, data FROM config ORDER BY id')
      .all()
      .map((r) => ({ _id: r.id as string, ...(JSON.parse(r.data as string) as Record<string, unknown>) }));
  }

  put(id: string, data: Record<string, unknown>): void {
    const { _id: _ignored, ...rest } = data;
    this.store.db
      .prepare(
        'INSERT INTO config (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data',
      )
      .run(id, JSON.stringify(rest));
  }

  delete(id: string): boolean {
    return this.store.db.prepare('DELETE FROM config WHERE id = ?').run(id).changes > 0;
  }
}
