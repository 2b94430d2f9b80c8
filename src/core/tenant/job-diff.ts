/**
 * What a push would change on the tenant: the fields of the local job compared with the tenant's
 * copy. Fields only the tenant has are its defaults and read-only additions (idm-api.md §2.2), so
 * they are not differences.
 */
export type JobChange =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'change'; path: string; before: unknown; after: unknown };

const TASKSCANNER = /^(org\.forgerock\.openidm\.)?taskscanner$/i;

/** Whether a tenant's job runs the task scanner: `taskscanner`, echoed expanded by the server (§2.2). */
export const isScanJob = (job: { invokeService?: unknown }): boolean =>
  typeof job.invokeService === 'string' && TASKSCANNER.test(job.invokeService);

/** A `_queryFilter` on `/openidm/scheduler/job` that selects the scan jobs (idm-api.md §3.1). */
export const SCAN_JOB_FILTER = '/invokeService co "taskscanner"';

function same(path: string, a: unknown, b: unknown): boolean {
  // idm-api.md §2.1: the server echoes invokeService expanded with the org.forgerock.openidm. prefix.
  if (path === '/invokeService' && typeof a === 'string' && typeof b === 'string') {
    return TASKSCANNER.test(a) ? TASKSCANNER.test(b) : a === b || `org.forgerock.openidm.${a}` === b;
  }
  // enabled/persisted/concurrentExecution accept "true"/"false" strings (§2.1).
  if (typeof a === 'string' && typeof b === 'boolean') return a === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function diffJob(
  local: Record<string, unknown>,
  remote: Record<string, unknown>,
  base = '',
): JobChange[] {
  const out: JobChange[] = [];
  for (const [key, value] of Object.entries(local)) {
    if (base === '' && key === '_id') continue;
    const path = `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!(key in remote)) {
      out.push({ op: 'add', path, value });
    } else if (isObject(value) && isObject(remote[key])) {
      out.push(...diffJob(value, remote[key] as Record<string, unknown>, path));
    } else if (!same(path, value, remote[key])) {
      out.push({ op: 'change', path, before: remote[key], after: value });
    }
  }
  return out;
}

/** Lines for people: `+ /path: value`, `~ /path: before -> after`, scripts as a line diff. */
export function formatJobChanges(changes: JobChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    if (c.op === 'add') {
      lines.push(`+ ${c.path}: ${short(c.value)}`);
    } else if (
      typeof c.before === 'string' &&
      typeof c.after === 'string' &&
      (c.before + c.after).includes('\n')
    ) {
      lines.push(`~ ${c.path}:`);
      for (const l of lineDiff(c.before.split('\n'), c.after.split('\n'))) lines.push(`    ${l}`);
    } else {
      lines.push(`~ ${c.path}: ${short(c.before)} -> ${short(c.after)}`);
    }
  }
  return lines;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** A line diff by longest common subsequence; scripts are small, so O(n·m) is fine. */
export function lineDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push(`+ ${b[j++]}`);
    } else {
      out.push(`- ${a[i++]}`);
    }
  }
  return out;
}

/**
 * The tenant's copy of a job with its object keys in the local file's order, recursively (keys only
 * the tenant has come after, in the tenant's order). The server returns a job's fields in an order of
 * its own (idm-api.md §2.2); a text diff of the two would show every moved key as a change.
 * Values and arrays are kept as they are: only key order differs, never content.
 */
export function inLocalKeyOrder(remote: unknown, local: unknown): unknown {
  if (Array.isArray(remote)) {
    return remote.map((v, i) => inLocalKeyOrder(v, Array.isArray(local) ? local[i] : undefined));
  }
  if (!isObject(remote)) return remote;
  const order = isObject(local) ? Object.keys(local) : [];
  const keys = [
    ...order.filter((k) => Object.hasOwn(remote, k)),
    ...Object.keys(remote).filter((k) => !order.includes(k)),
  ];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    Object.defineProperty(out, k, {
      value: inLocalKeyOrder(remote[k], isObject(local) ? local[k] : undefined),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
