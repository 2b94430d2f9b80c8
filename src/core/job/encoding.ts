// The encoding of a job file, read from its bytes the way the platform's JSON reader does: Jackson's
// ByteSourceJsonBootstrapper (jackson-core, which IDM reads JSON with) skips a UTF-8 byte-order mark
// and detects UTF-16 and UTF-32 from a BOM or from the pattern of zero bytes (RFC 4627 §3). Checked
// with jackson-core 2.15.4: a UTF-8 BOM, UTF-16 LE with BOM and UTF-16 BE without one all parse; a
// U+FEFF inside an already decoded string does not (docs/security.md "Client, CLI and job files").
import { JobDiagnostic } from './types';

export type FileEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export interface DecodedFile {
  /** The text, without a byte-order mark. */
  text: string;
  encoding: FileEncoding;
  /** True when the file began with a byte-order mark. */
  bom: boolean;
  /** The byte offset of the first byte that is not valid in the encoding, if any. */
  invalidAt?: number;
}

const NAMES: Record<FileEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'utf-32le': 'UTF-32 LE',
  'utf-32be': 'UTF-32 BE',
};

export function encodingName(e: FileEncoding): string {
  return NAMES[e];
}

/** The encoding from a byte-order mark, else from where the zero bytes of `{`/`[` fall. */
function detect(b: Uint8Array): { encoding: FileEncoding; bomLength: number } {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff)
    return { encoding: 'utf-32be', bomLength: 4 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00)
    return { encoding: 'utf-32le', bomLength: 4 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b.length >= 4) {
    const z = [b[0] === 0, b[1] === 0, b[2] === 0, b[3] === 0];
    if (z[0] && z[1] && z[2] && !z[3]) return { encoding: 'utf-32be', bomLength: 0 };
    if (!z[0] && z[1] && z[2] && z[3]) return { encoding: 'utf-32le', bomLength: 0 };
    if (z[0] && !z[1] && z[2] && !z[3]) return { encoding: 'utf-16be', bomLength: 0 };
    if (!z[0] && z[1] && !z[2] && z[3]) return { encoding: 'utf-16le', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

function decodeUtf32(b: Uint8Array, littleEndian: boolean): { text: string; invalidAt?: number } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let text = '';
  for (let i = 0; i + 3 < b.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { text, invalidAt: i };
    text += String.fromCodePoint(cp);
  }
  return b.length % 4 ? { text, invalidAt: b.length - (b.length % 4) } : { text };
}

/** Decodes a job or script file; invalid bytes become U+FFFD and are located in `invalidAt`. */
export function decodeJobFile(bytes: Uint8Array): DecodedFile {
  const { encoding, bomLength } = detect(bytes);
  const body = bytes.subarray(bomLength);
  const bom = bomLength > 0;
  if (encoding === 'utf-32le' || encoding === 'utf-32be') {
    const r = decodeUtf32(body, encoding === 'utf-32le');
    return {
      ...r,
      encoding,
      bom,
      ...(r.invalidAt !== undefined ? { invalidAt: r.invalidAt + bomLength } : {}),
    };
  }
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body), encoding, bom };
  } catch {
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
    return { text, encoding, bom, invalidAt: bomLength + firstInvalid(body, encoding) };
  }
}

/** The offset of the first byte of the first sequence that does not decode. */
function firstInvalid(b: Uint8Array, encoding: string): number {
  const decodes = (n: number, stream: boolean) => {
    try {
      new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(b.subarray(0, n), { stream });
      return true;
    } catch {
      return false;
    }
  };
  // The longest prefix that is valid so far (`stream` leaves a cut character undecided), by halving.
  let good = 0;
  let bad = b.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (decodes(mid, true)) good = mid;
    else bad = mid;
  }
  if (decodes(good, false)) return good; // the byte after the prefix is bad on its own
  // The prefix ends in a character the next byte does not complete: it starts at that character.
  if (encoding !== 'utf-8') return good - (good % 2 === 1 ? 1 : 2);
  let start = good - 1;
  while (start > 0 && (b[start] & 0xc0) === 0x80) start--;
  return start;
}

/**
 * The `file-encoding` finding for a decoded file (docs/rules.md), or none for plain UTF-8 (with or
 * without a BOM, which RFC 8259 §8.1 lets readers ignore and Jackson skips).
 */
export function encodingDiagnostic(file: Omit<DecodedFile, 'text'>): JobDiagnostic | undefined {
  const name = encodingName(file.encoding);
  if (file.invalidAt !== undefined) {
    return {
      severity: 'error',
      code: 'file-encoding',
      message:
        `the file is not valid ${name}: byte ${file.invalidAt} does not decode (a file saved as ` +
        "Windows-1252 or Latin-1?). The platform's JSON reader rejects it; save the file as UTF-8",
      start: 0,
      end: 0,
    };
  }
  if (file.encoding === 'utf-8') return undefined;
  return {
    severity: 'warning',
    code: 'file-encoding',
    message:
      `the file is ${name}${file.bom ? ' (with a byte-order mark)' : ''}. It was read as such, and IDM's JSON ` +
      'reader detects it too, but JSON exchanged between systems is UTF-8 (RFC 8259 §8.1) and git, ' +
      'fr-config-manager and Frodo read it as UTF-8: save the file as UTF-8',
    start: 0,
    end: 0,
  };
}

/** Zero characters among the first few: UTF-16 or UTF-32 read as if it were UTF-8. */
export function looksMisdecoded(text: string): boolean {
  const head = text.slice(0, 8);
  return head.includes('\u0000');
}
