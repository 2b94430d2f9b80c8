// Every filter of the conformance list sent to the managed-user query on every server. The expected
// status (and, on the OpenIDM targets, the message) is what a live OpenIDM 6.1.0 answered, recorded in
// data/queryfilter-openidm.json by record-filters.ts: the repository answers too, so the parser's
// verdict is not the oracle (shared openidm/README.md item 9).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { show } from './support/http';
import { forEachTarget } from './support/targets';

interface ObservedCase {
  filter: string;
  /** The CREST parser's verdict in the conformance list. */
  parserValid: boolean;
  /** What the live OpenIDM answered. */
  status: number;
  message?: string;
}

const observed = (
  JSON.parse(readFileSync(join(__dirname, 'data/queryfilter-openidm.json'), 'utf8')) as {
    cases: ObservedCase[];
  }
).cases;

/**
 * A filter the CREST parser accepts but OpenIDM's embedded OrientDB repository refuses (extended
 * operators, odd pointers, values its SQL cannot hold). The AIC default has no such repository: it
 * evaluates these filters like any other (docs/emulator.md, "OpenIDM flavour").
 */
const repositoryAnswer = (c: ObservedCase) => c.parserValid && c.status !== 200;

forEachTarget('query filters over HTTP', (t) => {
  const openidm = t.caps.repository === 'orientdb';
  observed.forEach((c, i) => {
    const expected = !openidm && repositoryAnswer(c) ? 200 : c.status;
    it(`#${i} ${JSON.stringify(c.filter).slice(0, 70)} → ${expected}`, async () => {
      const reply = await t.http.get<{ message?: string }>('/openidm/managed/user', {
        query: { _queryFilter: c.filter, _pageSize: '1' },
      });
      assert.equal(reply.status, expected, `${JSON.stringify(c.filter)}: ${show(reply)}`);
      if (openidm && c.message !== undefined) {
        const message = typeof reply.body === 'string' ? reply.body : (reply.body.message ?? '');
        assert.equal(message, c.message, `${JSON.stringify(c.filter)}: ${show(reply)}`);
      }
    });
  });
});
