/**
 * Secret redaction. Every secret the client handles (passwords, tokens, keys, signed assertions) is
 * registered here the moment it is read, and every error message and log line passes through
 * `redact` before it leaves the tenant layer (DESIGN.md "Errors are for people": secrets never reach
 * a log or an error).
 *
 * A secret comes back in the form it was sent or shown in, not only raw: a server that echoes request
 * headers puts a password with `"` or `\` JSON-escaped into its JSON message, a non-ASCII password in
 * the RFC 5987 percent-encoding the IDM headers carry it in, and our own `--json` output escapes it
 * once more. So each secret is registered with every encoding it can travel in (docs/security.md
 * "Client, CLI and job files").
 */
const secrets = new Set<string>();
/** The registered forms, longest first, so a longer form is never half-replaced by a shorter one. */
let forms: string[] = [];

/** Shorter values would redact ordinary words; no real secret is this short. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  const all = new Set(forms);
  for (const form of encodings(value)) if (form.length >= MIN_SECRET_LENGTH) all.add(form);
  forms = [...all].sort((a, b) => b.length - a.length);
}

/**
 * A user and password pair: the password on its own, and `base64(user:password)`, the form HTTP Basic
 * credentials (a proxy URL's, or a gateway's that turns IDM headers into Basic) travel in.
 */
export function registerCredentials(username: string, password: string): void {
  registerSecret(password);
  if (password.length < MIN_SECRET_LENGTH) return;
  const pair = Buffer.from(`${username}:${password}`, 'utf8');
  registerSecret(pair.toString('base64'));
  registerSecret(pair.toString('base64url'));
}

/** Every form a secret may be sent or printed in. */
export function encodings(value: string): string[] {
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  // Servers that escape every non-ASCII character in JSON (`\u00e9`), upper- or lower-case hex.
  const asciiJson = (s: string) =>
    json(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const percent = encodeURIComponent(value);
  const out = [
    value,
    json(value),
    json(json(value)), // an echoed JSON message inside our own JSON output
    asciiJson(value),
    asciiJson(value).replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`),
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    new URLSearchParams({ v: value }).toString().slice(2), // form bodies: space as '+'
    `UTF-8''${percent}`, // the RFC 5987 header value IdmPasswordSignIn sends
    Buffer.from(value, 'utf8').toString('base64'),
    Buffer.from(value, 'utf8').toString('base64url'),
  ];
  return out;
}

export function redact(text: string): string {
  let out = text;
  for (const s of forms) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  // Bearer tokens and JWT-shaped strings that were never registered (e.g. echoed by a proxy).
  out = out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***');
  // Basic credentials are base64: a word such as "Basic authentication" has no digit, '+', '/' or '='.
  out = out.replace(/\b(Basic\s+)(?=[A-Za-z_-]*[0-9+/=])[A-Za-z0-9+/=_-]{8,}/gi, '$1***');
  out = out.replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '***');
  return out;
}
