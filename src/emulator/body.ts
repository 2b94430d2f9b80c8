/**
 * Request bodies: read within a size limit, parsed as JSON within a nesting limit (idm-api.md §6.1;
 * docs/security.md "Limits"). Both limits answer 4xx with a CREST error body before any of the body
 * reaches a route, so a hostile body can neither exhaust memory nor overflow the stack later on
 * (a 5,000-level body used to end in 500 "Maximum call stack size exceeded").
 */
import type { IncomingMessage } from 'node:http';
import { CrestError } from './crest';

/** The largest request body accepted (bytes); larger ones are 413. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * The deepest nesting of arrays and objects accepted in a JSON body or a script's `openidm.*`
 * argument: Jackson's default `maxNestingDepth` (2.15 and later), the parser the platform reads
 * JSON with. Real objects and jobs nest a handful of levels.
 */
export const MAX_JSON_DEPTH = 1000;

/** The request body as text; over the limit it is 413 (the body is drained, not half-read). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit the rest is read and dropped, so the client still gets the 413.
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(new CrestError(413, `The request body is larger than ${MAX_BODY_BYTES / 1048576} MB`))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** The deepest nesting in JSON text (brackets outside strings), stopping early past `max`. */
export function textDepthOver(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Whether a parsed value nests deeper than `max` (iterative: it must not overflow the stack itself). */
export function valueDepthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** §6.1: JSON bodies only; an empty body is no body. */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return undefined;
  if (contentType && !/^application\/json\b/i.test(contentType.trim())) {
    throw new CrestError(400, `The request body must be application/json, not '${contentType}'`);
  }
  if (textDepthOver(text, MAX_JSON_DEPTH)) {
    throw new CrestError(
      400,
      `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CrestError(
      400,
      `The request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
