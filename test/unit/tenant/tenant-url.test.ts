// Add Tenant's URL completion and name checks (core/tenant/tenant-url): what people type, what is saved.
import assert from 'node:assert/strict';
import {
  baseUrlProblem,
  completeBaseUrl,
  suggestTenantName,
  tenantNameProblem,
} from '../../../src/core/tenant/tenant-url';

describe('completeBaseUrl', () => {
  it('adds https:// to a bare host, and keeps a scheme that was typed', () => {
    assert.equal(completeBaseUrl('tenant.example.com'), 'https://tenant.example.com');
    assert.equal(completeBaseUrl('  openam-acme.forgeblocks.com/  '), 'https://openam-acme.forgeblocks.com');
    assert.equal(completeBaseUrl('idm.corp.example:8443'), 'https://idm.corp.example:8443');
    assert.equal(completeBaseUrl('http://idm.corp.example:8080'), 'http://idm.corp.example:8080');
    assert.equal(completeBaseUrl('HTTPS://Tenant.Example.com'), 'https://tenant.example.com');
  });

  it('adds http:// to a loopback host (the local tenant, a PingIDM on this machine)', () => {
    assert.equal(completeBaseUrl('localhost:8080'), 'http://localhost:8080');
    assert.equal(completeBaseUrl('127.0.0.1:41234'), 'http://127.0.0.1:41234');
    assert.equal(completeBaseUrl('[::1]:9000'), 'http://[::1]:9000');
    assert.equal(completeBaseUrl('https://localhost:8443'), 'https://localhost:8443');
    // a host that only starts like a loopback name is not one
    assert.equal(completeBaseUrl('localhost.example.com'), 'https://localhost.example.com');
  });

  it('cuts the console and service paths people paste, as the CLI does', () => {
    assert.equal(completeBaseUrl('tenant.example.com/platform/'), 'https://tenant.example.com');
    assert.equal(completeBaseUrl('tenant.example.com/am'), 'https://tenant.example.com');
    assert.equal(completeBaseUrl('localhost:8080/openidm'), 'http://localhost:8080');
    assert.equal(completeBaseUrl('https://tenant.example.com/admin?x=1#y'), 'https://tenant.example.com');
    assert.equal(completeBaseUrl('https://gw.example.com/idm/openidm'), 'https://gw.example.com/idm');
  });

  it('refuses credentials in the URL, without repeating the password', () => {
    for (const typed of ['admin:s3cret@tenant.example.com', 'https://admin:s3cret@tenant.example.com']) {
      const problem = baseUrlProblem(typed);
      assert.ok(problem, typed);
      assert.match(problem, /holds a user name or password/);
      assert.ok(!problem.includes('s3cret'), problem);
    }
  });

  it('names what is wrong with other input', () => {
    assert.match(baseUrlProblem('') ?? '', /No tenant URL/);
    assert.match(baseUrlProblem('ftp://tenant.example.com') ?? '', /not an http\(s\) URL/);
    assert.match(baseUrlProblem('tenant example.com') ?? '', /is not a URL/);
    assert.equal(baseUrlProblem('tenant.example.com'), undefined);
  });
});

describe('tenant names', () => {
  it('suggests the first host label, or the whole loopback address', () => {
    assert.equal(suggestTenantName('https://openam-acme.forgeblocks.com'), 'openam-acme');
    assert.equal(suggestTenantName('http://127.0.0.1:8080'), '127.0.0.1');
    assert.equal(suggestTenantName('http://localhost:8080'), 'localhost');
  });

  it('refuses empty, ill-formed and reserved names, naming the problem', () => {
    assert.match(tenantNameProblem('  ') ?? '', /A name is needed/);
    assert.match(tenantNameProblem('my tenant') ?? '', /'my tenant': letters, digits/);
    assert.match(tenantNameProblem('-x') ?? '', /starting with a letter or digit/);
    assert.match(tenantNameProblem('local', ['local']) ?? '', /'local' is the local tenant's name/);
    assert.equal(tenantNameProblem('prod-idm', ['local']), undefined);
  });
});
