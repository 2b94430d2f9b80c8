// Filter completion from the connected local tenant (runs while c-run's local tenant is up): the
// scanned object's fields come from its /openidm/config/managed schema.
import * as assert from 'node:assert/strict';
import { completionLabels, inspection, scanJob, writeJob } from './support';

describe('filter completion from the connected tenant', () => {
  it("offers the managed object's fields, nested ones included, where a filter starts", async () => {
    assert.equal((await inspection()).activeTenant(), 'local', 'the local tenant should be active here');
    const filter = '/sunset/date pr and ';
    const uri = await writeJob('completionProbe', scanJob({ filter, stateKey: 'probe' }));
    const labels = await completionLabels(uri, filter);
    for (const p of ['/userName', '/mail', '/accountStatus', '/sunset/task-completed', '/probe/started']) {
      assert.ok(labels.includes(p), `${p} missing from ${labels.join(' ')}`);
    }
  });
});
