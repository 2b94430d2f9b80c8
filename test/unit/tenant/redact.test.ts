// redact() on its own: each encoding of a registered secret, written out here by hand, is masked;
// ordinary words are not (docs/security.md "Secrets in every encoding they travel in").
import assert from 'node:assert/strict';
import { redact, registerCredentials } from '../../../src/core/tenant/redact';

describe('redact', () => {
  // user "ops", password `a"b\c é+&` (9 characters).
  registerCredentials('ops', 'a"b\\c é+&');
  const forms: Record<string, string> = {
    raw: 'a"b\\c é+&',
    'JSON-escaped': 'a\\"b\\\\c é+&',
    'JSON-escaped twice': 'a\\\\\\"b\\\\\\\\c é+&',
    '\\u-escaped (lower)': 'a\\"b\\\\c \\u00e9+&',
    '\\u-escaped (upper)': 'a\\"b\\\\c \\u00E9+&',
    'percent-encoded': 'a%22b%5Cc%20%C3%A9%2B%26',
    'percent-encoded, lower-case hex': 'a%22b%5cc%20%c3%a9%2b%26',
    'form-encoded': 'a%22b%5Cc+%C3%A9%2B%26',
    'RFC 5987': "UTF-8''a%22b%5Cc%20%C3%A9%2B%26",
    base64: 'YSJiXGMgw6krJg==',
    'base64 of user:password': 'b3BzOmEiYlxjIMOpKyY=',
  };
  for (const [name, form] of Object.entries(forms)) {
    it(`masks the ${name} form`, () => {
      const out = redact(`before ${form} after`);
      assert.ok(!out.includes(form), out);
      assert.match(out, /^before .*\*\*\*.* after$/);
    });
  }

  it('masks unregistered Basic credentials but not the word after "Basic"', () => {
    assert.equal(
      redact('Basic authentication failed for Basic dXNlcjpwYXNzd29yZA== and basic Zm9vOmJhcjEyMw'),
      'Basic authentication failed for Basic *** and basic ***',
    );
  });
});
