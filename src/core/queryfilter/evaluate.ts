// In-memory evaluation with OpenIDM's JsonValueFilterVisitor semantics (queryfilter.md §8.1):
// case-insensitive, type-strict, any-element over arrays, `pr` false for missing and for null,
// extended operators false.

import type { FilterNode, FilterValue, Pointer } from './ast';
import { compareIgnoreCase, lowerEnglish } from './java-text';

const hasOwn = Object.prototype.hasOwnProperty;
const allDigits = /^[0-9]+$/;

/**
 * The values a pointer selects (getValues, [JVFV L176-185]): [] when the path is undefined; the
 * elements when it ends on an array (no recursion into nested arrays); otherwise [value] (may be null).
 */
export function resolvePointer(
  object: unknown,
  pointer: Pointer | { segments: readonly string[] },
): unknown[] {
  const value = resolveValue(object, pointer);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * JsonValue.get(pointer) [JV L874-907]: the value itself (an array stays one value), or undefined
 * when the path is not defined: a missing key, an index out of range, a non-digit segment on an
 * array, or a step through null or a scalar.
 */
export function resolveValue(object: unknown, pointer: Pointer | { segments: readonly string[] }): unknown {
  let current: unknown = object;
  for (const seg of pointer.segments) {
    if (Array.isArray(current)) {
      // JsonValue.toIndex: all ASCII digits (leading zeros allowed), accumulated in a Java int, so an
      // index of 2^32 or more wraps (4294967296 is 0) and one that wraps negative addresses nothing.
      if (!allDigits.test(seg)) return undefined;
      let index = 0;
      for (let i = 0; i < seg.length; i++) index = (Math.imul(index, 10) + seg.charCodeAt(i) - 48) | 0;
      if (index < 0 || index >= current.length) return undefined;
      current = current[index];
    } else if (current !== null && typeof current === 'object') {
      // Own keys only (issue 12): `__proto__`, `constructor` or `toString` are keys like any other,
      // never the object's prototype or its methods.
      if (!hasOwn.call(current, seg)) return undefined;
      current = (current as Record<string, unknown>)[seg];
    } else {
      return undefined;
    }
  }
  return current;
}

type Kind = 'string' | 'number' | 'boolean' | null;

function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return null;
  }
}

function assertionKind(v: FilterValue): Kind {
  return v.kind === 'string' ? 'string' : v.kind === 'boolean' ? 'boolean' : 'number';
}

/** Double.compare: -0.0 < 0.0, NaN above everything and equal to itself. */
function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) {
    if (a !== 0) return 0;
    const na = Object.is(a, -0);
    const nb = Object.is(b, -0);
    return na === nb ? 0 : na ? -1 : 1;
  }
  const nanA = Number.isNaN(a);
  const nanB = Number.isNaN(b);
  return nanA === nanB ? 0 : nanA ? 1 : -1;
}

const positiveZero = (n: number) => (n === 0 ? 0 : n);

/** JsonUtil.compareJsonObjectValues for two compatible values [JU L85-105]. */
function compare(element: unknown, v: FilterValue): number {
  switch (v.kind) {
    case 'string':
      return compareIgnoreCase(element as string, v.value);
    case 'boolean':
      return (element as boolean) === v.value ? 0 : (element as boolean) ? 1 : -1;
    default:
      // `-0` in JSON is Java's integer 0 (JsonUtil's reader), which compares equal to 0.0: JSON.parse
      // gives -0, so it is read back as 0 here (docs/queryfilter.md, evaluation input).
      return compareDoubles(positiveZero(Number(element as number | bigint)), Number(v.value));
  }
}

function anyMatch(values: unknown[], v: FilterValue, test: (element: unknown) => boolean): boolean {
  const want = assertionKind(v);
  for (const e of values) {
    if (kindOf(e) === want && test(e)) return true;
  }
  return false;
}

export function evaluateFilter(ast: FilterNode, object: unknown): boolean {
  switch (ast.kind) {
    case 'literal':
      return ast.value;
    case 'and':
      for (const c of ast.children) if (!evaluateFilter(c, object)) return false;
      return true;
    case 'or':
      for (const c of ast.children) if (evaluateFilter(c, object)) return true;
      return false;
    case 'not':
      return !evaluateFilter(ast.operand, object);
    case 'presence': {
      // [JVFV L148-152]: the value itself is defined and not JSON null; "", [] and {} are present (§8.1).
      const value = resolveValue(object, ast.pointer);
      return value !== undefined && value !== null;
    }
    case 'comparison':
      return compareNode(
        ast.operator.core ? ast.operator.name : '',
        resolvePointer(object, ast.pointer),
        ast.value,
      );
  }
}

function compareNode(op: string, values: unknown[], v: FilterValue): boolean {
  switch (op) {
    case 'eq':
      return anyMatch(values, v, (e) => compare(e, v) === 0);
    case 'lt':
      return anyMatch(values, v, (e) => compare(e, v) < 0);
    case 'le':
      return anyMatch(values, v, (e) => compare(e, v) <= 0);
    case 'gt':
      return anyMatch(values, v, (e) => compare(e, v) > 0);
    case 'ge':
      return anyMatch(values, v, (e) => compare(e, v) >= 0);
    case 'co':
    case 'sw': {
      // [JVFV L49-69, L154-174]: substring/prefix of the English lower case for strings; equality otherwise.
      if (v.kind !== 'string') return anyMatch(values, v, (e) => compare(e, v) === 0);
      const needle = lowerEnglish(v.value);
      return anyMatch(values, v, (e) =>
        op === 'co'
          ? lowerEnglish(e as string).includes(needle)
          : lowerEnglish(e as string).startsWith(needle),
      );
    }
    default:
      // [JVFV L82-87]: extended matches are unsupported in memory and evaluate to false.
      return false;
  }
}
