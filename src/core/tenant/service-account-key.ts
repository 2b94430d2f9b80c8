import { KeyObject, createPrivateKey, sign } from 'node:crypto';
import { AuthError } from './errors';

/**
 * Reads a service-account private key: the JWK AIC lets you download once, or a PEM (fr-config-manager
 * accepts both, peers.md §1.2). The error never quotes the key.
 */
export function readPrivateKey(key: string): KeyObject {
  const text = key.trim();
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as Record<string, unknown>;
      if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string') {
        throw new AuthError('The service-account key is a JWK but not an RSA private key (kty RSA with d)');
      }
      return createPrivateKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    }
    if (text.includes('-----BEGIN')) return createPrivateKey({ key: text, format: 'pem' });
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError('The service-account key could not be read as a JWK or PEM private key');
  }
  throw new AuthError('The service-account key is neither a JWK (JSON) nor a PEM private key');
}

/** A compact RS256 JWT (RFC 7515) over the given claims. */
export function signServiceAccountJwt(key: string, claims: Record<string, unknown>): string {
  const privateKey = readPrivateKey(key);
  const header = { alg: 'RS256', typ: 'JWT' };
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
  return `${input}.${signature}`;
}
