/** What a route returns, and the small pieces every route shares. */
import { CrestError, CrestRequest, orderMeta } from '../crest';
import type { Flavor } from '../flavor';
import { Tenant } from '../tenant';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A JSON body written piece by piece instead of `body` (large query results). */
  stream?: Iterable<string>;
}

export interface RouteContext {
  tenant: Tenant;
  /** The public base URL, for `Location` headers. */
  baseUrl: string;
  strict: boolean;
  flavor: Flavor;
}

export type Route = (req: CrestRequest, ctx: RouteContext) => Reply | Promise<Reply>;

export function ok(body: unknown): Reply {
  return {
    status: 200,
    body:
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? orderMeta(body as Record<string, unknown>)
        : body,
  };
}

/** §1.2: create is 201 with `Location` set to the new resource's URL. */
export function created(body: Record<string, unknown>, location: string): Reply {
  return { status: 201, body: orderMeta(body), headers: { Location: location } };
}

/** §4.3: "The CREATE operations are not supported" and so on, 501. */
export function unsupported(operation: string): CrestError {
  return new CrestError(501, `The ${operation.toUpperCase()} operations are not supported`);
}

/** The action name compared case-insensitively, as CREST does (§3.1). */
export function isAction(req: CrestRequest, name: string): boolean {
  return req.action?.toLowerCase() === name.toLowerCase();
}

export function location(ctx: RouteContext, ...segments: string[]): string {
  return `${ctx.baseUrl}/${segments.map((s) => s.split('/').map(encodeURIComponent).join('/')).join('/')}`;
}
