/**
 * `openidm.*` and `logger.*` for scripts: calls go to the emulator's store through the same
 * managed-object service as REST, so a script sees exactly what the API shows.
 */
import { MAX_JSON_DEPTH, valueDepthOver } from './body';
import { CrestError, pickFields, queryEnvelope } from './crest';
import { ManagedObjects } from './managed';
import { LogLevel, ScriptHost } from './sandbox';

export class ManagedScriptHost implements ScriptHost {
  /** Set when the script wrote anything, so the scanner knows to re-read its object (§5.4). */
  wrote = false;
  /** Runs before any `openidm.*` call: the scanner writes a deferred claim here (scanner.ts). */
  beforeCall: (() => void) | undefined;
  /** Told of every call and how it went: `ok`, `not found` (a read of a missing object) or the error. */
  onCall: ((operation: string, resource: string, outcome: string) => void) | undefined;

  constructor(
    private readonly managed: ManagedObjects,
    private readonly onLog: (level: LogLevel, message: string) => void,
  ) {}

  log(level: LogLevel, message: string): void {
    this.onLog(level, message);
  }

  call(operation: string, args: unknown[]): unknown {
    try {
      // The same nesting limit as for request bodies (body.ts): deeper values would overflow later.
      if (valueDepthOver(args, MAX_JSON_DEPTH + 1))
        throw new CrestError(
          400,
          `openidm.${operation}: an argument nests more than ${MAX_JSON_DEPTH} levels deep`,
        );
      this.beforeCall?.();
      const result = this.dispatch(operation, args);
      this.onCall?.(operation, String(args[0]), operation === 'read' && result === null ? 'not found' : 'ok');
      return result;
    } catch (err) {
      this.onCall?.(operation, String(args[0]), err instanceof Error ? err.message : String(err));
      if (err instanceof CrestError) {
        const e = new Error(err.message) as Error & { code: number };
        e.code = err.code;
        throw e;
      }
      throw err;
    }
  }

  private target(resource: unknown): { name: string; id: string } {
    const { name, id } = this.managed.resolve(String(resource));
    if (!id) throw new CrestError(400, `'${String(resource)}' names a collection; an object id is needed`);
    return { name, id };
  }

  private rev(value: unknown): string | undefined {
    return value === null || value === undefined ? undefined : String(value);
  }

  private dispatch(operation: string, args: unknown[]): unknown {
    switch (operation) {
      case 'read': {
        const { name, id } = this.target(args[0]);
        try {
          const found = this.managed.read(name, id);
          return typeof args[2] === 'object' && Array.isArray(args[2])
            ? pickFields(found, args[2].join(','))
            : found;
        } catch (err) {
          // openidm.read gives null for a missing object rather than throwing.
          if (err instanceof CrestError && err.code === 404) return null;
          throw err;
        }
      }
      case 'create': {
        const { name, id } = this.managed.resolve(String(args[0]));
        this.wrote = true;
        return this.managed.create(name, (args[1] as string | null) ?? id ?? undefined, args[2]);
      }
      case 'update': {
        const { name, id } = this.target(args[0]);
        this.wrote = true;
        return this.managed.update(name, id, args[2], this.rev(args[1])).object;
      }
      case 'patch': {
        const { name, id } = this.target(args[0]);
        this.wrote = true;
        return this.managed.patch(name, id, args[2], this.rev(args[1])).object;
      }
      case 'delete': {
        const { name, id } = this.target(args[0]);
        this.wrote = true;
        return this.managed.delete(name, id, this.rev(args[1]));
      }
      case 'query': {
        const { name } = this.managed.resolve(String(args[0]));
        const params = (args[1] ?? {}) as Record<string, unknown>;
        const items = this.managed.query(name, {
          _queryFilter: typeof params._queryFilter === 'string' ? params._queryFilter : undefined,
          _queryId: typeof params._queryId === 'string' ? params._queryId : undefined,
        });
        const search = new URLSearchParams();
        for (const key of ['_pageSize', '_pagedResultsCookie', '_sortKeys', '_totalPagedResultsPolicy']) {
          if (params[key] !== undefined) search.set(key, String(params[key]));
        }
        if (Array.isArray(args[2])) search.set('_fields', args[2].join(','));
        return queryEnvelope(items, search);
      }
      default:
        throw new CrestError(
          501,
          `openidm.${operation} is not available in the emulator (read, create, update, patch, delete, query are)`,
        );
    }
  }
}
