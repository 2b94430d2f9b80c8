// Shared helpers and typed fixture builders for the query-filter tests.

import assert from 'node:assert/strict';
import path from 'node:path';
import {
  parseFilter,
  printCanonical,
  type FilterError,
  type FilterNode,
} from '../../../src/core/queryfilter';
import {
  queryFilterConformance,
  type ConformanceEvaluateCase,
  type ConformanceParseCase,
} from '../../fixtures/conformance';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export type ParseCase = ConformanceParseCase;
export type EvaluateCase = ConformanceEvaluateCase;

/** The conformance data (test/fixtures: the repository's own copy). */
export const conformance = queryFilterConformance;

/** The upstream exception named at the end of a conformance note, if any. */
export function upstreamOf(c: ParseCase): { kind: string; message: string } | undefined {
  const m = /upstream error: (\w+): (.*)$/s.exec(c.note);
  if (!m) return undefined;
  return { kind: m[1]!, message: m[2]!.replace("'<the filter>'", `'${c.filter}'`) };
}

export function parseOk(text: string): FilterNode {
  const r = parseFilter(text);
  if (!r.ok)
    assert.fail(`expected ${JSON.stringify(text)} to parse, got ${r.error.code}: ${r.error.message}`);
  return r.ast;
}

export function parseErr(text: string): FilterError {
  const r = parseFilter(text);
  if (r.ok) assert.fail(`expected ${JSON.stringify(text)} to be rejected, got ${printCanonical(r.ast)}`);
  return r.error;
}

export function canonical(text: string): string {
  return printCanonical(parseOk(text));
}

/** The object of OpenIDM's ConditionsTest [CT L39-47], wrapped as conditions see it. */
export function conditionsObject(overrides: Partial<Person> = {}): { object: Person; linkQualifier: string } {
  return { object: person(overrides), linkQualifier: 'test' };
}

export interface Person {
  name: string;
  age: number;
  balance: number;
  isAdmin: boolean;
  nullVal: null;
}

export function person(overrides: Partial<Person> = {}): Person {
  return { name: 'alice', age: 1234, balance: 3.14159, isAdmin: false, nullVal: null, ...overrides };
}

export interface Sunset {
  sunset: { date?: string; 'task-completed'?: string | null };
}

export function sunsetUser(date: string, completed?: string | null): Sunset {
  return { sunset: completed === undefined ? { date } : { date, 'task-completed': completed } };
}
