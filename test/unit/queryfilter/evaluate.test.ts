// queryfilter.md §8.1: OpenIDM JsonValueFilterVisitor semantics, row by row.

import assert from 'node:assert/strict';
import { evaluateFilter, parseFilter, resolvePointer } from '../../../src/core/queryfilter';
import { conditionsObject, parseOk, person, sunsetUser } from './support';

function holds(filter: string, object: unknown): boolean {
  return evaluateFilter(parseOk(filter), object);
}

function table(object: unknown, rows: [filter: string, expected: boolean][]): void {
  for (const [filter, expected] of rows) {
    it(`${filter} is ${expected}`, () => assert.equal(holds(filter, object), expected));
  }
}

interface Catalogue {
  roles: string[];
  tags: string[];
  n: number[];
  nested: unknown[];
  matrix: number[][];
  empty: string;
  obj: Record<string, unknown>;
  nul: null;
  big: number;
  words: string[];
}

function catalogue(overrides: Partial<Catalogue> = {}): Catalogue {
  return {
    roles: ['Admin', 'user'],
    tags: [],
    n: [1, 5, 10],
    nested: [{ x: 1 }],
    matrix: [[1], [2]],
    empty: '',
    obj: { k: 'v', 'a/b': 1, 'sp ace': 2, '': 3 },
    nul: null,
    big: 9007199254740992,
    words: ['stra\u00dfe', 'I', '\u0130stanbul', '\u03a3\u039f\u03a6\u0399\u0391'],
    ...overrides,
  };
}

describe('queryfilter §8.1 evaluation', () => {
  describe('literals and connectives (two-valued)', () => {
    table(person(), [
      ['true', true],
      ['false', false],
      ['true and false', false],
      ['false or true', true],
      ['! (/missing eq 1)', true],
      ['! true', false],
      ['/name pr and /missing pr', false],
      ['/missing pr or /name pr', true],
    ]);
  });

  describe('presence: defined and not null', () => {
    table(catalogue(), [
      ['/empty pr', true],
      ['/tags pr', true],
      ['/obj pr', true],
      ['/nul pr', false],
      ['/missing pr', false],
      ['/nul/x pr', false],
      ['/empty/x pr', false],
      ['/ pr', true],
      ['/roles/5 pr', false],
      ['/roles/01 pr', true],
      ['/roles/-1 pr', false],
      ['/roles/+1 pr', false],
      ['/n/1 pr', true],
      ['/obj/a%2Fb pr', true],
      ['/obj/sp%20ace pr', true],
      ['/obj/a/b pr', false],
      ['/obj/constructor pr', false],
      ['/obj/__proto__ pr', false],
    ]);
    it('tests the value itself: an array, even empty or of nulls, is present', () => {
      assert.equal(holds('/a pr', { a: [] }), true);
      assert.equal(holds('/a pr', { a: [null] }), true);
      assert.equal(holds('/a/0 pr', { a: [null] }), false);
    });
  });

  describe('strings: case-insensitive, Java per-char folding', () => {
    table(catalogue(), [
      ['/roles eq "ADMIN"', true],
      ['/roles eq "adm"', false],
      ['/roles co "SER"', true],
      ['/roles sw "AD"', true],
      ['/roles sw "user"', true],
      ['/roles gt "admin"', true],
      ['/roles lt "b"', true],
      ['/roles le "admin"', true],
      ['/roles ge "user"', true],
      ['/roles gt "user"', false],
      ['/words eq "STRASSE"', false],
      ['/words eq "STRA\u00dfE"', true],
      ['/words eq "\u0131"', true],
      ['/words eq "istanbul"', true],
      ['/words co "\u03c3\u03bf\u03c6"', true],
      ['/words co "i\u0307stanbul"', true],
      ['/empty eq ""', true],
      ['/empty co ""', true],
      ['/empty sw ""', true],
    ]);
  });

  describe('numbers: compared as doubles; co/sw mean equality', () => {
    table(conditionsObject(), [
      ['/object/age eq 1234', true],
      ['/object/age eq 1234.0', true],
      ['/object/age lt 1234.5', true],
      ['/object/age gt 1233', true],
      ['/object/age co 1234', true],
      ['/object/age co 23', false],
      ['/object/age sw 1234', true],
      ['/object/age sw 12', false],
      ['/object/balance ge 3.14159', true],
      ['/object/balance gt 3', true],
      ['/object/age eq -0.0', false],
    ]);
    it('compares a 64-bit filter integer with an object number as doubles', () => {
      assert.equal(holds('/big eq 9007199254740993', catalogue()), true);
      assert.equal(holds('/big lt 9223372036854775807', catalogue()), true);
    });
    it('orders -0.0 below 0.0 as Double.compareTo does', () => {
      assert.equal(holds('/z gt -0.0', { z: 0 }), true);
      assert.equal(holds('/z eq 0', { z: 0 }), true);
    });
  });

  describe('booleans: false < true', () => {
    table(person(), [
      ['/isAdmin eq false', true],
      ['/isAdmin eq FALSE', true],
      ['/isAdmin lt true', true],
      ['/isAdmin ge false', true],
      ['/isAdmin gt false', false],
      ['/isAdmin co false', true],
      ['/isAdmin sw true', false],
    ]);
  });

  describe('type-strict: no coercion', () => {
    table(person(), [
      ['/age eq "1234"', false],
      ['/isAdmin eq "false"', false],
      ['/name eq 1', false],
      ['/nullVal eq 0', false],
      ['/nullVal eq ""', false],
      ['/age co "12"', false],
    ]);
    table(catalogue(), [
      ['/obj eq "v"', false],
      ['/nested eq 1', false],
      ['/matrix eq 1', false],
      ['/matrix/0 eq 1', true],
      ['/nested/0/x eq 1', true],
      ['/nested/x eq 1', false],
    ]);
  });

  describe('arrays: any element, each comparison independently', () => {
    table(catalogue(), [
      ['/n gt 0 and /n lt 2', true],
      ['/n eq 5', true],
      ['/n eq 6', false],
      ['! (/tags eq "x")', true],
    ]);
    it('matches [0,5] for /n gt 0 and /n lt 2 (not element-wise)', () => {
      assert.equal(holds('/n gt 0 and /n lt 2', catalogue({ n: [0, 5] })), true);
    });
  });

  describe('extended operators are always false, their negation true', () => {
    table(person(), [
      ['/age ne 1234', false],
      ['/age ne 1', false],
      ['! (/age ne 1)', true],
      ['/name regex "al.*"', false],
      ['/name in "alice"', false],
      ['/name and 1', false],
    ]);
  });

  describe('the sunset filter after substitution', () => {
    const filter = '((/sunset/date lt "2024-01-01T00:00:00.000Z") AND !(/sunset/task-completed pr))';
    it('selects a user whose date passed and whose task is not completed', () => {
      assert.equal(holds(filter, sunsetUser('2020-06-01T00:00:00.000Z')), true);
      assert.equal(holds(filter, sunsetUser('2020-06-01T00:00:00.000Z', null)), true);
    });
    it('skips a completed user and a user whose date is in the future', () => {
      assert.equal(holds(filter, sunsetUser('2020-06-01T00:00:00.000Z', '2020-06-02T00:00:00.000Z')), false);
      assert.equal(holds(filter, sunsetUser('2030-06-01T00:00:00.000Z')), false);
    });
  });

  describe('resolvePointer', () => {
    it('lists the values a pointer selects', () => {
      const seg = (text: string) => {
        const r = parseFilter(`${text} pr`);
        assert.ok(r.ok && r.ast.kind === 'presence');
        return r.ast.pointer;
      };
      assert.deepEqual(resolvePointer(catalogue(), seg('/roles')), ['Admin', 'user']);
      assert.deepEqual(resolvePointer(catalogue(), seg('/nul')), [null]);
      assert.deepEqual(resolvePointer(catalogue(), seg('/missing')), []);
      assert.deepEqual(resolvePointer(catalogue(), seg('/matrix')), [[1], [2]]);
      assert.deepEqual(resolvePointer('scalar', seg('/')), ['scalar']);
      assert.deepEqual(resolvePointer(undefined, seg('/a')), []);
    });
  });
});
