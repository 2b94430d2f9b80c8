/**
 * CREST over HTTP (idm-api.md §1): errors, the operation a request maps to, API versions, and the
 * query envelope with paging, `_fields` and `_sortKeys`.
 */
import type { IncomingMessage } from 'node:http';
import { getPointer, member, pointerTokens, putMember } from './pointer';

// idm-api.md §1.3: the standard reason phrase for each code.
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** A CREST error: the HTTP status equals `code`; `message` defaults to the reason (§1.3). */
export class CrestError extends Error {
  constructor(
    readonly code: number,
    message?: string,
    readonly detail?: unknown,
  ) {
    super(message ?? REASONS[code] ?? 'Error');
  }

  get reason(): string {
    return REASONS[this.code] ?? 'Error';
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { code: this.code, reason: this.reason, message: this.message };
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }
}

export type Operation = 'create' | 'read' | 'update' | 'delete' | 'patch' | 'action' | 'query';

export interface CrestRequest {
  method: string;
  /** Path segments after the route's mount point, URL-decoded. */
  path: string[];
  params: URLSearchParams;
  operation: Operation;
  /** The action name as sent, when operation is 'action'. */
  action?: string;
  /** PUT with no precondition: create, falling back to update if the resource exists (§1.1). */
  upsert: boolean;
  ifMatch?: string;
  body: unknown;
  resourceVersion?: string;
  headers: IncomingMessage['headers'];
}

/** idm-api.md §1.1: which CREST operation an HTTP request is. */
export function operationOf(
  method: string,
  params: URLSearchParams,
  headers: IncomingMessage['headers'],
): Pick<CrestRequest, 'operation' | 'action' | 'upsert' | 'ifMatch'> {
  const action = params.get('_action') ?? undefined;
  const ifMatch = header(headers, 'if-match');
  const ifNoneMatch = header(headers, 'if-none-match');
  switch (method) {
    case 'GET':
    case 'HEAD':
      // CREST reads and queries take no `_action` (observed on OpenIDM 6.1.0: an execute sent with GET).
      if (action !== undefined) throw new CrestError(400, "Unrecognized request parameter '_action'");
      return params.has('_queryFilter') || params.has('_queryId') || params.has('_queryExpression')
        ? { operation: 'query', upsert: false }
        : { operation: 'read', upsert: false };
    case 'POST':
      if (action === undefined || action.toLowerCase() === 'create')
        return { operation: 'create', upsert: false };
      // Kept for the routes that refuse it (an action is not conditional on a revision).
      return { operation: 'action', action, upsert: false, ifMatch };
    case 'PUT':
      if (ifNoneMatch !== undefined) {
        if (ifNoneMatch !== '*') {
          throw new CrestError(400, `"${ifNoneMatch}" is not a supported value for If-None-Match on PUT`);
        }
        return { operation: 'create', upsert: false };
      }
      if (ifMatch !== undefined) return { operation: 'update', upsert: false, ifMatch };
      return { operation: 'create', upsert: true };
    case 'PATCH':
      return { operation: 'patch', upsert: false, ifMatch };
    case 'DELETE':
      return { operation: 'delete', upsert: false, ifMatch };
    default:
      throw new CrestError(405, `Method ${method} is not supported`);
  }
}

export function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  // Node's header map inherits from Object.prototype: read own entries only.
  const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * idm-api.md §1.1, §6.1: `Accept-API-Version: protocol=2.1,resource=2.0`. The protocol defaults to
 * 2.1 and a major version above 2 is refused; the resource version is returned for the route to check.
 */
export function parseApiVersion(value: string | undefined): { protocol: string; resource?: string } {
  const result: { protocol: string; resource?: string } = { protocol: '2.1' };
  if (!value) return result;
  for (const part of value.split(',')) {
    const [rawKey, rawValue] = part.split('=');
    const key = rawKey?.trim().toLowerCase();
    const v = rawValue?.trim() ?? '';
    if (!/^\d+(\.\d+)?$/.test(v)) {
      throw new CrestError(
        400,
        `Accept-API-Version: '${part.trim()}' is not of the form protocol=<n.n> or resource=<n.n>`,
      );
    }
    if (key === 'protocol') {
      if (Number(v.split('.')[0]) > 2) throw new CrestError(400, `Unsupported major version: ${v}`);
      result.protocol = v;
    } else if (key === 'resource') {
      result.resource = v;
    } else {
      throw new CrestError(400, `Accept-API-Version: unknown part '${key}' (expected protocol or resource)`);
    }
  }
  return result;
}

/** Checks a requested resource version against the ones a route serves; returns the one used. */
export function resolveResourceVersion(requested: string | undefined, supported: string[]): string {
  if (requested === undefined) return supported[supported.length - 1]!;
  const [major, minor = '0'] = requested.split('.');
  const match = supported.find((s) => s.split('.')[0] === major && Number(s.split('.')[1]) >= Number(minor));
  if (!match) {
    throw new CrestError(
      400,
      `Unsupported resource version ${requested} for this endpoint; supported: ${supported.join(', ')}`,
    );
  }
  return match;
}

/** `_id` first, then `_rev`, then the rest (§1.2, protocol 2). */
export function orderMeta<T extends Record<string, unknown>>(resource: T): T {
  if (!('_id' in resource)) return resource;
  // Already in order (objects read from the store are): no copy, which matters for large queries.
  let position = 0;
  for (const key in resource) {
    if (position === 0 && key !== '_id') break;
    if (position === 1) {
      if (key === '_rev' || !('_rev' in resource)) return resource;
      break;
    }
    position++;
  }
  if (position === 1 && !('_rev' in resource)) return resource;
  const { _id, _rev, ...rest } = resource;
  return (_rev === undefined ? { _id, ...rest } : { _id, _rev, ...rest }) as unknown as T;
}

/** `_fields=a,b/c`: keeps `_id`, `_rev` and the listed fields (nested pointers keep their path). */
export function pickFields(
  resource: Record<string, unknown>,
  fields: string | null,
): Record<string, unknown> {
  if (!fields) return resource;
  return fieldPicker(fields)(resource);
}

/** pickFields with the list read once, for queries that pick from many objects. */
export function fieldPicker(fields: string): (resource: Record<string, unknown>) => Record<string, unknown> {
  const list = fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (list.includes('*')) return (resource) => resource;
  const paths = list.map((field) => ({ field, tokens: pointerTokens(field).filter(Boolean) }));
  return (resource) => {
    const out: Record<string, unknown> = {};
    if ('_id' in resource) out._id = resource._id;
    if ('_rev' in resource) out._rev = resource._rev;
    for (const { field, tokens } of paths) {
      const value = getPointer(resource, field);
      if (value === undefined || tokens.length === 0) continue;
      // Own members only, defined rather than assigned: a field named __proto__ is a plain key (pointer.ts).
      let target = out;
      for (let i = 0; i < tokens.length - 1; i++) {
        const t = tokens[i]!;
        let next = member(target, t);
        if (next === null || typeof next !== 'object' || Array.isArray(next)) {
          next = {};
          putMember(target, t, next);
        }
        target = next as Record<string, unknown>;
      }
      putMember(target, tokens[tokens.length - 1]!, value);
    }
    return out;
  };
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** `_sortKeys=-a,b`: stable sort by each key, `-` for descending. */
export function sortByKeys<T extends Record<string, unknown>>(
  items: T[],
  sortKeys: string | null,
  thenById: boolean,
): T[] {
  const keys = (sortKeys ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (thenById) keys.push('_id');
  if (keys.length === 0) return items;
  const specs = keys.map((k) => {
    const descending = k.startsWith('-');
    const name = k.replace(/^[-+]/, '');
    return { pointer: name.startsWith('/') ? name : `/${name}`, sign: descending ? -1 : 1 };
  });
  return [...items].sort((x, y) => {
    for (const s of specs) {
      const c = compareValues(getPointer(x, s.pointer), getPointer(y, s.pointer));
      if (c !== 0) return c * s.sign;
    }
    return 0;
  });
}

function integerParam(params: URLSearchParams, name: string, min: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw))
    throw new CrestError(400, `The parameter '${name}' must be an integer, got '${raw}'`);
  const n = Number(raw);
  if (n < min) throw new CrestError(400, `The parameter '${name}' must be ${min} or more, got '${raw}'`);
  return n;
}

/**
 * The query envelope (§1.2) over an in-memory result list, with `_pageSize`, `_pagedResultsOffset`,
 * `_pagedResultsCookie` (the next offset as a string, null on the last page, §3.1), `_sortKeys`,
 * `_fields` and `_totalPagedResultsPolicy` (NONE gives -1 as CREST does).
 */
export function queryEnvelope(
  items: Record<string, unknown>[],
  params: URLSearchParams,
  options: { sortById?: boolean } = {},
): Record<string, unknown> {
  const sorted = sortByKeys(items, params.get('_sortKeys'), options.sortById ?? false);
  const { page, meta } = pageOf(sorted, params);
  const fields = params.get('_fields');
  return { result: page.map((r) => orderMeta(pickFields(r, fields))), ...meta };
}

/** `_pagedResultsOffset` checked (a whole number, 0 or more; 400 otherwise), or 0 when absent. */
export function pagedResultsOffset(params: URLSearchParams): number {
  return integerParam(params, '_pagedResultsOffset', 0) ?? 0;
}

/** Paging over a list already in order: the page and the envelope's other members (§1.2, §3.1). */
export function pageOf<T>(all: T[], params: URLSearchParams): { page: T[]; meta: Record<string, unknown> } {
  // A negative page size means no paging, as in CREST; a negative offset has no meaning (issue 12).
  const pageSize = integerParam(params, '_pageSize', -Infinity) ?? 0;
  const cookie = params.get('_pagedResultsCookie');
  let offset = integerParam(params, '_pagedResultsOffset', 0) ?? 0;
  if (cookie) {
    if (!/^\d+$/.test(cookie))
      throw new CrestError(400, `The paged results cookie '${cookie}' is not valid for this query`);
    offset = Number(cookie);
  }
  const policy = (params.get('_totalPagedResultsPolicy') ?? 'NONE').toUpperCase();
  if (!['NONE', 'EXACT', 'ESTIMATE'].includes(policy)) {
    throw new CrestError(
      400,
      `The parameter '_totalPagedResultsPolicy' must be NONE, EXACT or ESTIMATE, got '${policy}'`,
    );
  }
  const page = pageSize > 0 ? all.slice(offset, offset + pageSize) : all.slice(offset);
  const next = pageSize > 0 && offset + pageSize < all.length ? String(offset + pageSize) : null;
  const counted = policy !== 'NONE';
  return {
    page,
    meta: {
      resultCount: page.length,
      pagedResultsCookie: next,
      totalPagedResultsPolicy: policy,
      totalPagedResults: counted ? all.length : -1,
      remainingPagedResults: counted && pageSize > 0 ? Math.max(0, all.length - offset - page.length) : -1,
    },
  };
}
