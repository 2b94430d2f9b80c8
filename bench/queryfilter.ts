// Parse throughput of the query-filter engine: conformance filters, generated 1 KB and 64 KB filters,
// and adversarial 64 KB inputs; prints the per-byte cost ratio of 64 KB to 1 KB (linear ≈ 1).
// Run: npx tsx bench/queryfilter.ts

import { queryFilterConformance } from '../test/fixtures/conformance';
import { evaluateFilter, expandMacros, lintFilter, parseFilter } from '../src/core/queryfilter';

function conformanceFilters(): string[] {
  return queryFilterConformance().parse.map((c) => c.filter);
}

const clauses = [
  (i: number) => `(/sunset/date lt "2026-01-0${i % 9}T00:00:00.000Z" or /user/${i} pr)`,
  (i: number) => `! (/task-completed/${i} pr)`,
  (i: number) => `/name sw 'al\\'ice${i}'`,
  (i: number) => `/n%20${i} ge ${i}.5e3`,
  (i: number) => `/roles/0 eq "admin" and /age gt ${i}`,
];

/** A realistic filter of at least `bytes` UTF-16 units: varied clauses joined with `and`. */
function generated(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const clause = clauses[i % clauses.length]!(i);
    parts.push(clause);
    length += clause.length + 5;
  }
  return parts.join(' and ');
}

interface Measure {
  perSecond: number;
  mbPerSecond: number;
  nsPerByte: number;
  msPerFilter: number;
}

function measure(filters: string[], budgetMs: number): Measure {
  const bytes = filters.reduce((n, f) => n + f.length, 0);
  for (let i = 0; i < 3; i++) for (const f of filters) parseFilter(f);
  let rounds = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (const f of filters) parseFilter(f);
    rounds++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const seconds = elapsed / 1000;
  return {
    perSecond: (rounds * filters.length) / seconds,
    mbPerSecond: (rounds * bytes) / seconds / 1e6,
    nsPerByte: (elapsed * 1e6) / (rounds * bytes),
    msPerFilter: elapsed / (rounds * filters.length),
  };
}

function row(name: string, m: Measure): void {
  console.log(
    `${name.padEnd(34)} ${Math.round(m.perSecond).toLocaleString('en-US').padStart(12)} filters/s ${m.mbPerSecond
      .toFixed(1)
      .padStart(
        7,
      )} MB/s ${m.nsPerByte.toFixed(2).padStart(7)} ns/byte ${m.msPerFilter.toFixed(4).padStart(9)} ms/filter`,
  );
}

const budget = Number(process.env.BENCH_MS ?? 1000);
const all = conformanceFilters();
const valid = all.filter((f) => parseFilter(f).ok);
const oneKb = generated(1024);
const sixtyFourKb = generated(64 * 1024);
if (!parseFilter(oneKb).ok || !parseFilter(sixtyFourKb).ok)
  throw new Error('generated filters must be valid');

console.log(`node ${process.version}, ${budget} ms per row`);
const typical = measure(valid, budget);
row(`conformance, valid (${valid.length})`, typical);
row(`conformance, all (${all.length})`, measure(all, budget));
const small = measure([oneKb], budget);
const large = measure([sixtyFourKb], budget);
row(`generated ${oneKb.length} B`, small);
row(`generated ${sixtyFourKb.length} B`, large);

const n = 64 * 1024;
const adversarial: [string, string][] = [
  ['64 KB of "("', '('.repeat(n)],
  ['64 KB string of escapes', `/a eq "${'\\"'.repeat(n / 2)}"`],
  ['64 KB pointer of %41', `/${'%41'.repeat(n / 3)} pr`],
  ['64 KB error at the end', `${generated(n)} and /x eq`],
  ['64 KB of spaces and TABs', ' \t'.repeat(n / 2)],
];
for (const [name, text] of adversarial) row(name, measure([text], budget / 2));

/** Milliseconds per call of fn(text), measured for about budgetMs. */
function perCall(fn: (text: string) => unknown, text: string, budgetMs: number): number {
  const warm = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - warm) / 1e6 < budgetMs / 3) fn(text);
  const t0 = process.hrtime.bigint();
  let runs = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e6 < budgetMs) {
    fn(text);
    runs++;
  }
  return Number(process.hrtime.bigint() - t0) / 1e6 / runs;
}

const clock = new Date('2026-01-01T00:00:00Z');
const macroText = (bytes: number) =>
  generated(bytes).replace(/2026-01-0\dT00:00:00.000Z/g, '${Time.now - 1d}');
const others: [string, (t: string) => unknown, string, string][] = [
  ['lintFilter', (t) => lintFilter(t), oneKb, sixtyFourKb],
  ['expandMacros', (t) => expandMacros(t, clock), macroText(1024), macroText(n)],
  ['lintFilter, many macros', (t) => lintFilter(t), macroText(1024), macroText(n)],
  [
    'expandMacros of ${${${…',
    (t) => expandMacros(t, clock),
    '${'.repeat(512) + '}',
    '${'.repeat(n / 2) + '}',
  ],
];
for (const [name, fn, a, b] of others) {
  const small1 = perCall(fn, a, budget / 4) / a.length;
  const large1 = perCall(fn, b, budget / 4) / b.length;
  console.log(
    `${name.padEnd(34)} 64 KB: ${(large1 * b.length).toFixed(3)} ms, per-byte ratio 64 KB / 1 KB ${(large1 / small1).toFixed(2)}`,
  );
}

const object = { sunset: { date: '2025-01-01T00:00:00.000Z' }, name: "al'ice3", roles: ['admin'], age: 40 };
const ast = parseFilter(sixtyFourKb);
if (ast.ok) {
  const t0 = process.hrtime.bigint();
  let runs = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e6 < budget / 2) {
    evaluateFilter(ast.ast, object);
    runs++;
  }
  console.log(
    `evaluate the 64 KB filter (stops at its first false clause): ${(Number(process.hrtime.bigint() - t0) / 1e6 / runs).toFixed(4)} ms`,
  );
}

console.log(
  `per-byte cost ratio 64 KB / 1 KB: ${(large.nsPerByte / small.nsPerByte).toFixed(2)} (linear ≈ 1)`,
);
console.log(`64 KB filter parse: ${large.msPerFilter.toFixed(3)} ms (target < 5 ms)`);
console.log(
  `typical filters: ${Math.round(typical.perSecond).toLocaleString('en-US')} /s (target ≥ 1,000,000)`,
);
