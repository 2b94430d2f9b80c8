// Every conformance filter sent to the managed-user query on every server: the HTTP status must be
// the one the parser predicts (queryfilter.md §7: 400 for IllegalArgumentException, 500 for
// JsonException), and the parser must agree with the conformance verdict.
import { strict as assert } from 'node:assert';
import { parseFilter } from '../../src/core/queryfilter/index';
import { queryFilterConformance } from '../fixtures/conformance';
import { show } from './support/http';
import { forEachTarget } from './support/targets';

interface ParseCase {
  filter: string;
  valid: boolean;
  note?: string;
}

const cases: ParseCase[] = queryFilterConformance().parse;

/** Filters whose HTTP status differed from the parser's verdict, printed once per server. */
forEachTarget('query filters over HTTP', (t) => {
  const differences: string[] = [];
  after(() => {
    if (differences.length)
      console.log(
        `\n${t.name}: ${differences.length} filter(s) differ from the parser:\n  ${differences.join('\n  ')}`,
      );
  });

  cases.forEach((c, i) => {
    it(`#${i} ${JSON.stringify(c.filter).slice(0, 70)} → ${c.valid ? 'accepted' : 'rejected'}`, async () => {
      const verdict = parseFilter(c.filter);
      assert.equal(
        verdict.ok,
        c.valid,
        `the parser disagrees with the conformance file on ${JSON.stringify(c.filter)}`,
      );
      const expected = verdict.ok ? 200 : (verdict.error?.httpStatus ?? 400);
      const reply = await t.http.get('/openidm/managed/user', {
        query: { _queryFilter: c.filter, _pageSize: '1' },
      });
      if (reply.status !== expected)
        differences.push(`${JSON.stringify(c.filter)}: HTTP ${reply.status}, parser ${expected}`);
      assert.equal(reply.status, expected, `${JSON.stringify(c.filter)}: ${show(reply)}`);
    });
  });
});
