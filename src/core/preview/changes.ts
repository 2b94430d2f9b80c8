/** What changed in an object between two JSON values, field by field (a dry run's `changes`). */

export interface Change {
  op: 'add' | 'remove' | 'replace';
  /** A JSON pointer to the field (`/sunset/task-started`). */
  path: string;
  before?: unknown;
  after?: unknown;
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Objects are compared member by member; arrays and other values as wholes. */
export function jsonChanges(before: unknown, after: unknown, path = ''): Change[] {
  if (isRecord(before) && isRecord(after)) {
    const out: Change[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = `${path}/${escape(key)}`;
      if (!(key in after)) out.push({ op: 'remove', path: at, before: before[key] });
      else if (!(key in before)) out.push({ op: 'add', path: at, after: after[key] });
      else out.push(...jsonChanges(before[key], after[key], at));
    }
    return out;
  }
  return same(before, after) ? [] : [{ op: 'replace', path: path || '/', before, after }];
}
