// The Rhino corpus (test/fixtures/rhino) against each server's script engine (issue 11 §4). On OpenIDM
// every script is compiled and evaluated by its Rhino 1.7.14 (`POST /openidm/script?_action=compile`,
// then `eval`) and must do exactly what observed.json recorded, so the recording the unit side holds
// our rule against stays true. The local tenant has only `compile` (docs/emulator.md), on QuickJS,
// which accepts every script of the corpus, the modern syntax Rhino rejects included.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RHINO_CORPUS, type Outcome } from '../fixtures/rhino/corpus';
import { onServer } from '../fixtures/rhino/engines';
import { forEachTarget } from './support/targets';

const observed = (
  JSON.parse(readFileSync(join(__dirname, '../fixtures/rhino/observed.json'), 'utf8')) as {
    results: Record<string, Outcome>;
  }
).results;

/** What is compared: success and value, or the stage that failed (messages carry Java details). */
const gist = (o: Outcome) => (o.ok ? { ok: true, value: o.value } : { ok: false, stage: o.stage });

forEachTarget('Rhino corpus through the script engine', (t) => {
  it(`runs all ${RHINO_CORPUS.length} scripts as recorded (live OpenIDM) or compiles them all (local tenant)`, async function () {
    this.timeout(300_000);
    const changed: string[] = [];
    for (const script of RHINO_CORPUS) {
      // The live server runs Rhino; every local tenant (either flavour) compiles in QuickJS.
      if (!t.name.startsWith('local tenant')) {
        const live = await onServer(t.url, script.source);
        if (JSON.stringify(gist(live)) !== JSON.stringify(gist(observed[script.id])))
          changed.push(
            `${script.id}: recorded ${JSON.stringify(gist(observed[script.id]))}, now ${JSON.stringify(gist(live))}`,
          );
      } else {
        const reply = await t.http.post<unknown>(
          '/openidm/script',
          { _action: 'compile' },
          { type: 'text/javascript', source: script.source },
        );
        if (reply.status !== 200 || reply.body !== true)
          changed.push(`${script.id}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    }
    assert.deepEqual(changed, []);
  });
});
