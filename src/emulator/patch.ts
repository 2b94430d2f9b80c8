/**
 * CREST patch operations on a JSON object: add, remove, replace, increment, copy, move
 * (the `PatchOperation` set; `transform` needs a script and is refused). Each operation names its
 * target with a JSON pointer in `field`; `from` is the source of copy and move.
 */
import { CrestError } from './crest';
import { Json, JsonRecord, getPointer, parentOf, pointerTokens, putMember } from './pointer';

export interface PatchOperation {
  operation: string;
  field: string;
  value?: Json;
  from?: string;
}

function tokens(pointer: unknown, where: string): string[] {
  if (typeof pointer !== 'string')
    throw new CrestError(400, `${where}: 'field' must be a JSON pointer string`);
  return pointerTokens(pointer);
}

export { getPointer };

/** Sets a pointer's value, creating missing intermediate objects as `{}` (idm-api.md §5.4). */
export function setPointer(root: JsonRecord, pointer: string, value: Json): void {
  const path = tokens(pointer, 'pointer');
  if (path.length === 0)
    throw new CrestError(400, 'Cannot replace the whole object with a pointer to the root');
  const parent = parentOf(root, path, true);
  if (!parent) throw new CrestError(400, `Cannot set '${pointer}': a parent on the path is not an object`);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else if (/^\d+$/.test(last)) parent[Number(last)] = value;
    else throw new CrestError(400, `Cannot set '${pointer}': '${last}' is not an index of the array`);
  } else putMember(parent, last, value);
}

function removePointer(root: JsonRecord, pointer: string): void {
  const path = tokens(pointer, 'pointer');
  const parent = parentOf(root, path, false);
  if (!parent) return;
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if (/^\d+$/.test(last)) parent.splice(Number(last), 1);
  } else if (Object.hasOwn(parent, last)) delete parent[last];
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies a CREST patch (an array of operations) to a copy of `target`. */
export function applyPatch(target: JsonRecord, patch: unknown): JsonRecord {
  if (!Array.isArray(patch))
    throw new CrestError(400, 'The patch request body must be a JSON array of patch operations');
  const doc = structuredClone(target);
  patch.forEach((raw: unknown, i) => {
    const where = `patch operation ${i}`;
    if (raw === null || typeof raw !== 'object') throw new CrestError(400, `${where} must be an object`);
    const op = raw as PatchOperation;
    const field = op.field;
    if (typeof field !== 'string')
      throw new CrestError(400, `${where}: 'field' must be a JSON pointer string`);
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
