// What a person types as a tenant's address in Add Tenant, completed the way they meant it: a bare
// host gets https:// (AIC and any real PingIDM are served over TLS), a loopback host gets http:// (the
// local tenant and a PingIDM on this machine listen in plain HTTP). The rest — trailing /openidm, /am,
// /platform or /admin cut, credentials in the URL refused — is normalizeBaseUrl's, the same the CLI uses.
import { TenantError } from './errors';
import { normalizeBaseUrl } from './transport';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i;

/** The base URL a profile stores, from what was typed (`tenant.example.com` → `https://tenant.example.com`). */
export function completeBaseUrl(input: string): string {
  const text = input.trim();
  if (!text)
    throw new TenantError('No tenant URL: give one like tenant.example.com or https://tenant.example.com');
  const full = SCHEME.test(text) ? text : `${LOOPBACK.test(text) ? 'http' : 'https'}://${text}`;
  return normalizeBaseUrl(full).href.replace(/\/$/, '');
}

/** The problem with a typed tenant URL, or undefined when completeBaseUrl accepts it. */
export function baseUrlProblem(input: string): string | undefined {
  try {
    completeBaseUrl(input);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A profile name offered for a tenant URL: its first host label (`openam-acme.forgeblocks.com` → `openam-acme`). */
export function suggestTenantName(baseUrl: string): string {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  const first = /^\d+(\.\d+){3}$/.test(host) || host.includes(':') ? host : host.split('.')[0];
  return first.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'tenant';
}

/** The problem with a tenant's name, or undefined; `reserved` names (the local tenant's) are refused. */
export function tenantNameProblem(name: string, reserved: readonly string[] = []): string | undefined {
  const n = name.trim();
  if (!n) return 'A name is needed: it is how commands and the Tenants view refer to this tenant';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n))
    return `'${n}': letters, digits, ".", "_" and "-" only, starting with a letter or digit`;
  if (reserved.includes(n)) return `'${n}' is the local tenant's name; choose another`;
  return undefined;
}
