/**
 * Records what a live OpenIDM answers to every filter of the conformance list on the managed-user
 * query, into test/contract/data/queryfilter-openidm.json: the observed table the contract filter
 * scenarios assert (the parser's verdict is not the oracle for an HTTP status, README item 9).
 * Run: npx tsx test/contract/record-filters.ts test/fixtures/queryfilter-conformance.json <OpenIDM URL>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdmHttp } from './support/http';
import { OPENIDM_ADMIN } from './support/targets';

interface ParseCase {
  filter: string;
  valid: boolean;
}

async function main(): Promise<void> {
  const [source, url] = process.argv.slice(2);
  if (!source || !url) throw new Error('usage: record-filters.ts <queryfilter.json> <OpenIDM URL>');
  const cases = (JSON.parse(readFileSync(source, 'utf8')) as { parse: ParseCase[] }).parse;
  const http = new IdmHttp(url, OPENIDM_ADMIN);
  const version = await http.get<{ productVersion: string }>('/openidm/info/version');
  const observed = [];
  for (const c of cases) {
    const reply = await http.get<{ message?: string }>('/openidm/managed/user', {
      query: { _queryFilter: c.filter, _pageSize: '1' },
    });
    observed.push({
      filter: c.filter,
      parserValid: c.valid,
      status: reply.status,
      ...(reply.status === 200 ? {} : { message: String(reply.body?.message ?? '') }),
    });
  }
  const out = {
    about:
      'HTTP status (and error message) of GET /openidm/managed/user?_queryFilter=<filter>&_pageSize=1 on a live ' +
      `OpenIDM ${version.body.productVersion ?? '?'} with its embedded OrientDB repository, recorded by ` +
      'test/contract/record-filters.ts. parserValid is the CREST parser verdict of the conformance list.',
    cases: observed,
  };
  const file = join(__dirname, 'data/queryfilter-openidm.json');
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  const differ = observed.filter((o) => (o.status === 200) !== o.parserValid);
  console.log(`${observed.length} filters recorded in ${file}; ${differ.length} differ from the parser`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
