// Failures the command registry reports on purpose, without loading the part that raised them (the
// registry lives in the small entry bundle): recognised by name.

/** A tenant command ran while no tenant is active (issue 16 item 13). */
export class NoTenantError extends Error {
  constructor() {
    super('no tenant is active. Add one, or start the local tenant, then run the command again.');
    this.name = 'NoTenantError';
  }
}

/**
 * JavaScript's own errors (a property of undefined, a bad regular expression, a stack overflow) mean a
 * defect in the extension: logged as errors. Every other failure carries a message written for the
 * user (the tenant layer's, which name the problem and the place; a missing tenant; a bad answer to a
 * prompt): logged as a warning, since the user can act on it.
 */
const DEFECTS = new Set([
  'TypeError',
  'ReferenceError',
  'RangeError',
  'SyntaxError',
  'EvalError',
  'URIError',
]);

export function isExpected(e: unknown): boolean {
  return !(e instanceof Error) || !DEFECTS.has(e.name);
}

/**
 * Signing in to or reaching a tenant failed where the command says which tenant itself (Test
 * Connection, the end of Add and Edit Tenant): the notification offers Retry, Edit Tenant (for a saved
 * profile) and Show Output (failures.ts, issue 16 item 3). `retry` is what Retry runs when it is not
 * the failed command again. The message is the tenant layer's, already free of secrets.
 */
export class ConnectionFailedError extends Error {
  constructor(
    readonly tenant: string,
    readonly editable: boolean,
    cause: unknown,
    prefix = '',
    readonly retry?: { command: string; args: unknown[] },
  ) {
    super(`${prefix}${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ConnectionFailedError';
    if (cause instanceof Error && cause.stack) this.stack = `${this.name}: ${this.message}\n${cause.stack}`;
  }
}
