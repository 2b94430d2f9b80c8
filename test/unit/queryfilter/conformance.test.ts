// Every case of the conformance data (test/fixtures/queryfilter-conformance.json) (queryfilter.md §13), data-driven.

import assert from 'node:assert/strict';
import { evaluateFilter, parseFilter, printCanonical } from '../../../src/core/queryfilter';
import { conformance, upstreamOf } from './support';

const data = conformance();

describe('queryfilter conformance: parse', () => {
  for (const c of data.parse) {
    it(`${c.valid ? 'accepts' : 'rejects'} ${JSON.stringify(c.filter).slice(0, 100)}`, () => {
      const r = parseFilter(c.filter);
      assert.equal(r.ok, c.valid, r.ok ? printCanonical(r.ast) : r.error.message);
      if (r.ok) {
        assert.equal(printCanonical(r.ast), c.normalized);
        return;
      }
      const upstream = upstreamOf(c);
      if (upstream) {
        assert.equal(r.error.upstreamKind, upstream.kind);
        assert.equal(r.error.upstreamMessage, upstream.message);
        assert.equal(r.error.httpStatus, upstream.kind === 'JsonException' ? 500 : 400);
      }
      assert.ok(r.error.start >= 0 && r.error.start <= r.error.end && r.error.end <= c.filter.length);
      assert.ok(r.error.message.length > 0 && r.error.code.length > 0);
    });
  }
});

describe('queryfilter conformance: evaluate', () => {
  for (const c of data.evaluate) {
    it(`${JSON.stringify(c.filter).slice(0, 90)} is ${c.expected} (${c.note.split(';').pop()!.trim().slice(0, 60)})`, () => {
      const r = parseFilter(c.filter);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(evaluateFilter(r.ast, c.object), c.expected);
    });
  }
});
