// The full parser going on after the clauses a declined fast parse read (src/core/queryfilter/resume.ts):
// parseFilter must answer exactly what the full parser answers reading the whole text itself (AST to
// the property order, or the error with its code, messages, kind and span), above all for errors
// after a long valid prefix, escapes in the prefix (the edited text of upstream messages) and a
// prefix that ends at an `or`. The full parser alone is checked against Java by the differential lane.

import assert from 'node:assert/strict';
import { declinedPrefix, fastParse } from '../../../src/core/queryfilter/fast-parse';
import { fullParse, type ParseResult } from '../../../src/core/queryfilter/parser';
import { parseFilter } from '../../../src/core/queryfilter';
import { PrefixRecorder, RESUME_MIN, resumePoint } from '../../../src/core/queryfilter/resume';
import { FilterGenerator, Random } from '../../differential/generate';

/** Everything a caller can see of a parse result, bigints tagged, in property order. */
function visible(r: ParseResult): string {
  const body = r.ok
    ? r.ast
    : {
        code: r.error.code,
        message: r.error.message,
        upstreamMessage: r.error.upstreamMessage,
        upstreamKind: r.error.upstreamKind,
        httpStatus: r.error.httpStatus,
        start: r.error.start,
        end: r.error.end,
      };
  return JSON.stringify({ ok: r.ok, body }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * Asserts parseFilter's answer is the full parser's; says whether the fast path left a prefix. Short
 * texts are read again whole (RESUME_MIN), so `text` gets a long valid first clause, as it is or in
 * parentheses.
 */
function agrees(short: string, pad: 'plain' | 'paren' = 'plain'): boolean {
  const long = `/padding eq "${'x'.repeat(RESUME_MIN)}"`;
  const text = pad === 'plain' ? `${long} and ${short}` : `(${long}) or ${short}`;
  fastParse(text);
  const resumed = declinedPrefix() !== undefined;
  assert.equal(visible(parseFilter(text)), visible(fullParse(text)), JSON.stringify(text));
  return resumed;
}

describe('query filter parser resuming after the fast path', () => {
  it('answers as the full parser alone for errors and odd tails after valid clauses', () => {
    const cases = [
      // errors at the end, after `and`, after `or`, inside parentheses
      '/a pr and /b eq',
      '/a pr and',
      '/a pr or',
      '/a pr or ',
      '/a pr and /b pr or',
      '/a pr or /b pr and',
      '/a eq 1 or /b eq 2 and /c eq 3 and /d',
      '(/a pr) and (/b pr',
      '/a pr and (/b pr or /c eq)',
      '/a pr)',
      '/a pr and /b pr) and /c pr',
      // three or more groups, the last complete before the fast path declines at the top level
      '/a pr or /b pr or /c pr) and /d pr',
      '/a pr or /b pr and /e pr or /c pr or /d eq 1 "x"',
      '/a eq "x" /b pr',
      '/a eq \'x\' and "/b" eq 1',
      '/a eq 1 and /b eq 1.2.3',
      '/a pr and /b eq "unterminated',
      '/a pr and /b eq "x\\',
      '! (/a pr) and !',
      '! /a pr and ! /b',
      'true and false or',
      'TRUE or /a eq 5 and',
      // the last token before the error: a string's quote, a word value, `pr`, `)`, a literal
      '/a eq "x" and',
      '/a eq 12 or',
      '/a pr and',
      '(/a pr) and',
      '! (/a pr) or',
      'false and',
      // escapes in the prefix: the upstream message quotes the text with them deleted
      '/a eq "al\\"ice" and /b eq',
      "/a eq \"\\\\\" and /b eq 'it\\'s' or /c",
      '/a eq "x\\y" and /b pr and /c eq "z\\',
      '/a eq "x\\y" or /b eq "q\\"" and )',
      // non-ASCII words the fast path declines after valid clauses (`ſw` and `falſe` it takes)
      '/a pr and /b Sſ "x"',
      '/a pr or /b eq tſue',
      '/a eq "x" and /b eq ١٢٣x',
      '/a pr and /b eq 9223372036854775808',
      '/a pr or ' + '('.repeat(64) + '/b pr' + ')'.repeat(64),
      '/a pr and ' + '('.repeat(63) + '/b pr' + ')'.repeat(63) + ' or /c\tpr',
      '/a pr or /b pr and /c\u00a0pr',
      '/a pr anD /b pr Or /c ſwx 1',
      // inside parentheses: each level open, negated or not, with clauses before it or not
      '(/a pr and /b eq)',
      '(/a pr and /b pr',
      '(/a pr or /b pr',
      '(/a pr or',
      '/a pr and (/b pr or (/c pr and ! (/d pr and /e eq',
      '/a pr and !(/b pr and /c pr) or !(/d pr or /e eq 1 /f',
      '((/a pr) and (/b pr or /c pr and (/d pr or',
      '! ( ( /a pr ) and ( /b pr ) ) or ( ! ( /c pr and /d éq "x" ) )',
      '(/a pr) and ((/b pr)) and (((/c pr and /d pr) and /e pr) or /f)',
      '(' + '('.repeat(62) + '/a pr and /b pr' + ')'.repeat(62) + ' and /c pr and /d',
      '('.repeat(63) + '/a pr and ' + '('.repeat(1) + '/b pr))',
      '(/a eq "x\\y" and (/b eq \'q\\\'\' or /c eq "\\"',
      '(/a pr and /b pr) )',
      '(/a pr and /b pr))',
      '(/a pr and /b pr) x',
      '(/a pr and /b pr) and',
      '!(/a pr and !(/b pr or',
      '(!(/a pr) and ! (/b pr) and',
    ];
    let resumed = 0;
    for (const text of cases) {
      if (agrees(text)) resumed++;
      agrees(text, 'paren');
      // short texts are read again whole, and answered the same
      fastParse(text);
      assert.equal(declinedPrefix(), undefined);
      assert.equal(visible(parseFilter(text)), visible(fullParse(text)));
    }
    // every one is declined after the long first clause, at least
    assert.equal(resumed, cases.length);
  });

  it('answers as the full parser alone on 30,000 edited multi-clause filters (seeded)', () => {
    const r = new Random(1313);
    const g = new FilterGenerator(r);
    let resumed = 0;
    for (let i = 0; i < 10_000; i++) {
      const simple = g.filter(2 + r.int(10), true);
      if (agrees(g.mutate(simple), i % 2 ? 'plain' : 'paren')) resumed++;
      if (agrees(simple + r.pick([' and ', ' or ', ' ', ') ', ' and (', ' or !']) + g.filter(1 + r.int(3))))
        resumed++;
      // a valid filter cut anywhere
      if (agrees(simple.slice(0, r.int(simple.length + 1)))) resumed++;
    }
    assert.ok(resumed > 5_000, `resumed ${resumed} times`);
  });

  it('reads a long valid prefix once: the error after 64 KB names the last clause', () => {
    const clause = '/sunset/date lt "2026-01-01T00:00:00.000Z" and /mail co "example.com"';
    let text = clause;
    while (text.length < 64 * 1024) text += ` and (${clause})`;
    const full = fullParse(text + ' and /x eq');
    const r = parseFilter(text + ' and /x eq');
    assert.ok(!r.ok && !full.ok);
    assert.equal(r.error.message, 'expected a value after `eq`');
    assert.equal(visible(r), visible(full));
    fastParse(text + ' and /x eq');
    const prefix = declinedPrefix();
    assert.ok(prefix !== undefined);
    assert.equal(prefix.length, 1);
    assert.equal(resumePoint(text + ' and /x eq', prefix).pos, text.length);
  });

  it('goes on inside the parentheses still open: the error after 64 KB in `( … )` and `! ( … )`', () => {
    const clause = '/sunset/date lt "2026-01-01T00:00:00.000Z" and /mail co "example.com"';
    let body = clause;
    while (body.length < 64 * 1024) body += ` and (${clause})`;
    for (const text of [`(${body} and /x eq)`, `/a pr and ! ((${body} or /x eq 1 2`]) {
      assert.equal(visible(parseFilter(text)), visible(fullParse(text)));
      fastParse(text);
      const prefix = declinedPrefix();
      assert.ok(prefix !== undefined);
      assert.ok(resumePoint(text, prefix).pos > 64 * 1024, 'resumes after the 64 KB');
    }
  });

  it('never resumes from a record left incomplete or by an earlier parse', () => {
    const clause = fastParse('/a pr')!;
    const record = new PrefixRecorder();
    record.start(RESUME_MIN);
    // only a deeper level recorded (the top level missing): the text is read whole
    record.and(1, [clause]);
    assert.equal(record.take('x'.repeat(RESUME_MIN)), undefined);
    // a parse that threw while it unwound leaves its record; the next parse starts without it
    record.start(RESUME_MIN);
    record.and(0, [clause]);
    record.start(RESUME_MIN);
    assert.equal(record.take('x'.repeat(RESUME_MIN)), undefined);
    // and a complete record is taken once
    record.and(0, [clause]);
    assert.deepEqual(record.take('/a pr')?.[0]?.clauses, [clause]);
    assert.equal(record.take('/a pr'), undefined);
  });
});
