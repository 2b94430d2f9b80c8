// The parser's fast path (src/core/queryfilter/fast-parse.ts) against the full parser it stands in
// for: wherever the fast path answers, its AST is the full parser's, to the property order; wherever
// it is unsure (errors, escapes, non-ASCII words, deep nesting) it leaves the input to the full parser.
// The full parser itself is checked against Java by the differential lane and the conformance tests.

import assert from 'node:assert/strict';
import { fastParse } from '../../../src/core/queryfilter/fast-parse';
import { fullParse } from '../../../src/core/queryfilter/parser';
import { parseFilter, type FilterNode } from '../../../src/core/queryfilter';
import { FilterGenerator, Random } from '../../differential/generate';
import { conformance } from './support';

/** JSON with bigints tagged, so that two ASTs compare by value, type and property order. */
function serialize(node: FilterNode): string {
  return JSON.stringify(node, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Asserts that the fast path either declines `text` or gives exactly the full parser's AST. */
function agrees(text: string): 'fast' | 'declined' {
  const fast = fastParse(text);
  if (fast === undefined) return 'declined';
  const full = fullParse(text);
  if (!full.ok)
    assert.fail(
      `fast path accepted ${JSON.stringify(text)}; the full parser rejects it: ${full.error.message}`,
    );
  assert.deepStrictEqual(fast, full.ast, JSON.stringify(text));
  assert.equal(serialize(fast), serialize(full.ast), `property order for ${JSON.stringify(text)}`);
  return 'fast';
}

describe('query filter fast path', () => {
  it('builds exactly the full parser’s AST for the common shapes, and takes them', () => {
    const common = [
      '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))',
      '((/sunset/date lt "2026-11-29T16:45:00.000Z") AND !(/sunset/task-completed pr))',
      '/mail co "example.com" and /accountStatus eq "active"',
      "(/userName sw 'al' or /roles/0 eq 'admin') and /age ge 18",
      '/a eq -5 OR /b Gt 3.25 and /c eq TRUE and /d eq false',
      '! (/x pr) and !(/y PR)',
      '/custom_lastLogin le "2025-01-01T00:00:00.000Z"',
      '/a regex "al.*" and /b x_1.y 7',
      '/a%20b pr and /c%2Fd/ eq "x"',
      '  /a   pr  ',
      'true',
      'FALSE or tRuE',
      '/ pr',
      '// pr',
      "name eq 'alice'",
      "/a eq 'x'and /b pr",
      '/a eq "" and /b eq "(x) and y"',
      '/a eq 9223372036854775807 and /b eq -9223372036854775808 and /c eq 007 and /d eq +5',
      '/a eq 0x1.8p1 and /b eq 1.5f and /c eq -.5 and /d eq 5.',
      '(((((/a pr)))))',
      '('.repeat(63) + '/a pr' + ')'.repeat(63),
      '!/a pr',
      '/a[0] pr',
      '/a eq "al\\"ice" and /b eq \'it\\\'s\' and /c eq "\\\\" and /d eq "\\u0041"',
      '/name eq "al\\\nice"',
      '/naïve pr and /e\u0301/%C3%A9 eq "é"',
      '/a eq ١٢٣ and /b eq -١٠',
      '/a eq 123456789012.5 and /b eq 1.5e3 and /c eq 0.0001 and /d eq -0.0 and /e eq 1.0e400',
      // Java's equalsIgnoreCase lets U+017F (ſ) stand for `s` in keywords and core operators
      'falſe',
      'FALſE or true',
      '/a eq falſe and /b eq FALſE',
      '/a ſw "x"',
      '/a ſW "x" and /b Sw "y"',
      '/a eq "x" and /b ſw "y"',
      '(/a ſw "x" or /b pr) and falſe',
    ];
    for (const text of common) assert.equal(agrees(text), 'fast', JSON.stringify(text));
  });

  it('leaves errors, non-ASCII words that are not keywords, and deep nesting to the full parser', () => {
    const declined = [
      '',
      '   ',
      '/a',
      '/a eq',
      '/a eq "x',
      '(/a pr',
      '/a pr)',
      ') pr',
      '"/a" eq 1',
      '/a\\b eq 1',
      '/a eq "x\\',
      '/a eq "x\\"',
      '/a eq 1١٢٣x',
      '/a Sſ 1',
      '/a ſ 1',
      '/a éq 1',
      '/a ſwx "x"',
      '/a eq tſue',
      'tſue',
      '/a ſw\t"x"',
      '/a eq 1 trailing',
      '/a\teq 1',
      '/a eq 1.2.3',
      '/a eq 9223372036854775808',
      '/a ne! 1',
      '/a{b} pr',
      '/a%G1 pr',
      '('.repeat(64) + '/a pr' + ')'.repeat(64),
      '/a eq (1)',
    ];
    for (const text of declined) assert.equal(agrees(text), 'declined', JSON.stringify(text));
  });

  it('agrees with the full parser on every conformance filter', () => {
    for (const c of conformance().parse) agrees(c.filter);
  });

  it('agrees with the full parser on 30,000 generated and edited filters (seeded)', () => {
    const r = new Random(13);
    const g = new FilterGenerator(r);
    const counts = { fast: 0, declined: 0 };
    for (let i = 0; i < 10_000; i++) {
      const simple = g.filter(1 + r.int(8), true);
      counts[agrees(simple)]++;
      counts[agrees(g.filter(1 + r.int(8)))]++;
      counts[agrees(g.mutate(simple))]++;
      if (i % 100 === 0) counts[agrees(g.nested())]++;
    }
    // both paths are exercised: the generator writes odd input on purpose, and plain input mostly
    assert.ok(counts.fast > 5_000, `fast path taken ${counts.fast} times`);
    assert.ok(counts.declined > 5_000, `declined ${counts.declined} times`);
  });

  it('parseFilter gives the fast path’s AST when there is one, and the full parser’s answer otherwise', () => {
    const ok = parseFilter('/a eq 1');
    assert.ok(ok.ok);
    assert.deepStrictEqual(ok.ast, fastParse('/a eq 1'));
    const err = parseFilter('/a eq');
    const full = fullParse('/a eq');
    assert.ok(!err.ok && !full.ok);
    assert.equal(err.error.message, full.error.message);
    assert.equal(err.error.upstreamMessage, full.error.upstreamMessage);
  });
});
