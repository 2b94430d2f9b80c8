// JSON pointers in the draft-02 percent-encoded form (queryfilter.md §5, JsonPointer + java.net.URI).

/** ASCII characters java.net.URI accepts in a fragment: unreserved, reserved, and `%` for escapes (checked apart). */
const legalAscii = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'();/?:@&=+$,[]") {
  legalAscii[c.charCodeAt(0)] = 1;
}

const spaceChar = /[\p{Zs}\p{Zl}\p{Zp}]/u;

/** Per BMP unit: 0 not yet known, 1 no, 2 yes (the regex is asked once per unit). */
const spaceOrControl = new Uint8Array(65536);

/** Character.isSpaceChar || Character.isISOControl, for a unit >= 0x80. */
function isSpaceOrControl(c: number): boolean {
  if (c <= 0x9f) return true;
  let known = spaceOrControl[c]!;
  if (known === 0) known = spaceOrControl[c] = spaceChar.test(String.fromCharCode(c)) ? 2 : 1;
  return known === 2;
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

export interface PointerProblem {
  /** URISyntaxException.getMessage(), e.g. `Illegal character in fragment at index 2: #a{b}`. */
  upstreamMessage: string;
  malformedEscape: boolean;
  /** Offset inside the pointer token of the offending character. */
  offset: number;
}

export type PointerParse = { ok: true; segments: string[] } | { ok: false; problem: PointerProblem };

/**
 * `new JsonPointer(token)`: split on `/` keeping empties, drop an empty first and an empty last
 * segment, decode each with `new URI("#" + seg).getFragment()` [JP L48-62, L108-114].
 */
/** A pointer of legal ASCII only, no `%`: its segments are plain slices (the common case). */
const plainPointer = /^[A-Za-z0-9\-_.!~*'();/?:@&=+$,[\]]*$/;

export function parsePointerToken(token: string): PointerParse {
  if (plainPointer.test(token)) return { ok: true, segments: splitPlain(token) };
  const segments: string[] = [];
  const n = token.length;
  let segStart = 0;
  let first = true;
  // One pass: split on `/` and check each character; a segment with a `%` or a non-ASCII character
  // goes through the full check and decoding, a plain ASCII one is a slice.
  let plain = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? token.charCodeAt(i) : 47;
    if (c !== 47) {
      if (c >= 128 || c === 37 || !legalAscii[c]) plain = false;
      continue;
    }
    const isLast = i === n;
    if (!((first || isLast) && i === segStart)) {
      if (plain) segments.push(token.slice(segStart, i));
      else {
        const decoded = decodeSegment(token, segStart, i);
        if (typeof decoded !== 'string') return { ok: false, problem: decoded };
        segments.push(decoded);
      }
    }
    first = false;
    plain = true;
    segStart = i + 1;
  }
  return { ok: true, segments };
}

/** `/`-separated segments, an empty first and an empty last one dropped (§5), by native search. */
function splitPlain(token: string): string[] {
  const segments: string[] = [];
  const n = token.length;
  let from = 0;
  if (n === 0) return segments;
  for (;;) {
    const slash = token.indexOf('/', from);
    const end = slash < 0 ? n : slash;
    // an empty segment is dropped when it is the first (a leading `/`) or the last (a trailing one)
    if (end > from || (from !== 0 && slash >= 0)) segments.push(token.slice(from, end));
    if (slash < 0) return segments;
    from = slash + 1;
    if (from === n) return segments;
  }
}

function decodeSegment(token: string, start: number, end: number): string | PointerProblem {
  let hasPercent = false;
  for (let i = start; i < end; i++) {
    const c = token.charCodeAt(i);
    if (c < 128) {
      if (legalAscii[c]) continue;
      if (c === 37) {
        if (i + 2 < end && isHex(token.charCodeAt(i + 1)) && isHex(token.charCodeAt(i + 2))) {
          hasPercent = true;
          i += 2;
          continue;
        }
        return fail('Malformed escape pair', token, start, end, i, true);
      }
      return fail('Illegal character in fragment', token, start, end, i, false);
    }
    // URI.scanEscape: "c > 128", so U+0080 itself is illegal, as are spaces and ISO controls.
    if (c === 128 || isSpaceOrControl(c))
      return fail('Illegal character in fragment', token, start, end, i, false);
  }
  const seg = token.slice(start, end);
  return hasPercent ? percentDecode(seg) : seg;
}

function fail(
  reason: string,
  token: string,
  start: number,
  end: number,
  at: number,
  malformedEscape: boolean,
): PointerProblem {
  const input = '#' + token.slice(start, end);
  const index = at - start + 1;
  return { upstreamMessage: `${reason} at index ${index}: ${input}`, malformedEscape, offset: at };
}

/**
 * URI.getFragment's decoding: each run of %XX is decoded as UTF-8 by Java's own decoder with malformed
 * input replaced by one U+FFFD per malformed unit as Java measures it (sun.nio.cs.UTF_8). That differs
 * from the WHATWG decoder JavaScript has: Java reads ED A0..BF xx as one 3-byte sequence and then
 * rejects the surrogate it encodes (one U+FFFD for 3 bytes, where WHATWG gives three), and a truncated
 * sequence at the end of a run is one U+FFFD for all its bytes. (Since JDK-8037396 the fragment is
 * decoded even between `[` and `]`.)
 */
function percentDecode(s: string): string {
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const next = s.indexOf('%', i);
    if (next < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, next);
    i = next;
    const bytes: number[] = [];
    while (i < n && s.charCodeAt(i) === 37) {
      bytes.push(hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2)));
      i += 3;
    }
    out += decodeUtf8Java(bytes);
  }
  return out;
}

const REPLACEMENT = '\ufffd';
const isCont = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

/** One run of bytes through Java's UTF-8 decoder with CodingErrorAction.REPLACE, at end of input. */
export function decodeUtf8Java(bytes: readonly number[]): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b1 = bytes[i]!;
    const left = n - i;
    if (b1 < 0x80) {
      out += String.fromCharCode(b1);
      i++;
    } else if (b1 >= 0xc2 && b1 <= 0xdf) {
      if (left < 2) {
        out += REPLACEMENT; // truncated at the end: one replacement for what is left
        i = n;
      } else if (!isCont(bytes[i + 1])) {
        out += REPLACEMENT;
        i++;
      } else {
        out += String.fromCharCode(((b1 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f));
        i += 2;
      }
    } else if (b1 >= 0xe0 && b1 <= 0xef) {
      const b2 = bytes[i + 1];
      const badSecond = (b: number | undefined) => !isCont(b) || (b1 === 0xe0 && (b! & 0xe0) === 0x80);
      if (left < 3) {
        if (left > 1 && badSecond(b2)) {
          out += REPLACEMENT;
          i++;
        } else {
          out += REPLACEMENT;
          i = n;
        }
        continue;
      }
      const b3 = bytes[i + 2];
      if (badSecond(b2) || !isCont(b3)) {
        out += REPLACEMENT;
        i += badSecond(b2) ? 1 : 2;
        continue;
      }
      const c = ((b1 & 0x0f) << 12) | ((b2! & 0x3f) << 6) | (b3! & 0x3f);
      out += c >= 0xd800 && c <= 0xdfff ? REPLACEMENT : String.fromCharCode(c);
      i += 3;
    } else if (b1 >= 0xf0 && b1 <= 0xf7) {
      const b2 = bytes[i + 1];
      const badSecond = (b: number | undefined) =>
        b1 > 0xf4 ||
        !isCont(b) ||
        (b1 === 0xf0 && (b! < 0x90 || b! > 0xbf)) ||
        (b1 === 0xf4 && (b! & 0xf0) !== 0x80);
      if (left < 4) {
        if (b1 > 0xf4 || (left > 1 && badSecond(b2))) {
          out += REPLACEMENT;
          i++;
        } else if (left > 2 && !isCont(bytes[i + 2])) {
          out += REPLACEMENT;
          i += 2;
        } else {
          out += REPLACEMENT;
          i = n;
        }
        continue;
      }
      const b3 = bytes[i + 2]!;
      const b4 = bytes[i + 3]!;
      const cp = ((b1 & 0x07) << 18) | ((b2! & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
      if (!isCont(b2) || !isCont(b3) || !isCont(b4) || cp < 0x10000 || cp > 0x10ffff) {
        out += REPLACEMENT;
        i += badSecond(b2) ? 1 : !isCont(b3) ? 2 : 3;
        continue;
      }
      out += String.fromCodePoint(cp);
      i += 4;
    } else {
      out += REPLACEMENT;
      i++;
    }
  }
  return out;
}

const hexDigits = '0123456789ABCDEF';

/** `%XX` for every byte value. */
const PCT: string[] = Array.from({ length: 256 }, (_, x) => '%' + hexDigits[x >> 4]! + hexDigits[x & 15]!);

/** %XX for each UTF-8 byte of the code point (a lone surrogate has none: the caller replaced it). */
function escapeCodePoint(cp: number): string {
  if (cp < 0x80) return PCT[cp]!;
  if (cp < 0x800) return PCT[0xc0 | (cp >> 6)]! + PCT[0x80 | (cp & 63)]!;
  if (cp < 0x10000) return PCT[0xe0 | (cp >> 12)]! + PCT[0x80 | ((cp >> 6) & 63)]! + PCT[0x80 | (cp & 63)]!;
  return (
    PCT[0xf0 | (cp >> 18)]! +
    PCT[0x80 | ((cp >> 12) & 63)]! +
    PCT[0x80 | ((cp >> 6) & 63)]! +
    PCT[0x80 | (cp & 63)]!
  );
}

function escapeUtf8(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    out += escapeCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
  }
  return out;
}

/**
 * JsonPointer.toString (§5, §6): `/` + each segment through
 * `new URI(null,null,null,null,seg).toASCIIString().substring(1)` with `/` as `%2F`; the root is `/`.
 */
export function canonicalPointer(segments: readonly string[]): string {
  if (segments.length === 0) return '/';
  let out = '';
  for (const seg of segments) out += '/' + canonicalSegment(seg);
  return out;
}

/** ASCII units a canonical segment keeps as they are (legal, not `/`, not `%`), and a readable one (not `(`, `)`, `'` either). */
const canonicalPlain = new Uint8Array(128);
const readablePlain = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  canonicalPlain[c] = legalAscii[c] && c !== 47 && c !== 37 ? 1 : 0;
  readablePlain[c] = canonicalPlain[c] && c !== 40 && c !== 41 && c !== 39 ? 1 : 0;
}

/** True when every unit of seg is ASCII that `table` keeps as it is. */
function plainSegment(seg: string, table: Uint8Array): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c >= 128 || !table[c]) return false;
  }
  return true;
}

function canonicalSegment(seg: string): string {
  if (plainSegment(seg, canonicalPlain)) return seg;
  // URI.quote: illegal ASCII as %XX; non-ASCII spaces and controls as UTF-8 escapes; other non-ASCII kept.
  // Unchanged runs are copied as slices, so a long segment is not rebuilt one unit at a time.
  let quoted = '';
  let nonAscii = false;
  let from = 0;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    let escaped: string | undefined;
    if (c < 128) {
      if (c === 47) escaped = '%2F';
      else if (!legalAscii[c]) escaped = PCT[c]!;
    } else if (isSpaceOrControl(c)) escaped = escapeUtf8(seg[i]!);
    else nonAscii = true;
    if (escaped !== undefined) {
      quoted += seg.slice(from, i) + escaped;
      from = i + 1;
    }
  }
  quoted += seg.slice(from);
  if (!nonAscii) return quoted;
  // URI.encode: NFC, then every non-ASCII byte of the UTF-8 form as %XX. A lone surrogate has no
  // UTF-8 form; the encoder's replacement is `?`.
  const nfc = quoted
    .normalize('NFC')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?');
  let out = '';
  let run = 0;
  for (let i = 0; i < nfc.length; i++) {
    const c = nfc.charCodeAt(i);
    if (c < 128) continue;
    const cp = nfc.codePointAt(i)!;
    out += nfc.slice(run, i) + escapeCodePoint(cp);
    if (cp > 0xffff) i++;
    run = i + 1;
  }
  return out + nfc.slice(run);
}

/**
 * A pointer token that re-parses to exactly these segments and stays one word token: `(`, `)` and `'`
 * are legal in a URI fragment but would end or start a token, so they are escaped too. A trailing empty segment needs one extra `/` (the last empty one is dropped).
 */
export function readablePointer(segments: readonly string[]): string {
  if (segments.length === 0) return '/';
  let out = '';
  for (const seg of segments) {
    out += '/';
    if (plainSegment(seg, readablePlain)) {
      out += seg;
      continue;
    }
    for (let i = 0; i < seg.length; i++) {
      const c = seg.charCodeAt(i);
      if (c < 128) {
        if (legalAscii[c] && c !== 47 && c !== 40 && c !== 41 && c !== 39) out += seg[i];
        else out += '%' + hexDigits[c >> 4] + hexDigits[c & 15];
      } else if (c === 128 || isSpaceOrControl(c)) out += escapeUtf8(seg[i]!);
      else out += seg[i];
    }
  }
  if (segments[segments.length - 1] === '') out += '/';
  return out;
}
