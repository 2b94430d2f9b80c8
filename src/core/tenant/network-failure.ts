import type { NetworkFailure } from './errors';

const TLS_CODES =
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL|EPROTO)/;

/** Finds the most telling error code in an undici error and its causes. */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  let best: string | undefined;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      // A system code (ECONNREFUSED, ENOTFOUND, a TLS code) says more than undici's wrapper code.
      if (!best || !code.startsWith('UND_ERR')) best = code;
      if (!code.startsWith('UND_ERR')) return code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return best;
}

/** Classifies a transport error so the message can say what failed (DNS, refused, TLS, timeout). */
export function classifyFailure(err: unknown): NetworkFailure {
  const code = errorCode(err) ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'refused';
  if (TLS_CODES.test(code)) return 'tls';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'connect-timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    code === 'UND_ERR_CLOSED' ||
    code === 'ECONNABORTED'
  ) {
    return 'dropped';
  }
  return 'other';
}
