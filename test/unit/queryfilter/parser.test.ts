// Hand-made cases for the lexer and parser, one group per bullet of queryfilter.md §2–§5, §7 and §11.

import assert from 'node:assert/strict';
import { filtersEqual, parseFilter, type FilterNode } from '../../../src/core/queryfilter';
import { canonical, parseErr, parseOk } from './support';

function accepts(cases: [string, string][]): void {
  for (const [filter, normalized] of cases) {
    it(`accepts ${JSON.stringify(filter)} as ${normalized}`, () =>
      assert.equal(canonical(filter), normalized));
  }
}

type Rejection = [filter: string, code: string, kind: string, upstream: string];

function rejects(cases: Rejection[]): void {
  for (const [filter, code, kind, upstream] of cases) {
    it(`rejects ${JSON.stringify(filter)} with ${code}`, () => {
      const e = parseErr(filter);
      assert.equal(e.code, code, e.message);
      assert.equal(e.upstreamKind, kind);
      assert.equal(e.upstreamMessage, upstream);
      assert.equal(e.httpStatus, kind === 'JsonException' ? 500 : 400);
    });
  }
}

const IAE = 'IllegalArgumentException';
const NFE = 'NumberFormatException';
const JE = 'JsonException';
const invalid = (f: string) => `Invalid query filter '${f}'`;

describe('queryfilter §2 lexer', () => {
  describe('only U+0020 separates tokens', () => {
    rejects([
      ['/a\tpr', 'non-space-separator', JE, 'Illegal character in fragment at index 2: #a\tpr'],
      ['/a\u00a0pr', 'non-space-separator', JE, 'Illegal character in fragment at index 2: #a\u00a0pr'],
      ['/a\npr', 'non-space-separator', JE, 'Illegal character in fragment at index 2: #a\npr'],
      ['/a pr\n', 'non-space-separator', IAE, invalid('/a pr\n')],
      ['/a eq\t1', 'non-space-separator', IAE, invalid('/a eq\t1')],
      ['/a eq 1\t', 'non-space-separator', NFE, 'For input string: "1\t"'],
    ]);
    accepts([
      ['   /a    pr   ', '/a pr'],
      ['/a eq 1.5\t', '/a eq 1.5'],
    ]);
    it('names the TAB in the message and points at it', () => {
      const e = parseErr('/a\tpr');
      assert.equal(e.message, 'a TAB separates these tokens; only spaces do');
      assert.deepEqual([e.start, e.end], [2, 3]);
    });
  });

  describe('parentheses and closing quotes end a token; opening quotes do not', () => {
    accepts([
      ['(/a pr)and(/b pr)', '(/a pr and /b pr)'],
      ["/a eq 'x'and /b pr", '(/a eq "x" and /b pr)'],
      ['/a eq "x"or /b pr', '(/a eq "x" or /b pr)'],
    ]);
    rejects([
      ['/a eq"x"', 'missing-value', IAE, invalid('/a eq"x"')],
      ["(uid co 'jensen'and cn sw'babs')", 'invalid-value', NFE, 'For input string: ")"'],
    ]);
  });

  describe('quoted strings', () => {
    accepts([
      ['/a eq ""', '/a eq ""'],
      ["/a eq ''", '/a eq ""'],
      ['/a eq "it\'s"', '/a eq "it\'s"'],
      ['/a eq \'say "hi"\'', '/a eq "say "hi""'],
      ['/a eq "\\n\\t"', '/a eq "nt"'],
      ['/a eq "\\u0041"', '/a eq "u0041"'],
      ['/a eq "a\\\\b"', '/a eq "a\\b"'],
      ["/a eq 'it\\'s'", '/a eq "it\'s"'],
      ['/a eq "x)"', '/a eq "x)"'],
      ['/a eq "  "', '/a eq "  "'],
    ]);
    it('keeps the escaped character verbatim, even a line feed', () => {
      const ast = parseOk('/a eq "x\\\ny"');
      assert.equal(ast.kind === 'comparison' && ast.value.kind === 'string' && ast.value.value, 'x\ny');
    });
    rejects([
      ['/a eq "x', 'unterminated-string', IAE, invalid('/a eq "x')],
      ["/a eq 'x", 'unterminated-string', IAE, invalid("/a eq 'x")],
      ['/a eq "', 'unterminated-string', IAE, invalid('/a eq "')],
      ['/a eq "x\\', 'escape-at-end', IAE, 'The filter string cannot end with an escape character'],
      ['/a eq "x\\"', 'unterminated-string', IAE, invalid('/a eq "x"')],
      ['/a eq "a\\"b\\"c', 'unterminated-string', IAE, invalid('/a eq "a"b"c')],
      ["'it''s'", 'unterminated-string', IAE, invalid("'it''s'")],
    ]);
    it('reads the string content only when the opening quote is consumed', () => {
      // The trailing-token check peeks at `"` and never reads the content, so no escape error.
      const e = parseErr('/a pr "x\\');
      assert.equal(e.upstreamMessage, invalid('/a pr "x\\'));
    });
  });

  describe('`!` negates only as a token of its own', () => {
    accepts([
      ['!(/a pr)', '! (/a pr)'],
      ['! (/a pr)', '! (/a pr)'],
      ['! /a pr', '! (/a pr)'],
      ['!/a pr', '/!/a pr'],
      ['!! pr', '/!! pr'],
      ['! true', '! (true)'],
      ['!(!(/a pr))', '! (! (/a pr))'],
    ]);
    rejects([
      ['!true', 'missing-operator', IAE, invalid('!true')],
      ['! ! /a pr', 'invalid-value', NFE, 'For input string: "pr"'],
      ['!', 'missing-expression', IAE, invalid('!')],
    ]);
  });

  it('takes a backslash outside strings as a word character (illegal in a pointer)', () => {
    const e = parseErr('/a\\b pr');
    assert.equal(e.upstreamMessage, 'Illegal character in fragment at index 2: #a\\b');
    assert.equal(e.code, 'illegal-pointer-character');
  });
});

describe('queryfilter §3 grammar', () => {
  describe('precedence and n-ary connectives', () => {
    accepts([
      ['/a pr and /b pr or /c pr', '((/a pr and /b pr) or /c pr)'],
      ['/a pr or /b pr and /c pr', '(/a pr or (/b pr and /c pr))'],
      ['! /a pr and /b pr', '(! (/a pr) and /b pr)'],
      ['/a pr and /b pr and /c pr and /d pr', '(/a pr and /b pr and /c pr and /d pr)'],
      ['(/a pr and /b pr) and /c pr', '((/a pr and /b pr) and /c pr)'],
      ['/a pr and (/b pr and /c pr)', '(/a pr and (/b pr and /c pr))'],
      ['(/a pr or /b pr) and (/c pr or /d pr)', '((/a pr or /b pr) and (/c pr or /d pr))'],
      ['((/a pr))', '/a pr'],
      ['/a pr AND /b pr oR /c pr', '((/a pr and /b pr) or /c pr)'],
    ]);
  });

  describe('keywords are positional, not reserved', () => {
    accepts([
      ['and pr', '/and pr'],
      ['or pr', '/or pr'],
      [') pr', '/) pr'],
      ['pr pr', '/pr pr'],
      ["'pr", "/' pr"],
      ['/a and 1', '/a and 1'],
      ['/a or "x"', '/a or "x"'],
      ['/true eq 1', '/true eq 1'],
      ['not eq 1', '/not eq 1'],
      ['/a eq true and false', '(/a eq true and false)'],
    ]);
    rejects([
      ['true eq 1', 'unexpected-token', IAE, invalid('true eq 1')],
      ['"/a" pr', 'quoted-pointer', IAE, invalid('"/a" pr')],
      ['/a pr /b pr', 'unexpected-token', IAE, invalid('/a pr /b pr')],
      ['/a pr xor /b pr', 'unexpected-token', IAE, invalid('/a pr xor /b pr')],
    ]);
  });

  describe('case-insensitive keywords with Java equalsIgnoreCase', () => {
    accepts([
      ['/a Pr', '/a pr'],
      ['/a PR', '/a pr'],
      ['/a EQ 1', '/a eq 1'],
      ['/a Co "x"', '/a co "x"'],
      ['/a \u017fw "x"', '/a sw "x"'],
      ['/a eq fal\u017fe', '/a eq false'],
      ['fal\u017fe', 'false'],
      ['/a eq TrUe', '/a eq true'],
      ['/a Ne 1', '/a Ne 1'],
    ]);
    it('keeps the long s as a real character elsewhere (`\u017fw` is not an extended operator)', () => {
      const ast = parseOk('/a \u017fw "x"');
      assert.ok(ast.kind === 'comparison' && ast.operator.core && ast.operator.name === 'sw');
    });
  });

  describe('operator validated after the value is read', () => {
    rejects([
      ['/a my-op null', 'null-value', NFE, 'For input string: "null"'],
      ['/a my-op "x"', 'invalid-operator', IAE, invalid('/a my-op "x"')],
      ['/a op! 1', 'invalid-operator', IAE, invalid('/a op! 1')],
      ['/a ( 1', 'invalid-operator', IAE, invalid('/a ( 1')],
    ]);
    accepts([
      ['/a regex.x_1 "y"', '/a regex.x_1 "y"'],
      ['/a in 1', '/a in 1'],
    ]);
  });

  describe('depth limit: 63 nested parentheses pass, 64 fail', () => {
    const nest = (n: number, inner = '/a pr') => '('.repeat(n) + inner + ')'.repeat(n);
    it('accepts 63 levels', () => assert.equal(canonical(nest(63)), '/a pr'));
    it('accepts 63 levels of `!(`', () =>
      assert.ok(parseFilter('!('.repeat(63) + '/a pr' + ')'.repeat(63)).ok));
    it('rejects 64 levels with the upstream "nexted" message on the original input', () => {
      const f = nest(64, '/a eq "x\\"y"');
      const e = parseErr(f);
      assert.equal(e.code, 'too-deep');
      assert.equal(
        e.upstreamMessage,
        `The query filter '${f}' cannot be parsed because it contains more than 256 nexted expressions`,
      );
    });
    it('rejects 100 000 levels with the typed error, no stack overflow', () => {
      assert.equal(parseErr(nest(100_000)).code, 'too-deep');
      assert.equal(parseErr('('.repeat(100_000)).code, 'too-deep');
    });
    it('rejects unbalanced parentheses', () => {
      assert.equal(parseErr('((/a pr)').code, 'missing-close-paren');
      assert.equal(parseErr('(/a pr))').code, 'unmatched-close-paren');
      assert.equal(parseErr('(/a pr /b pr)').code, 'unexpected-token');
      assert.equal(parseErr('()').code, 'missing-expression');
    });
  });
});

describe('queryfilter §4 values', () => {
  accepts([
    ['/a eq -5', '/a eq -5'],
    ['/a eq +5', '/a eq 5'],
    ['/a eq 007', '/a eq 7'],
    ['/a eq -0', '/a eq 0'],
    ['/a eq -9223372036854775808', '/a eq -9223372036854775808'],
    ['/a eq 9223372036854775807', '/a eq 9223372036854775807'],
    ['/a eq \u0661\u0662\u0663', '/a eq 123'],
    ['/a eq \uff11\uff10', '/a eq 10'],
    ['/a eq 1.5e3', '/a eq 1500.0'],
    ['/a eq 1.5E-3', '/a eq 0.0015'],
    ['/a eq -.5', '/a eq -0.5'],
    ['/a eq 5.', '/a eq 5.0'],
    ['/a eq 1.5f', '/a eq 1.5'],
    ['/a eq 1.5D', '/a eq 1.5'],
    ['/a eq 0x1.8p1', '/a eq 3.0'],
    ['/a eq 0X.8P-1', '/a eq 0.25'],
    ['/a eq 1.0e400', '/a eq Infinity'],
    ['/a eq -1.0e400', '/a eq -Infinity'],
    ['/a eq 1.0e-400', '/a eq 0.0'],
    ['/a eq 10000000.0', '/a eq 1.0E7'],
    ['/a eq 9999999.0', '/a eq 9999999.0'],
    ['/a eq 0.001', '/a eq 0.001'],
    ['/a eq 0.0001', '/a eq 1.0E-4'],
    ['/a eq -0.0', '/a eq -0.0'],
    ['/a eq 0.1', '/a eq 0.1'],
    ['/a eq 123456789.125', '/a eq 1.23456789125E8'],
    ['/a eq 4.9e-324', '/a eq 4.9E-324'],
    ['/a eq 1.7976931348623157e308', '/a eq 1.7976931348623157E308'],
    // Hex floats (issue 13), each expected value printed by OpenJDK 17.0.21 through QueryFilters.parse
    // and toString: one rounding from the exact value, whatever the digit count or the exponent.
    ['/a eq 0x1' + '0'.repeat(256) + '.0p-1000', '/a eq 1.6777216E7'],
    ['/a eq 0x1' + '0'.repeat(256) + '.0p-99999999999999', '/a eq 0.0'],
    ['/a eq 0x9.18ce18af2526fp-1027', '/a eq 6.32539461645537E-309'],
    ['/a eq 0x1.fffffffffffff8p1023', '/a eq Infinity'],
    ['/a eq 0x1.00000000000008p0', '/a eq 1.0'],
    ['/a eq 0x0.0000000000001p-1022', '/a eq 4.9E-324'],
    ['/a eq 0x1.0000001p-1075', '/a eq 4.9E-324'],
    ['/a eq -0x0.0p1', '/a eq -0.0'],
    ['/a eq 0x.8p1d', '/a eq 1.0'],
    ['/a eq "true"', '/a eq "true"'],
    ['/a eq "12"', '/a eq "12"'],
  ]);
  rejects([
    ['/a eq 9223372036854775808', 'integer-out-of-range', NFE, 'For input string: "9223372036854775808"'],
    ['/a eq -9223372036854775809', 'integer-out-of-range', NFE, 'For input string: "-9223372036854775809"'],
    ['/a eq 1e5', 'exponent-without-point', NFE, 'For input string: "1e5"'],
    ['/a eq 0x10', 'invalid-value', NFE, 'For input string: "0x10"'],
    ['/a eq 1_000', 'invalid-value', NFE, 'For input string: "1_000"'],
    ['/a eq -', 'invalid-value', NFE, 'For input string: "-"'],
    ['/a eq 1.2.3', 'invalid-number', NFE, 'multiple points'],
    ['/a eq .', 'invalid-number', NFE, 'For input string: "."'],
    ['/a eq 1.5e', 'invalid-number', NFE, 'For input string: "1.5e"'],
    ['/a eq 1.5ff', 'invalid-number', NFE, 'For input string: "1.5ff"'],
    ['/a eq NaN', 'invalid-value', NFE, 'For input string: "NaN"'],
    ['/a eq Infinity', 'invalid-value', NFE, 'For input string: "Infinity"'],
    ['/a eq null', 'null-value', NFE, 'For input string: "null"'],
    ['/a eq NULL', 'null-value', NFE, 'For input string: "NULL"'],
    ['/a eq bar', 'invalid-value', NFE, 'For input string: "bar"'],
    ['/a eq (1)', 'invalid-value', NFE, 'For input string: "("'],
    ['x and y', 'missing-operator', NFE, 'For input string: "y"'],
    ['not /a pr', 'not-keyword', NFE, 'For input string: "pr"'],
    ['(eq "" or eq "")', 'missing-operator', NFE, 'For input string: ""'],
  ]);
  it('keeps integers exact as bigint and apart from floats', () => {
    const big = parseOk('/a eq 9223372036854775807');
    assert.ok(big.kind === 'comparison' && big.value.kind === 'integer');
    assert.equal(big.value.value, 9223372036854775807n);
    assert.equal(big.value.lexeme, '9223372036854775807');
    const one = parseOk('/a eq 1');
    const oneFloat = parseOk('/a eq 1.0');
    assert.ok(
      oneFloat.kind === 'comparison' && oneFloat.value.kind === 'float' && oneFloat.value.lexeme === '1.0',
    );
    assert.equal(filtersEqual(one, oneFloat), false);
    assert.equal(filtersEqual(parseOk('/a eq 1'), parseOk('/a eq +1')), true);
  });
});

describe('queryfilter §5 pointers', () => {
  accepts([
    ['name eq "x"', '/name eq "x"'],
    ['a/b pr', '/a/b pr'],
    ['/a/b/ pr', '/a/b pr'],
    ['//a pr', '//a pr'],
    ['/ pr', '/ pr'],
    ['/a%20b pr', '/a%20b pr'],
    ['/a%2Fb pr', '/a%2Fb pr'],
    ['/a%2fb pr', '/a%2Fb pr'],
    ['/a%41 pr', '/aA pr'],
    ['/a~1b pr', '/a~1b pr'],
    ['/a~0b pr', '/a~0b pr'],
    ['/na\u00efve pr', '/na%C3%AFve pr'],
    ['/na%C3%AFve pr', '/na%C3%AFve pr'],
    ['/a%25 pr', '/a%25 pr'],
    ['/a%23 pr', '/a%23 pr'],
    ['/a%C3 pr', '/a%EF%BF%BD pr'],
    ["/;?:@&=+$,[]-_.!~*' pr", "/;?:@&=+$,[]-_.!~*' pr"],
    ['/\u65e5\u672c pr', '/%E6%97%A5%E6%9C%AC pr'],
    ['/e\u0301 pr', '/%C3%A9 pr'],
  ]);
  it('decodes segments and keeps empty middle segments', () => {
    const ast = parseOk('//a%2Fb/c%20d/ pr');
    assert.ok(ast.kind === 'presence');
    assert.deepEqual(ast.pointer.segments, ['', 'a/b', 'c d']);
    assert.equal(ast.pointer.raw, '//a%2Fb/c%20d/');
  });
  rejects([
    ['/a{b} pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a{b}'],
    ['/a|b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a|b'],
    ['/a^b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a^b'],
    ['/a<b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a<b'],
    ['/a>b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a>b'],
    ['/a`b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a`b'],
    ['/x/a#b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a#b'],
    ['/a"b pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a"b'],
    ['/a\u0001 pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a\u0001'],
    ['/a\u0080 pr', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a\u0080'],
    ['/a% pr', 'malformed-percent-escape', JE, 'Malformed escape pair at index 2: #a%'],
    ['/a%4 pr', 'malformed-percent-escape', JE, 'Malformed escape pair at index 2: #a%4'],
    ['/a%zz pr', 'malformed-percent-escape', JE, 'Malformed escape pair at index 2: #a%zz'],
    [
      '${taskState.completed} pr',
      'macro-in-pointer',
      JE,
      'Illegal character in fragment at index 2: #${taskState.completed}',
    ],
    ['/a{b}', 'illegal-pointer-character', JE, 'Illegal character in fragment at index 2: #a{b}'],
  ]);
});

describe('queryfilter §6/§11 spans into the original input', () => {
  const text = '(/a eq "x\\"y" and ! /b pr) or /c NE 1.50';
  const ast = parseOk(text);
  const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  it('gives every node, pointer, operator and value its source text', () => {
    assert.ok(ast.kind === 'or');
    assert.equal(slice(ast.span), text);
    const [and, cmp] = ast.children as [FilterNode, FilterNode];
    assert.ok(and.kind === 'and' && cmp.kind === 'comparison');
    assert.equal(slice(and.span), '(/a eq "x\\"y" and ! /b pr)');
    const [eq, not] = and.children as [FilterNode, FilterNode];
    assert.ok(eq.kind === 'comparison' && not.kind === 'not');
    assert.equal(slice(eq.span), '/a eq "x\\"y"');
    assert.equal(slice(eq.pointer.span), '/a');
    assert.equal(slice(eq.operator.span), 'eq');
    assert.equal(slice(eq.value.span), '"x\\"y"');
    assert.equal(eq.value.value, 'x"y');
    assert.equal(slice(not.span), '! /b pr');
    assert.ok(not.operand.kind === 'presence');
    assert.equal(slice(not.operand.pointer.span), '/b');
    assert.equal(slice(cmp.operator.span), 'NE');
    assert.equal(cmp.operator.core, false);
    assert.equal(slice(cmp.value.span), '1.50');
  });
  it('points errors at the offending token, after escapes, in original offsets', () => {
    const e = parseErr('/a eq "\\"\\"" and /b pr )');
    assert.equal(e.code, 'unmatched-close-paren');
    assert.equal(e.message, '`)` at column 24 closes nothing');
    assert.deepEqual([e.start, e.end], [23, 24]);
    assert.equal(e.upstreamMessage, `Invalid query filter '/a eq """" and /b pr )'`);
  });
  it('explains common mistakes in plain words', () => {
    assert.equal(parseErr('/a lt').message, 'expected a value after `lt`');
    assert.equal(parseErr('not /a pr').message, '`not` is not an operator here: use `!`');
    assert.match(parseErr('/a eq null').message, /no `null` value/);
    assert.equal(parseErr('').code, 'empty-filter');
    assert.equal(parseErr('   ').code, 'empty-filter');
  });
});

describe('queryfilter parseFilter never throws', () => {
  for (const input of [undefined, null, 42, {}] as unknown[]) {
    it(`returns a typed error for the non-string ${JSON.stringify(input)}`, () => {
      const r = parseFilter(input as string);
      assert.equal(r.ok, false);
    });
  }
});

describe('queryfilter hex floats of any size answer at once (issue 13)', () => {
  // Before the fix the first of these never returned (a 300-character filter froze the process).
  // Expected values printed by OpenJDK 17.0.21 (QueryFilters.parse + toString).
  const cases: [name: string, filter: string, normalized: string][] = [
    [
      '257 hex digits, exponent -99999999999999',
      `/a eq 0x1${'0'.repeat(256)}.0p-99999999999999`,
      '/a eq 0.0',
    ],
    ['65,000 hex f digits, exponent -260000', `/a eq 0x${'f'.repeat(65000)}.0p-260000`, '/a eq 1.0'],
    ['65,000 hex digits, exponent 2147483647', `/a eq 0x${'f'.repeat(65000)}.p2147483647`, '/a eq Infinity'],
    ['65,000 fraction zeros, exponent 260003', `/a eq 0x.${'0'.repeat(65000)}1p260003`, '/a eq 0.5'],
    ['a sticky bit 30,000 digits down', `/a eq 0x1.${'0'.repeat(30000)}1p-1074`, '/a eq 4.9E-324'],
    ['an exponent with 60,000 leading zeros', `/a eq 0x1.8p${'0'.repeat(60000)}1`, '/a eq 3.0'],
  ];
  for (const [name, filter, normalized] of cases) {
    it(`parses ${name}`, () => assert.equal(canonical(filter), normalized));
  }
});
