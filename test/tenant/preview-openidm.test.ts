import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { dryRun, previewMatches } from '../../src/core/preview';
import { startPrivateTenant } from '../../src/cli/private-tenant';
import { FaultProxy } from '../support/fault-proxy';
import { sunsetJob } from './support/sunset-users';

// The OpenIDM flavour of the local tenant (OpenIDM 6.1.0 as observed live: managed/user, its
// repository's query rules): preview and dry run need nothing AIC-specific (docs/preview.md "Sources").
describe('preview and dry run with an OpenIDM-flavoured source', function () {
  this.timeout(60_000);
  let source: EmulatorHandle;
  let proxy: FaultProxy;
  let client: TenantClient;

  before(async () => {
    source = await startEmulator({
      port: 0,
      inMemory: true,
      seedUsers: 30,
      flavor: 'openidm',
      log: () => undefined,
    });
    proxy = await FaultProxy.start(source.url);
    client = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
    });
  });
  after(async () => {
    await client.close();
    await proxy.close();
    await source.close();
  });

  it('counts what the tenant’s own unpaged query returns, paging with its cookies, and dry-runs on managed/user', async () => {
    const now = new Date();
    const job = sunsetJob({
      object: 'managed/user',
      filter: '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))',
      script: 'true;',
    });
    const p = await previewMatches(client, job, { now, pageSize: 4 });
    const all = await client.http.request<{ result: unknown[] }>({
      method: 'GET',
      path: '/openidm/managed/user',
      query: { _queryFilter: `((/sunset/date lt "${now.toISOString()}") AND !(/sunset/task-completed pr))` },
    });
    assert.ok(all.body.result.length > 4, 'more than one page');
    assert.equal(p.matched, all.body.result.length);
    assert.equal(p.exact, true);
    const report = await dryRun(client, job, (s) => startPrivateTenant(s, () => undefined), { sample: 3 });
    assert.equal(report.object, 'managed/user');
    assert.deepEqual(report.totals, { processed: 3, successes: 3, failures: 0 });
    assert.deepEqual([...new Set(proxy.log.map((r) => r.method))], ['GET']);
  });
});
