/**
 * CREST patch operations on a JSON object: add, remove, replace, increment, copy, move
 * (the `PatchOperation` set; `transform` needs a script and is refused). Each operation names its
 * target with a JSON pointer in `field`; `from` is the source of copy and move.
 */
import { CrestError } from './crest';

type Json = unknown;
type Container = Record<string, Json> | Json[];

export interface PatchOperation {
  operation: string;
  field: string;
  value?: Json;
  from?: string;
}

// The scanner sets the same few pointers on every object: parse each once.
const parsed = new Map<string, string[]>();

function tokens(pointer: string, where: string): string[] {
  if (typeof pointer !== 'string')
    throw new CrestError(400, `${where}: 'field' must be a JSON pointer string`);
  const known = parsed.get(pointer);
  if (known) return known;
  const result = pointer
    .split('/')
    .filter((t, i) => i > 0 || t !== '')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parsed.size < 1000) parsed.set(pointer, result);
  return result;
}

/** The parent container of a pointer, creating intermediate objects when asked. */
function parentOf(root: Record<string, Json>, path: string[], create: boolean): Container | undefined {
  let current: Json = root;
  for (const t of path.slice(0, -1)) {
    if (current === null || typeof current !== 'object') return undefined;
    const c = current as Record<string, Json>;
    if ((c[t] === undefined || c[t] === null) && create) c[t] = {};
    current = c[t];
  }
  return current !== null && typeof current === 'object' ? (current as Container) : undefined;
}

export function getPointer(root: Json, pointer: string): Json {
  let current = root;
  for (const t of tokens(pointer, 'pointer')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[Number(t)] : (current as Record<string, Json>)[t];
  }
  return current;
}

/** Sets a pointer's value, creating missing intermediate objects as `{}` (idm-api.md §5.4). */
export function setPointer(root: Record<string, Json>, pointer: string, value: Json): void {
  const path = tokens(pointer, 'pointer');
  if (path.length === 0)
    throw new CrestError(400, 'Cannot replace the whole object with a pointer to the root');
  const parent = parentOf(root, path, true);
  if (!parent) throw new CrestError(400, `Cannot set '${pointer}': a parent on the path is not an object`);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else parent[Number(last)] = value;
  } else parent[last] = value;
}

function removePointer(root: Record<string, Json>, pointer: string): void {
  const path = tokens(pointer, 'pointer');
  const parent = parentOf(root, path, false);
  if (!parent) return;
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies a CREST patch (an array of operations) to a copy of `target`. */
export function applyPatch(target: Record<string, Json>, patch: unknown): Record<string, Json> {
  if (!Array.isArray(patch))
    throw new CrestError(400, 'The patch request body must be a JSON array of patch operations');
  const doc = structuredClone(target);
  patch.forEach((raw: unknown, i) => {
    const where = `patch operation ${i}`;
    if (raw === null || typeof raw !== 'object') throw new CrestError(400, `${where} must be an object`);
    const op = raw as PatchOperation;
    const field = op.field;
    switch (op.operation) {
      case 'add': {
        const existing = getPointer(doc, field);
        // A multi-valued field gains the value(s); anything else is set.
        if (Array.isArray(existing) && !field.endsWith('/-')) {
          for (const v of Array.isArray(op.value) ? op.value : [op.value]) existing.push(v);
        } else setPointer(doc, field, op.value);
        break;
      }
      case 'remove': {
        const existing = getPointer(doc, field);
        if (op.value !== undefined && Array.isArray(existing)) {
          const drop = Array.isArray(op.value) ? op.value : [op.value];
          setPointer(
            doc,
            field,
            existing.filter((e) => !drop.some((d) => sameJson(d, e))),
          );
        } else if (op.value === undefined || sameJson(existing, op.value)) removePointer(doc, field);
        break;
      }
      case 'replace':
        if (op.value === undefined || op.value === null) removePointer(doc, field);
        else setPointer(doc, field, op.value);
        break;
      case 'increment': {
        const existing = getPointer(doc, field);
        if (typeof existing !== 'number' || typeof op.value !== 'number') {
          throw new CrestError(400, `${where}: increment needs a number at '${field}' and a number value`);
        }
        setPointer(doc, field, existing + op.value);
        break;
      }
      case 'copy':
      case 'move': {
        if (typeof op.from !== 'string') throw new CrestError(400, `${where}: ${op.operation} needs 'from'`);
        const value = getPointer(doc, op.from);
        if (op.operation === 'move') removePointer(doc, op.from);
        setPointer(doc, field, structuredClone(value));
        break;
      }
      default:
        throw new CrestError(
          400,
          `${where}: unsupported operation '${String(op.operation)}' (add, remove, replace, increment, copy, move)`,
        );
    }
  });
  return doc;
}
