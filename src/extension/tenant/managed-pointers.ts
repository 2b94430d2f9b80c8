// Filter completion from the active tenant: the pointers of the managed object the job scans
// (`scan.object`), read from `/openidm/config/managed` (core managedSchemas) on the first completion
// inside a filter, kept per tenant until the active tenant changes, and flattened (`/sunset/date`).
// Nothing is read before someone completes a filter (DESIGN.md: zero requests while idle). Only a
// usable tenant (trusted workspace, credentials at hand) is asked; a failing request offers nothing
// rather than an error in the completion list, and is asked again next time.
import type { ManagedObjectSchema } from '../../core/tenant/config';
import type { PointerSource } from '../shell';
import type { Tenants } from './tenants';

type Properties = ManagedObjectSchema['properties'];

function flatten(props: Properties, prefix: string, depth: number, out: string[]): void {
  for (const [name, p] of Object.entries(props)) {
    const pointer = `${prefix}/${name}`;
    out.push(pointer);
    const nested = (p as { properties?: Properties }).properties;
    if (nested && depth < 3) flatten(nested, pointer, depth + 1, out);
  }
}

export class ManagedObjectPointers implements PointerSource {
  private readonly schemas = new Map<string, Promise<ManagedObjectSchema[]>>();

  constructor(private readonly tenants: Tenants) {
    // Another active tenant may be another server under the same name: read its schemas afresh.
    let active = tenants.active;
    tenants.onDidChange(() => {
      if (tenants.active === active) return;
      active = tenants.active;
      this.schemas.clear();
    });
  }

  private load(): Promise<ManagedObjectSchema[]> | undefined {
    const name = this.tenants.active;
    if (!name || !this.tenants.usable(name)) return undefined;
    let schemas = this.schemas.get(name);
    if (!schemas) {
      schemas = this.tenants.client(name).then((c) => c.managedSchemas());
      this.schemas.set(name, schemas);
      schemas.catch(() => this.schemas.delete(name)); // ask again next time
    }
    return schemas;
  }

  async pointers(job: Record<string, unknown>): Promise<string[]> {
    const scan = (job.invokeContext as { scan?: { object?: unknown } } | undefined)?.scan;
    const schemas = this.load();
    if (!schemas || typeof scan?.object !== 'string') return [];
    try {
      const schema = (await schemas).find((s) => s.resource === scan.object);
      const out: string[] = [];
      if (schema) flatten(schema.properties, '', 0, out);
      return out;
    } catch {
      return [];
    }
  }
}
