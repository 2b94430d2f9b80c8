/**
 * How OpenIDM 6.1.0's embedded OrientDB repository answers filters that the CREST parser accepts
 * (shared openidm/README.md item 9; every rule below was observed on the live server, see
 * test/contract/data/queryfilter-openidm.json and test/contract/repository.test.ts). The repository
 * turns a filter into OrientDB SQL, so what SQL cannot hold fails there, and a hyphen in a field name
 * reads as a subtraction: that field is never present.
 */
import type { FilterNode, Pointer } from '../core/queryfilter/ast';
import { CrestError } from './crest';

/** The operators the repository turns into SQL; any other is an "extended match". */
const SQL_OPERATORS = new Set(['eq', 'co', 'sw', 'lt', 'le', 'gt', 'ge']);

/** Field names that are OrientDB SQL keywords (observed: each answers 400; `order`, `set`, `in`… do not). */
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'is',
  'select',
  'from',
  'where',
  'like',
  'between',
  'contains',
  'matches',
  'instanceof',
  'limit',
  'skip',
  'let',
  'traverse',
  'update',
  'delete',
  'insert',
  'as',
  'by',
  'asc',
  'desc',
]);

/** A field name SQL takes: an ASCII letter or `_` first (`é…` and `1a` fail, `naïve` passes). */
const FIELD = /^[A-Za-z_][\p{L}\p{N}_\-.[\]]*$/u;

function dbError(): CrestError {
  return new CrestError(400, 'Error executing DB command.');
}

type PointerReading = 'field' | 'absent' | 'constant';

/** What a pointer is to the repository; throws the repository's 400 for one SQL cannot hold. */
function readPointer(pointer: Pointer): PointerReading {
  const segments = pointer.segments;
  if (segments.length === 0) throw dbError(); // `/`: no field at all
  // `/0`, `/12`, `/true`: a single such segment is an SQL constant, never null.
  if (segments.length === 1 && /^(\d+|true|false)$/i.test(segments[0]!)) return 'constant';
  for (const segment of segments) {
    if (!FIELD.test(segment) || KEYWORDS.has(segment.toLowerCase())) throw dbError();
  }
  return segments.some((s) => s.includes('-')) ? 'absent' : 'field';
}

const FALSE = (span: FilterNode['span']): FilterNode => ({ kind: 'literal', value: false, span });
const TRUE = (span: FilterNode['span']): FilterNode => ({ kind: 'literal', value: true, span });

/**
 * The filter the repository effectively evaluates: throws its 500 for an extended operator, its 400
 * for a pointer SQL cannot hold and an empty 500 for a string value with a line break; a test on a
 * hyphenated field becomes false (so its negation is true), a constant's presence true.
 */
export function asOrientDb(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { ...node, children: node.children.map(asOrientDb) };
    case 'not':
      return { ...node, operand: asOrientDb(node.operand) };
    case 'literal':
      return node;
    case 'presence': {
      const reading = readPointer(node.pointer);
      if (reading === 'absent') return FALSE(node.span);
      return reading === 'constant' ? TRUE(node.span) : node;
    }
    case 'comparison': {
      if (!node.operator.core || !SQL_OPERATORS.has(node.operator.name)) {
        throw new CrestError(500, 'Extended match filter not supported on this endpoint');
      }
      const reading = readPointer(node.pointer);
      if (node.value.kind === 'string' && /[\r\n]/.test(node.value.value)) {
        // Observed: a 500 with an empty body (the SQL text breaks); the emulator's body has message ''.
        throw new CrestError(500, '');
      }
      return reading === 'field' ? node : FALSE(node.span);
    }
  }
}
