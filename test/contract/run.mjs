// The contract lane: start OpenIDM once, run the contract scenarios against the local tenant and
// OpenIDM, and always stop OpenIDM afterwards (failure, signal or not). OpenIDM is left out only when
// its artifact cannot be had, and then this prints why (openidm.sh exit code 3).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const script = join(root, 'test/contract/openidm.sh');
const unavailable = join(root, '.cache/openidm/unavailable.txt');
const ARTIFACT_UNAVAILABLE = 3;

function stopOpenIdm() {
  spawnSync('bash', [script, 'stop'], { cwd: root, stdio: 'inherit' });
}

const env = { ...process.env };
let openidmFailed = false;
const started = Date.now();
const start = spawnSync('bash', [script, 'start'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
});
if (start.status === 0) {
  env.SCANJOBS_OPENIDM_URL = start.stdout.trim().split('\n').pop();
  console.log(
    `contract: OpenIDM at ${env.SCANJOBS_OPENIDM_URL}, ready in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
} else if (start.status === ARTIFACT_UNAVAILABLE) {
  const why = existsSync(unavailable)
    ? readFileSync(unavailable, 'utf8').trim()
    : 'openidm.sh gave no reason';
  console.log(`contract: OpenIDM left out of this run, because its artifact cannot be had:\n${why}`);
} else {
  // The artifact is there but the server would not start: that is a failure of this lane.
  console.log(`contract: OpenIDM failed to start (openidm.sh start exited ${start.status ?? start.signal})`);
  openidmFailed = true;
}

const mocha = spawn(
  join(root, 'node_modules/.bin/mocha'),
  ['--config', '.mocharc.json', 'test/contract/**/*.test.ts'],
  { cwd: root, stdio: 'inherit', env },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    mocha.kill(signal);
    stopOpenIdm();
    process.exit(1);
  });
}
mocha.on('exit', (code, signal) => {
  stopOpenIdm();
  process.exit(openidmFailed ? 1 : (code ?? (signal ? 1 : 0)));
});
