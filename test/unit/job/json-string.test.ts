import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonString, parseJobFile, validateJob } from '../../../src/core/job';
import { jobText, scanJob, withContext } from './builders';

/** Decodes the first string literal of `doc` (the whole doc is one literal here). */
function decode(doc: string): JsonString {
  return JsonString.decode(doc, 0, doc.length);
}

/** Document text for value range [start, end) of a literal. */
function docSlice(doc: string, s: JsonString, start: number, end: number): string {
  const r = s.rangeOf(start, end);
  return doc.slice(r.start, r.end);
}

describe('JSON string offset map', () => {
  it('maps positions with no escapes by plain shifting', () => {
    const doc = '"abc def"';
    const s = decode(doc);
    assert.equal(s.value, 'abc def');
    assert.equal(docSlice(doc, s, 4, 7), 'def');
  });

  it('accounts for escapes before and inside a span', () => {
    const doc = String.raw`"a\"b\\c\/d\u0041e"`;
    const s = decode(doc);
    assert.equal(s.value, 'a"b\\c/dAe');
    assert.equal(docSlice(doc, s, 1, 2), String.raw`\"`); // the quote itself
    assert.equal(docSlice(doc, s, 4, 5), 'c'); // after \" and \\
    assert.equal(docSlice(doc, s, 5, 8), String.raw`\/d\u0041`); // escapes inside the span
    assert.equal(docSlice(doc, s, 8, 9), 'e');
    assert.equal(s.rangeOf(9, 9).start, doc.length - 1); // the end maps to the closing quote
  });

  it('maps surrogate pairs written as two \\u escapes', () => {
    const doc = String.raw`"x\uD83D\uDE00y"`;
    const s = decode(doc);
    assert.equal(s.value, 'x😀y');
    assert.equal(docSlice(doc, s, 1, 3), String.raw`\uD83D\uDE00`);
    assert.equal(docSlice(doc, s, 3, 4), 'y');
  });

  it('reports an invalid escape at the backslash and decodes leniently', () => {
    const doc = String.raw`"lt \"$\{Time.now}\")"`;
    const s = decode(doc);
    assert.equal(s.value, 'lt "${Time.now}")');
    assert.equal(s.problems.length, 1);
    assert.equal(doc.slice(s.problems[0].start, s.problems[0].end), '\\{');
    assert.equal(s.problems[0].replacement, '{');
    // the stray `)` after it still maps exactly
    assert.equal(docSlice(doc, s, s.value.length - 1, s.value.length), ')');
  });

  it('reports a short \\u escape', () => {
    const s = decode(String.raw`"a\u12G4"`);
    assert.match(s.problems[0].message, /four hex digits/);
  });

  it('round-trips every string JSON.stringify writes, with every position mapped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), fc.nat(), (value, a, b) => {
        const doc = JSON.stringify(value);
        const s = decode(doc);
        assert.equal(s.value, value);
        assert.deepEqual(s.problems, []);
        const start = value.length ? a % value.length : 0;
        const end = Math.min(value.length, start + (b % 5));
        // the document text of a span decodes back to the value's span
        assert.equal(JSON.parse(`"${docSlice(doc, s, start, end)}"`), value.slice(start, end));
      }),
    );
  });

  it('maps spans when some characters are written as optional escapes (\\/ and \\uXXXX)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '/', 'é', '"', '\\', ' ', ')'), { maxLength: 30 }),
        fc.array(fc.boolean()),
        (chars, alt) => {
          const enc = chars.map((c, i) =>
            alt[i]
              ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
              : c === '/'
                ? '\\/'
                : JSON.stringify(c).slice(1, -1),
          );
          const doc = `"${enc.join('')}"`;
          const s = decode(doc);
          assert.equal(s.value, chars.join(''));
          chars.forEach((_, i) => assert.equal(docSlice(doc, s, i, i + 1), enc[i]));
        },
      ),
    );
  });
});

describe('JSON string offsets back to the value (indexAt)', () => {
  it('maps document offsets to value indices across escapes, written out by hand', () => {
    // doc offsets: 0 `"`, 1 a, 2-3 \n, 4 b, 5-10 \u0041, 11 c, 12 `"`; value "a\nbAc"
    const doc = String.raw`"a\nb\u0041c"`;
    const s = decode(doc);
    assert.equal(s.value, 'a\nbAc');
    const at = (o: number) => s.indexAt(o);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 8, 10, 11, 12, 13].map(at), [0, 0, 1, 1, 2, 3, 3, 3, 4, 5, 5]);
  });

  it('maps the offsets of adjacent escapes and of a string without any', () => {
    const doc = String.raw`"\"\\x"`; // 0 `"`, 1-2 \", 3-4 \\, 5 x, 6 `"`
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((o) => decode(doc).indexAt(o)),
      [0, 0, 1, 1, 2, 3],
    );
    // an invalid escape (decoded leniently, the slow path): 1 a, 2-3 \q, 4 b, 5 `"`
    const lenient = decode(String.raw`"a\qb"`);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((o) => lenient.indexAt(o)),
      [0, 1, 1, 2, 3],
    );
    const plain = decode('"abc"');
    assert.deepEqual(
      [1, 2, 3, 4].map((o) => plain.indexAt(o)),
      [0, 1, 2, 3],
    );
  });

  it('is the inverse of offsetOf for every string JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const s = decode(JSON.stringify(value));
        for (let i = 0; i <= value.length; i++) assert.equal(s.indexAt(s.offsetOf(i)), i);
      }),
    );
  });
});

describe('filter spans map into the JSON string', () => {
  it('points at the stray `)` after escaped quotes in the filter', () => {
    const job = withContext({
      scan: { _queryFilter: '/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr' },
    });
    const text = jobText(job);
    const d = validateJob({ path: 'x.scanjob.json', text }).find((x) => x.code === 'filter-syntax');
    assert.ok(d);
    assert.equal(text.slice(d.start, d.end), ')');
    assert.equal(text.slice(d.start - 3, d.start), '}\\"');
  });

  it('points at a filter token written with \\u escapes', () => {
    const text = jobText(withContext({ scan: { _queryFilter: 'FILTER' } })).replace(
      '"FILTER"',
      String.raw`"/a eq \"\u00e9\" and /b lx"`,
    );
    const d = validateJob({ path: 'x.scanjob.json', text }).find((x) => x.code === 'filter-syntax');
    assert.ok(d, 'a filter error is reported');
    // the engine blames `lx` (value offsets 17-19); the escapes before it shift it by 7 characters
    assert.equal(text.slice(d.start, d.end), 'lx');
    assert.equal(text.slice(d.start - 3, d.start), '/b ');
  });

  it('keeps later checks working after an invalid escape', () => {
    const text = jobText(scanJob()).replace('\\"${Time.now}\\"', '\\"$\\{Time.now}\\"');
    const doc = parseJobFile(text);
    assert.deepEqual(
      doc.diagnostics.map((d) => d.code),
      ['json-invalid-escape'],
    );
    assert.ok(!validateJob({ path: 'x.scanjob.json', text }).some((d) => d.code === 'filter-syntax'));
  });
});
