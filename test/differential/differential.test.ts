// The differential lane (test/differential/README.md): 200,000 parse and 50,000 evaluation cases, a
// seeded mix of generated filters, corpus filters with random edits and generated objects, plus
// 100,000 doubles through Double.toString, each through src/core/queryfilter and through the released
// Java classes on Java 17. Fails on any divergence docs/queryfilter.md does not document; skipped (with
// the reason) where Java 17 or the upstream jars are not available.

import assert from 'node:assert/strict';
import { JAVA17_LOWER, JAVA17_UPPER } from '../../src/core/queryfilter/java-case-data';
import { javaCaseTables } from './case-table';
import { runLane, type LaneReport } from './lane';
import { JavaReference, prepareReference } from './reference';

const seed = Number(process.env.SCANJOBS_DIFFERENTIAL_SEED ?? 20261129);

describe('query filters against the Java original (differential lane)', function () {
  this.timeout(15 * 60_000);
  let java: JavaReference | undefined;

  before(function () {
    const ready = prepareReference();
    if (!ready.ok) {
      console.log(`  differential lane skipped: ${ready.reason}`);
      this.skip();
    } else java = new JavaReference(ready.classpath);
  });
  after(() => java?.close());

  it('uses the case tables Java 17 has (src/core/queryfilter/java-case-data.ts)', async function () {
    if (!java) return this.skip();
    const t = await javaCaseTables(java);
    assert.equal(JAVA17_UPPER, t.upper, 'regenerate with npx tsx test/differential/case-table.ts');
    assert.equal(JAVA17_LOWER, t.lower, 'regenerate with npx tsx test/differential/case-table.ts');
  });

  it(`parses, prints and evaluates as Java does (seed ${seed})`, async function () {
    if (!java) return this.skip();
    const report: LaneReport = await runLane(java, {
      seed,
      parseCases: 200_000,
      evalCases: 50_000,
      doubles: 100_000,
      showPerKind: 3,
      log: (line) => console.log(`    ${line.replace(/\n/g, '\n    ')}`),
    });
    const documented = [...report.documentedCount].map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(
      `    ${report.parseCases} parse, ${report.evalCases} evaluate, ${report.doubles} doubles; documented divergences: ${documented || 'none'}`,
    );
    assert.ok(report.parseCases >= 200_000 && report.evalCases >= 50_000);
    assert.equal(
      report.undocumentedCount,
      0,
      `undocumented divergences (reproducers above):\n${report.undocumented.map((d) => `${d.kind}: ${JSON.stringify(d.input)}${d.object ? ` on ${d.object}` : ''}: ours ${d.ours}, java ${d.java}`).join('\n')}`,
    );
  });
});
