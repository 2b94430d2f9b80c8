// Globals of an IDM task-scanner script (idm-api.md §5.6): `input` and `objectID` from the task
// scanner, plus what every IDM script gets (`openidm`, `logger`, `identityServer`). Extra keys of
// `task.script` (such as `globals`) become further variables; declare them in your own .d.ts.
// AIC runs scripts in Rhino 1.7.14: plain ES5 with some ES2015 (let/const, arrow functions).
// The completion value matters: end the script with `true;` or every object counts as failed.

/** A resource as IDM returns it. */
interface IdmResource {
  _id: string;
  _rev?: string;
  [field: string]: unknown;
}

/** One operation of a JSON patch as IDM accepts it. */
interface IdmPatchOperation {
  // `string & {}` keeps the names as completions while a plain string variable is accepted.
  operation: 'add' | 'remove' | 'replace' | 'increment' | 'copy' | 'move' | 'transform' | (string & {});
  field: string;
  value?: unknown;
  from?: string;
}

interface IdmQueryParams {
  _queryFilter?: string;
  _queryId?: string;
  _pageSize?: number;
  _pagedResultsOffset?: number;
  _pagedResultsCookie?: string;
  _sortKeys?: string;
  _totalPagedResultsPolicy?: 'NONE' | 'ESTIMATE' | 'EXACT';
  [parameter: string]: unknown;
}

interface IdmQueryResult {
  result: IdmResource[];
  resultCount: number;
  pagedResultsCookie: string | null;
  totalPagedResultsPolicy: string;
  totalPagedResults: number;
  remainingPagedResults: number;
}

/** The `openidm` object: CREST operations on any IDM resource path (e.g. "managed/alpha_user/<id>"). */
interface IdmOpenidm {
  create(
    resourceName: string,
    newResourceId: string | null,
    content: Record<string, unknown>,
    params?: Record<string, unknown> | null,
    fields?: string[],
  ): IdmResource;
  read(resourceName: string, params?: Record<string, unknown> | null, fields?: string[]): IdmResource | null;
  update(
    resourceName: string,
    rev: string | null,
    value: Record<string, unknown>,
    params?: Record<string, unknown> | null,
    fields?: string[],
  ): IdmResource;
  /** Returns the patched object: as a script's last value it counts as a failure (idm-api.md §5.6). */
  patch(
    resourceName: string,
    rev: string | null,
    value: IdmPatchOperation[],
    params?: Record<string, unknown> | null,
    fields?: string[],
  ): IdmResource;
  query(resourceName: string, params: IdmQueryParams, fields?: string[]): IdmQueryResult;
  delete(
    resourceName: string,
    rev: string | null,
    params?: Record<string, unknown> | null,
    fields?: string[],
  ): IdmResource;
  action(
    resource: string,
    actionName: string,
    content?: unknown,
    params?: Record<string, unknown> | null,
    fields?: string[],
  ): unknown;
  encrypt(value: unknown, cipher: string, alias: string): unknown;
  decrypt(value: unknown): unknown;
  isEncrypted(value: unknown): boolean;
  hash(value: unknown, algorithm?: string): unknown;
  isHashed(value: unknown): boolean;
  matches(plaintext: string, value: unknown): boolean;
}

/** SLF4J-style logger: `{}` placeholders are filled from the following arguments. */
interface IdmLogger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

interface IdmIdentityServer {
  getProperty(name: string, defaultValue?: string, substitute?: boolean): string;
  getInstallLocation(): string;
  getProjectLocation(): string;
  getWorkingLocation(): string;
}

/** CREST request helpers available to scripts. */
declare const openidm: IdmOpenidm;
declare const logger: IdmLogger;
declare const identityServer: IdmIdentityServer;
/** The scanned object, as the query returned it (with `_id` and `_rev`). */
declare const input: IdmResource;
/** `<scan.object>/<_id>`, e.g. "managed/alpha_user/0c5f…": the path to pass to openidm.patch. */
declare const objectID: string;
