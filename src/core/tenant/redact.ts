/**
 * Secret redaction. Every secret the client handles (passwords, tokens, keys, signed assertions) is
 * registered here the moment it is read, and every error message and log line passes through
 * `redact` before it leaves the tenant layer (DESIGN.md "Errors are for people": secrets never reach
 * a log or an error).
 */
const secrets = new Set<string>();

/** Shorter values would redact ordinary words; no real secret is this short. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  // Bearer tokens and JWT-shaped strings that were never registered (e.g. echoed by a proxy).
  out = out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***');
  out = out.replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '***');
  return out;
}
