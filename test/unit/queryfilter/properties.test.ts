// fast-check properties: readable round trip, canonical round trip where §6 says it holds, and
// totality (any string gives an AST or the typed error, nothing else).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CORE_OPERATORS,
  FilterError,
  evaluateFilter,
  expandMacros,
  filtersEqual,
  lintFilter,
  parseFilter,
  printCanonical,
  printReadable,
  type FilterNode,
  type FilterValue,
  type Pointer,
} from '../../../src/core/queryfilter';

const at = { start: 0, end: 0 };
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.string({
  unit: fc.oneof(anyUnit, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 12,
});
const asciiText = fc.string({ unit: 'binary-ascii', maxLength: 8 });

const pointerArb = (segment: fc.Arbitrary<string>): fc.Arbitrary<Pointer> =>
  fc.array(segment, { maxLength: 4 }).map((segments) => ({ segments, raw: '', span: at }));

const extendedName = fc
  .stringMatching(/^[a-zA-Z_0-9.]{1,6}$/)
  .filter((s) => ![...CORE_OPERATORS, 'pr'].some((k) => k === s.toLowerCase()));

const operatorArb = fc.oneof(
  fc.constantFrom(...CORE_OPERATORS).map((name) => ({ name, core: true, span: at })),
  extendedName.map((name) => ({ name, core: false, span: at })),
);

const valueArb = (text: fc.Arbitrary<string>, finite: boolean): fc.Arbitrary<FilterValue> =>
  fc.oneof(
    text.map((value) => ({ kind: 'string' as const, value, span: at })),
    fc.boolean().map((value) => ({ kind: 'boolean' as const, value, span: at })),
    fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((value) => ({ kind: 'integer' as const, value, lexeme: '', span: at })),
    fc
      .double({ noNaN: true, noDefaultInfinity: finite })
      .map((value) => ({ kind: 'float' as const, value, lexeme: '', span: at })),
  );

function filterArb(
  segment: fc.Arbitrary<string>,
  text: fc.Arbitrary<string>,
  finite: boolean,
): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.boolean().map((value): FilterNode => ({ kind: 'literal', value, span: at })),
      pointerArb(segment).map((pointer): FilterNode => ({ kind: 'presence', pointer, span: at })),
      fc
        .tuple(pointerArb(segment), operatorArb, valueArb(text, finite))
        .map(([pointer, operator, value]): FilterNode => ({
          kind: 'comparison',
          pointer,
          operator,
          value,
          span: at,
        })),
      tie('node').map((operand): FilterNode => ({ kind: 'not', operand, span: at })),
      fc
        .tuple(
          fc.constantFrom('and' as const, 'or' as const),
          fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
        )
        .map(([kind, children]): FilterNode => ({ kind, children, span: at })),
    ),
  })).node;
}

function depth(node: FilterNode): number {
  switch (node.kind) {
    case 'and':
    case 'or':
      return 1 + Math.max(...node.children.map(depth));
    case 'not':
      return 1 + depth(node.operand);
    default:
      return 0;
  }
}

describe('queryfilter properties', () => {
  it('readable form re-parses to the same AST (any unicode, any value)', () => {
    fc.assert(
      fc.property(
        filterArb(anyText, anyText, false).filter((n) => depth(n) < 30),
        (ast) => {
          const text = printReadable(ast);
          const r = parseFilter(text);
          assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error.message}`);
          assert.ok(filtersEqual(r.ast, ast), text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('canonical form re-parses where §6 says it can (no `"` or `\\` in strings, finite numbers)', () => {
    // JsonPointer.toString leaves `(`, `)` raw and applies NFC; a trailing empty segment is dropped.
    const segment = anyText.filter(
      (s) => !/[()]/.test(s) && s.normalize('NFC') === s && !/[\uD800-\uDFFF]/.test(s),
    );
    const text = anyText.filter((s) => !/["\\]/.test(s));
    fc.assert(
      fc.property(
        filterArb(segment, text, true).filter((n) => depth(n) < 30 && !hasTrailingEmptySegment(n)),
        (ast) => {
          const out = printCanonical(ast);
          const r = parseFilter(out);
          assert.ok(r.ok, `${out}: ${r.ok ? '' : r.error.message}`);
          assert.ok(filtersEqual(r.ast, ast), out);
          assert.equal(printCanonical(r.ast), out);
        },
      ),
      { numRuns: 400 },
    );
  });

  const tokenUnit = fc.oneof(
    anyUnit,
    fc.constantFrom(
      ' ',
      ' ',
      '(',
      ')',
      '"',
      "'",
      '\\',
      '!',
      '\t',
      '%',
      '/',
      'and',
      'OR',
      'pr',
      'eq',
      'ne',
      'true',
      'null',
      'not',
    ),
    fc.constantFrom(
      '/a',
      '1',
      '-0',
      '1.5e3',
      '0x1p1',
      '${Time.now}',
      '${Time.now + 1}',
      '%41',
      '~1',
      '\u017fw',
      '\u00a0',
    ),
  );
  const filterish = fc.oneof(
    fc.string({ unit: tokenUnit, maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .tuple(fc.integer({ min: 0, max: 3000 }), fc.string({ unit: tokenUnit, maxLength: 10 }))
      .map(([n, s]) => '('.repeat(n) + s + ')'.repeat(n % 7 === 0 ? n : n >> 1)),
  );

  it('gives an AST or the typed error for any string, and every other entry point copes', () => {
    fc.assert(
      fc.property(filterish, fc.jsonValue({ maxDepth: 3 }), (text, object) => {
        const r = parseFilter(text);
        if (!r.ok) {
          assert.ok(r.error instanceof FilterError);
          assert.ok(
            r.error.start >= 0 && r.error.start <= r.error.end && r.error.end <= text.length,
            JSON.stringify(r.error),
          );
          assert.ok(r.error.httpStatus === 400 || r.error.httpStatus === 500);
        } else {
          printCanonical(r.ast);
          assert.ok(filtersEqual(parseOkOrFail(printReadable(r.ast)), r.ast));
          assert.equal(typeof evaluateFilter(r.ast, object), 'boolean');
        }
        lintFilter(text);
        expandMacros(text, new Date(0));
      }),
      { numRuns: 1500 },
    );
  });

  it('accepts generated well-formed filter texts with any spacing and keyword case', () => {
    const word = (w: string) => fc.constantFrom(w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1));
    const gap = fc.string({ unit: fc.constant(' '), minLength: 1, maxLength: 3 });
    const pointerText = fc.constantFrom('/a', 'b/c', '/d/0', '//e', '/f%20g', '/h~1i');
    const value = fc.oneof(
      asciiText.map((s) =>
        JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
      ),
      fc.integer().map(String),
      fc.constantFrom('true', 'False', '1.5', '-0.0', '2.5e3'),
    );
    const leaf = fc.oneof(
      fc.tuple(pointerText, gap, word('pr')).map((p) => p.join('')),
      fc.tuple(pointerText, gap, fc.oneof(...CORE_OPERATORS.map(word)), gap, value).map((p) => p.join('')),
    );
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.tuple(tie('e'), gap, fc.oneof(word('and'), word('or')), gap, tie('e')).map((p) => p.join('')),
        tie('e').map((e) => `(${e})`),
        tie('e').map((e) => `! (${e})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (text) => {
        const r = parseFilter(text);
        assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error.message}`);
        assert.equal(text.slice(r.ast.span.start, r.ast.span.end).trim(), text.trim());
      }),
      { numRuns: 500 },
    );
  });
});

function parseOkOrFail(text: string): FilterNode {
  const r = parseFilter(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  return r.ast;
}

function hasTrailingEmptySegment(node: FilterNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.some(hasTrailingEmptySegment);
    case 'not':
      return hasTrailingEmptySegment(node.operand);
    case 'presence':
    case 'comparison':
      return node.pointer.segments.at(-1) === '';
    default:
      return false;
  }
}
