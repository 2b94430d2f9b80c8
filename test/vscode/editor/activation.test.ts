import * as assert from 'node:assert/strict';
import { scanJobsExtension, waitFor } from '../ext';

describe('activation in a workspace with job files', () => {
  // How long is bench/activation.ts's to measure (no timed assertions in tests).
  it('activates on its own, and reports how long activate() took', async () => {
    const ext = scanJobsExtension();
    await waitFor('the extension to activate', () => ext.isActive);
    assert.equal(typeof ext.exports.activationMs, 'number');
    assert.ok(ext.exports.activationMs >= 0);
  });
});
