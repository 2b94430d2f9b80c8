/**
 * JSON pointers applied to JSON values (CREST patch fields, `taskState` pointers, `_fields`,
 * `_sortKeys`). On the platform these walk Java maps, where `__proto__`, `constructor` and
 * `prototype` are keys like any other; in JavaScript a plain `o[key]` would reach the object's
 * prototype instead (and `o.__proto__ = v` replaces it). So every step here reads *own* properties
 * only and writes with define semantics: such a segment is a plain key of the object it names, as on
 * the platform, and no pointer can reach or change Object.prototype (docs/security.md, "Pointers").
 */

export type Json = unknown;
export type JsonRecord = Record<string, Json>;

// The scanner sets the same few pointers on every object: parse each once.
const parsed = new Map<string, string[]>();

/** The unescaped segments of a pointer; a leading `/` is optional, as CREST accepts both. */
export function pointerTokens(pointer: string): string[] {
  const known = parsed.get(pointer);
  if (known) return known;
  const result = pointer
    .split('/')
    .filter((t, i) => i > 0 || t !== '')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parsed.size < 1000) parsed.set(pointer, result);
  return result;
}

/** An own member of an object or an element of an array; never anything inherited. */
export function member(container: Json, token: string): Json {
  if (container === null || typeof container !== 'object') return undefined;
  if (Array.isArray(container)) return /^\d+$/.test(token) ? (container[Number(token)] as Json) : undefined;
  return Object.hasOwn(container, token) ? (container as JsonRecord)[token] : undefined;
}

/** Sets an own member, even one named `__proto__` (which `o[k] = v` would turn into a prototype change). */
export function putMember(container: JsonRecord, token: string, value: Json): void {
  if (token === '__proto__') {
    Object.defineProperty(container, token, { value, writable: true, enumerable: true, configurable: true });
  } else container[token] = value;
}

/** The value a pointer names, or undefined. */
export function getPointer(root: Json, pointer: string): Json {
  let current = root;
  for (const t of pointerTokens(pointer)) {
    current = member(current, t);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The parent container of a pointer's target, creating missing intermediate objects when asked. */
export function parentOf(root: JsonRecord, path: string[], create: boolean): JsonRecord | Json[] | undefined {
  let current: Json = root;
  for (const t of path.slice(0, -1)) {
    if (current === null || typeof current !== 'object') return undefined;
    let next = member(current, t);
    if ((next === undefined || next === null) && create) {
      next = {};
      if (!Array.isArray(current)) putMember(current as JsonRecord, t, next);
      else if (/^\d+$/.test(t)) current[Number(t)] = next;
      else return undefined;
    }
    current = next;
  }
  return current !== null && typeof current === 'object' ? (current as JsonRecord | Json[]) : undefined;
}
