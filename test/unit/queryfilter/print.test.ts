// queryfilter.md §6 canonical form and the readable form used by the formatter.

import assert from 'node:assert/strict';
import { filtersEqual, parseFilter, printCanonical, printReadable } from '../../../src/core/queryfilter';
import { javaDoubleToString } from '../../../src/core/queryfilter/java-number';
import { canonicalPointer, readablePointer } from '../../../src/core/queryfilter/pointer';
import { canonical, parseOk } from './support';

describe('queryfilter §6 canonical form', () => {
  const rows: [string, string][] = [
    ['true', 'true'],
    ['/a pr and /b pr', '(/a pr and /b pr)'],
    ['! (/a pr or /b pr)', '! ((/a pr or /b pr))'],
    ['! ! (/a pr)', 'invalid'],
    ['/a EQ "x"', '/a eq "x"'],
    ['/a Regex "x"', '/a Regex "x"'],
    ['/a eq "al\\"ice"', '/a eq "al"ice"'],
    ['/a eq "a\\\\b"', '/a eq "a\\b"'],
    ['/a eq 1.0e400', '/a eq Infinity'],
    ['a//b pr', '/a//b pr'],
  ];
  for (const [input, out] of rows) {
    it(`prints ${JSON.stringify(input)} as ${out}`, () => {
      const r = parseFilter(input);
      assert.equal(r.ok ? printCanonical(r.ast) : 'invalid', out);
    });
  }

  it('prints Java Double.toString', () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [-0, '-0.0'],
      [1, '1.0'],
      [1500, '1500.0'],
      [1e7, '1.0E7'],
      [9999999.999, '9999999.999'],
      [0.001, '0.001'],
      [0.000999, '9.99E-4'],
      [1e-4, '1.0E-4'],
      [-123456789012.5, '-1.234567890125E11'],
      [1e21, '1.0E21'],
      [1.7976931348623157e308, '1.7976931348623157E308'],
      [Number.MIN_VALUE, '4.9E-324'],
      [2 * Number.MIN_VALUE, '1.0E-323'],
      [-20 * Number.MIN_VALUE, '-1.0E-322'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [NaN, 'NaN'],
      [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [d, s] of cases) assert.equal(javaDoubleToString(d), s, String(d));
  });

  it('prints whole numbers from 2^53 to 2^63 from their exact value, as Java 17 does', () => {
    // Each expected text is what OpenJDK 17's Double.toString printed for the same double.
    const cases: [number, string][] = [
      [60122202147863168, '6.0122202147863168E16'],
      [158067945125399904, '1.58067945125399904E17'],
      [862210779103525632, '8.6221077910352563E17'],
      [2556028190951182848, '2.5560281909511828E18'],
      [-5240177996117662720, '-5.2401779961176627E18'],
      [2 ** 53, '9.007199254740992E15'],
      [1e18, '1.0E18'],
    ];
    for (const [d, s] of cases) assert.equal(javaDoubleToString(d), s, String(d));
    const r = parseFilter('/a eq 60122202147863168.0');
    assert.equal(r.ok ? printCanonical(r.ast) : 'invalid', '/a eq 6.0122202147863168E16');
  });

  it('encodes pointers like JsonPointer.toString', () => {
    assert.equal(canonicalPointer([]), '/');
    assert.equal(canonicalPointer(['']), '/');
    assert.equal(canonicalPointer(['a/b', 'c d', '%', '#', '"', 'x?y']), '/a%2Fb/c%20d/%25/%23/%22/x?y');
    assert.equal(canonicalPointer(['na\u00efve']), '/na%C3%AFve');
    assert.equal(canonicalPointer(['\u00a0']), '/%C2%A0');
    assert.equal(canonicalPointer(['\t']), '/%09');
    assert.equal(canonicalPointer(['e\u0301']), '/%C3%A9');
    assert.equal(canonicalPointer(['\ud83d\ude00']), '/%F0%9F%98%80');
  });
});

describe('queryfilter readable form', () => {
  const rows: [string, string][] = [
    ['/a pr', '/a pr'],
    ['(/a pr and /b pr)', '/a pr and /b pr'],
    ['((/a pr and /b pr) or /c pr)', '/a pr and /b pr or /c pr'],
    ['(/a pr or (/b pr and /c pr))', '/a pr or /b pr and /c pr'],
    ['(/a pr or /b pr) and /c pr', '(/a pr or /b pr) and /c pr'],
    ['(/a pr and /b pr) and /c pr', '(/a pr and /b pr) and /c pr'],
    ['/a pr or (/b pr or /c pr)', '/a pr or (/b pr or /c pr)'],
    ['!(/a pr)', '! /a pr'],
    ['!(/a pr and /b pr)', '! (/a pr and /b pr)'],
    ['!(!(/a pr))', '! (! /a pr)'],
    ['name eq \'say "hi"\'', '/name eq "say \\"hi\\""'],
    ['/a eq "x\\\\y"', '/a eq "x\\\\y"'],
    ['/a eq 1.0e400', '/a eq 1.0e999'],
    ['/a eq 1.50', '/a eq 1.5'],
    ['/a eq +007', '/a eq 7'],
    ['/a ne TRUE', '/a ne true'],
    ['/a%28b%29 pr', '/a%28b%29 pr'],
    ['a/ pr', '/a pr'],
    ['/ pr', '/ pr'],
    ["/it's pr", '/it%27s pr'],
  ];
  for (const [input, out] of rows) {
    it(`prints ${JSON.stringify(input)} as ${out} and re-parses to the same filter`, () => {
      const ast = parseOk(input);
      const text = printReadable(ast);
      assert.equal(text, out);
      assert.ok(filtersEqual(parseOk(text), ast));
    });
  }

  it('writes pointers that re-parse to the same segments', () => {
    const cases: string[][] = [
      [],
      [''],
      ['', ''],
      ['a', ''],
      ['(', ')', "'"],
      ['x y', '/', '%'],
      ['\u00a0', '\u0085'],
      ['\ud800'],
    ];
    for (const segments of cases) {
      const r = parseFilter(`${readablePointer(segments)} pr`);
      assert.ok(r.ok && r.ast.kind === 'presence', JSON.stringify(segments));
      assert.deepEqual(r.ast.pointer.segments, segments);
    }
  });

  it('keeps the canonical and readable forms apart where the canonical one cannot re-parse', () => {
    const ast = parseOk('/a eq "al\\"ice"');
    assert.equal(parseFilter(printCanonical(ast)).ok, false);
    assert.ok(filtersEqual(parseOk(printReadable(ast)), ast));
    assert.equal(canonical('/a eq "al\\"ice"'), '/a eq "al"ice"');
  });
});
