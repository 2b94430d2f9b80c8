// Query-filter parse speed side by side with the Java original (issue 13): on each row our parse rate
// and Java's (QueryFilters.parse in the differential lane's JVM, JIT-warm) are measured in interleaved
// repetitions and the medians divided (target: ours ÷ Java ≥ 1.0). Then the worst 64 KB inputs for
// parse, print, lint and evaluate (target: each under 5 ms), ours only.
// Run: npx tsx bench/queryfilter.ts   (BENCH_MS per measurement, default 500; BENCH_REPS, default 7)

import { buildSync } from 'esbuild';
import path from 'node:path';
import { queryFilterConformance } from '../test/fixtures/conformance';
import { Random } from '../test/differential/generate';
import { JavaReference, prepareReference } from '../test/differential/reference';

// The engine as it ships: bundled by esbuild with the options of scripts/build.mjs (CommonJS, node20).
// Run from source through tsx, every cross-module call goes through an export getter, which costs a
// third of the parse time and is not what users run.
const bundle = path.resolve(__dirname, '..', '.cache', 'bench', 'queryfilter.cjs');
buildSync({
  entryPoints: [path.resolve(__dirname, '..', 'src', 'core', 'queryfilter', 'index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  logLevel: 'error',
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engine = require(bundle) as typeof import('../src/core/queryfilter');
const { evaluateFilter, expandMacros, lintFilter, parseFilter, printCanonical, printReadable } = engine;

const budget = Number(process.env.BENCH_MS ?? 500);
const reps = Number(process.env.BENCH_REPS ?? 7);

const sunsetPublished = '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))';
const sunsetSubstituted = '((/sunset/date lt "2026-11-29T16:45:00.000Z") AND !(/sunset/task-completed pr))';

/** Filters of 50–500 characters as people write them: pointers, quoted strings, ISO dates, numbers. */
export function realistic(count: number, seed: number): string[] {
  const r = new Random(seed);
  const fields = [
    '/sunset/date',
    '/sunrise/date',
    '/mail',
    '/userName',
    '/accountStatus',
    '/roles/0',
    '/manager/_ref',
    '/custom_lastLogin',
    '/task-completed',
    '/effectiveAssignments',
    '/preferences/marketing',
    '/address/postalCode',
  ];
  const date = () =>
    `"20${20 + r.int(10)}-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}T${String(r.int(24)).padStart(2, '0')}:00:00.000Z"`;
  const clause = (): string => {
    const k = r.int(8);
    const f = r.pick(fields);
    if (k === 0) return `${f} pr`;
    if (k === 1) return `!(${f} pr)`;
    if (k < 4) return `${f} ${r.pick(['lt', 'le', 'gt', 'ge'])} ${date()}`;
    if (k < 6)
      return `${f} ${r.pick(['eq', 'co', 'sw'])} "${r.pick(['active', 'inactive', 'admin', 'example.com', 'alice', 'x-openidm'])}"`;
    if (k < 7) return `${f} ${r.pick(['eq', 'gt'])} ${r.int(1000)}`;
    return `${f} eq ${r.pick(['true', 'false'])}`;
  };
  const out: string[] = [];
  while (out.length < count) {
    const target = 50 + r.int(451);
    let text = clause();
    while (text.length < target) {
      const next = clause();
      text = r.chance(0.3)
        ? `(${text}) ${r.pick(['or', 'OR'])} ${next}`
        : `${text} ${r.pick(['and', 'AND'])} ${next}`;
    }
    if (text.length <= 500) out.push(text);
  }
  return out;
}

/** A realistic filter of at least `size` characters: the same clauses joined with `and`. */
export function sized(size: number): string {
  const parts = realistic(400, 7);
  let text = parts[0]!;
  for (let i = 1; text.length < size; i++) text += ` and (${parts[i % parts.length]})`;
  return text;
}

/** Parses per second of this process's CPU time (user + system), over about `ms` of wall time. */
function oursRate(filters: string[], ms: number): number {
  let rounds = 0;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  do {
    for (const f of filters) parseFilter(f);
    rounds++;
  } while (Number(process.hrtime.bigint() - start) / 1e6 < ms);
  const cpu = process.cpuUsage(cpu0);
  return (rounds * filters.length) / ((cpu.user + cpu.system) / 1e6);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function sideBySide(java: JavaReference | undefined): Promise<void> {
  const conformanceValid = queryFilterConformance()
    .parse.map((c) => c.filter)
    .filter((f) => parseFilter(f).ok);
  const rows: [string, string[]][] = [
    ['published sunset filter (with ${Time.now})', [sunsetPublished]],
    ['published sunset filter, substituted', [sunsetSubstituted]],
    ['realistic 50–500 chars (200 filters)', realistic(200, 1)],
    [`conformance, the ${conformanceValid.length} valid`, conformanceValid],
    ['1 KB filter', [sized(1024)]],
    ['64 KB filter', [sized(64 * 1024)]],
  ];
  for (const [, fs] of rows)
    for (const f of fs) if (!parseFilter(f).ok) throw new Error(`bench filter invalid: ${f}`);
  console.log(
    `\nParse rate, filters per CPU second (each side's process CPU time, GC and JIT included), medians of ${reps} interleaved repetitions of ${budget} ms each side`,
  );
  console.log(
    `${'Input'.padEnd(44)} ${'ours'.padStart(12)} ${'Java 17'.padStart(12)} ${'ours ÷ Java'.padStart(12)}`,
  );
  // Warm Java's JIT on every row for a few seconds before anything is timed, so that later rows do
  // not profit from earlier rows' compilation (the Java rates of a first run moved by up to 70% without).
  if (java) for (const [, filters] of rows) await java.one({ op: 'bench', f: filters, ms: budget * 4 });
  for (const [name, filters] of rows) {
    // warm both sides before the timed repetitions of this row
    oursRate(filters, budget);
    if (java) await java.one({ op: 'bench', f: filters, ms: budget * 2 });
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < reps; i++) {
      ours.push(oursRate(filters, budget));
      if (java)
        theirs.push(
          (await java.one<{ perCpuSecond: number }>({ op: 'bench', f: filters, ms: budget })).perCpuSecond,
        );
    }
    const o = median(ours);
    const j = java ? median(theirs) : NaN;
    console.log(
      `${name.padEnd(44)} ${fmt(o).padStart(12)} ${(java ? fmt(j) : '—').padStart(12)} ${(java ? (o / j).toFixed(2) + '×' : '—').padStart(12)}`,
    );
  }
}

/**
 * CPU milliseconds per call (process user + system time), median of `reps` runs of about budget/4 ms
 * each, after an untimed run of `budget` ms: the steady state, as for the side-by-side rows. (The fast
 * path takes every earlier input, so the full parser is cold when an input with an error first
 * reaches it; its first calls are slower while V8 compiles it.)
 */
function perCall(fn: () => unknown): number {
  const samples: number[] = [];
  for (let warm = process.hrtime.bigint(); Number(process.hrtime.bigint() - warm) / 1e6 < budget;) fn();
  for (let r = 0; r < reps; r++) {
    let runs = 0;
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    do {
      fn();
      runs++;
    } while (Number(process.hrtime.bigint() - t0) / 1e6 < budget / 4);
    const cpu = process.cpuUsage(cpu0);
    samples.push((cpu.user + cpu.system) / 1000 / runs);
  }
  return median(samples);
}

function worstCases(): void {
  const n = 64 * 1024;
  const hexDigits = '0x1' + '0'.repeat(n - 40) + '.0p-99999999999999';
  const inputs: [string, string][] = [
    ['realistic 64 KB filter', sized(n)],
    ['64 KB of "("', '('.repeat(n)],
    ['63 nested ( around 64 KB', '('.repeat(63) + sized(n - 200) + ')'.repeat(63)],
    ['64 KB string of \\" escapes', `/a co "${'\\"'.repeat(n / 2 - 8)}"`],
    ['64 KB pointer of %ED%A0%80', `/${'%ED%A0%80'.repeat(n / 9 - 1)} pr`],
    ['64 KB pointer of é (NFC + encode)', `/${'e\u0301'.repeat(n / 2 - 4)} pr`],
    ['64 KB hex float', `/a eq ${hexDigits}`],
    ['64 KB decimal float', `/a eq 0.${'1'.repeat(n - 10)}e-5`],
    ['64 KB Unicode-digit integer', `/a eq ${'\u0661'.repeat(n - 8)}`],
    ['64 KB of " and /x eq" (error at the end)', `${sized(n - 20)} and /x eq`],
    ['the same in ( … ) (error at the end)', `(${sized(n - 20)} and /x eq)`],
    ['64 KB, `ſw` first (Java case folding)', `/a ſw "x" and ${sized(n - 20)}`],
    ['64 KB string never closed', `/a eq "${'x'.repeat(n - 8)}`],
    ['64 KB pointer, bad escape at its end', `/${'a'.repeat(n - 8)}%G1 pr`],
    ['64 KB number, bad at its end', `/a eq ${'1'.repeat(n - 8)}x`],
    ['64 KB string, then a tab', `/a eq "${'x'.repeat(n - 12)}"\tand /b pr`],
    ['64 KB of ${ macros', '${'.repeat(n / 2)],
    ['64 KB co on a 64 KB string', `/a co "${'Σa'.repeat(n / 4 - 6)}"`],
  ];
  const object = { a: 'Σa'.repeat(n / 4), sunset: { date: '2025-01-01T00:00:00.000Z' }, mail: 'x' };
  const clock = new Date('2026-01-01T00:00:00Z');
  console.log('\nWorst 64 KB inputs, CPU ms per call (median; target < 5 ms each)');
  console.log(
    `${'Input'.padEnd(44)} ${'parse'.padStart(7)} ${'print'.padStart(7)} ${'lint'.padStart(7)} ${'macros'.padStart(7)} ${'eval'.padStart(7)}`,
  );
  for (const [name, text] of inputs) {
    const parsed = parseFilter(text);
    const parse = perCall(() => parseFilter(text));
    const print = parsed.ok ? perCall(() => (printCanonical(parsed.ast), printReadable(parsed.ast))) : NaN;
    const lint = perCall(() => lintFilter(text));
    const macros = perCall(() => expandMacros(text, clock));
    const evaluate = parsed.ok ? perCall(() => evaluateFilter(parsed.ast, object)) : NaN;
    const cell = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3)).padStart(7);
    console.log(
      `${name.padEnd(44)} ${cell(parse)} ${cell(print)} ${cell(lint)} ${cell(macros)} ${cell(evaluate)}`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}`);
  const ready = prepareReference();
  let java: JavaReference | undefined;
  if (ready.ok) {
    java = new JavaReference(ready.classpath);
    const info = await java.one<{ java: string; vm: string }>({ op: 'info' });
    console.log(`Java ${info.java} (${info.vm}), one JVM, same machine, same run`);
  } else console.log(`Java side not measured: ${ready.reason}`);
  try {
    await sideBySide(java);
    worstCases();
  } finally {
    java?.close();
  }
}

if (require.main === module) void main();
