// Structural equality of filters, ignoring spans, lexemes and pointer spelling: upstream equality
// (QueryFilter.equals / JsonPointer.equals compare decoded segments; Long 1 ≠ Double 1.0, §4).

import type { FilterNode, FilterValue } from './ast';

export function sameValue(a: FilterValue, b: FilterValue): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'float' ? Object.is(a.value, b.value) : a.value === b.value;
}

export function filtersEqual(a: FilterNode, b: FilterNode): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'literal':
      return a.value === (b as typeof a).value;
    case 'and':
    case 'or': {
      const bc = (b as typeof a).children;
      return a.children.length === bc.length && a.children.every((c, i) => filtersEqual(c, bc[i]!));
    }
    case 'not':
      return filtersEqual(a.operand, (b as typeof a).operand);
    case 'presence':
      return sameSegments(a.pointer.segments, (b as typeof a).pointer.segments);
    case 'comparison': {
      const o = b as typeof a;
      return (
        sameSegments(a.pointer.segments, o.pointer.segments) &&
        a.operator.core === o.operator.core &&
        a.operator.name === o.operator.name &&
        sameValue(a.value, o.value)
      );
    }
  }
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
