// Resolves the upstream jars and compiles the Java reference (scripts/setup.sh runs this):
//   npx tsx test/differential/prepare.ts
import { prepareReference } from './reference';

const ready = prepareReference();
if (ready.ok) console.log('differential lane: Java reference ready');
else {
  console.log(`differential lane: ${ready.reason}`);
  process.exitCode = 1;
}
