// The log API (docs/logs.md): AIC's /monitoring/logs exists on the local tenant and nowhere on
// OpenIDM, whose script lines go to its own log files. The client says which, reading nothing.
import { strict as assert } from 'node:assert';
import { IdmPasswordSignIn, LOCAL_TENANT, TenantTransport } from '../../src/core/tenant';
import { LogClient, RateBudget } from '../../src/core/logs';
import { OPENIDM_ADMIN, forEachTarget } from './support/targets';

forEachTarget('log API', (t) => {
  const open = () =>
    new TenantTransport(t.url, new IdmPasswordSignIn(OPENIDM_ADMIN.user, OPENIDM_ADMIN.password), {
      env: {},
    });

  it('GET /monitoring/logs/sources with a log key: sources on the local tenant, 404 on OpenIDM', async () => {
    const reply = await fetch(`${t.url}/monitoring/logs/sources`, {
      headers: { 'x-api-key': LOCAL_TENANT.logKey.id, 'x-api-secret': LOCAL_TENANT.logKey.secret },
    });
    assert.equal(reply.status, t.caps.logApi ? 200 : 404);
  });

  it('the client calls the logs ready on the local tenant, and says plainly that OpenIDM has none', async () => {
    const transport = open();
    try {
      const a = await new LogClient(transport, LOCAL_TENANT.logKey, {
        budget: new RateBudget(),
      }).availability();
      if (!t.caps.logApi) {
        assert.equal(a.state, 'unsupported');
        assert.match(
          a.state === 'unsupported' ? a.message : '',
          /has no log API.*Self-hosted PingIDM and OpenIDM/,
        );
      } else {
        assert.equal(a.state, 'ready');
      }
    } finally {
      await transport.close();
    }
  });
});
