// The differential lane from the command line, for long runs:
//   npx tsx test/differential/run.ts [--seed N|random] [--parse N] [--eval N] [--doubles N] [--show N]
// Exit code 0 when every divergence is documented, 1 otherwise, 2 when Java cannot be used.

import { runLane } from './lane';
import { JavaReference, prepareReference } from './reference';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<number> {
  const seedText = option('seed', 'random');
  const seed = seedText === 'random' ? (Math.random() * 2 ** 32) >>> 0 : Number(seedText);
  const ready = prepareReference();
  if (!ready.ok) {
    console.log(`differential lane skipped: ${ready.reason}`);
    return 2;
  }
  const java = new JavaReference(ready.classpath);
  const started = Date.now();
  try {
    const report = await runLane(java, {
      seed,
      parseCases: Number(option('parse', '1000000')),
      evalCases: Number(option('eval', '250000')),
      doubles: Number(option('doubles', '2000000')),
      showPerKind: Number(option('show', '5')),
      log: (l) => console.log(l),
    });
    console.log(
      `seed ${report.seed}: ${report.parseCases} parse, ${report.evalCases} evaluate, ${report.doubles} doubles in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    for (const [kind, n] of report.documentedCount) console.log(`  documented: ${kind}: ${n}`);
    console.log(`  undocumented divergences: ${report.undocumentedCount}`);
    return report.undocumentedCount === 0 ? 0 : 1;
  } finally {
    java.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(3);
  },
);
