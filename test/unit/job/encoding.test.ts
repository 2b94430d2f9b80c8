// Job files in other encodings than UTF-8 (issue 12 item 13) and keys given twice (item 14): each a
// clear finding naming the problem, never hundreds of one-character errors or a silent last value.
import assert from 'node:assert/strict';
import { applyTextEdits, decodeJobFile, validateJob } from '../../../src/core/job';
import { codes, jobText, scanJob } from './builders';

const PATH = '/work/jobs/sunset.scanjob.json';
const TEXT = jobText(scanJob({ schedule: '0 0 3 * * ?' }));

/** UTF-16 bytes written out here, not by the decoder under test. */
function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const units = [
    ...(bom ? [0xfeff] : []),
    ...[...text].flatMap((c) => {
      const cp = c.codePointAt(0)!;
      if (cp < 0x10000) return [cp];
      const v = cp - 0x10000;
      return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
    }),
  ];
  const out = new Uint8Array(units.length * 2);
  units.forEach((u, i) => {
    out[2 * i + (endian === 'le' ? 0 : 1)] = u & 0xff;
    out[2 * i + (endian === 'le' ? 1 : 0)] = u >> 8;
  });
  return out;
}

describe('job file encodings', () => {
  for (const [label, bytes, name] of [
    ['UTF-16 LE with a BOM', utf16(TEXT, 'le', true), 'UTF-16 LE (with a byte-order mark)'],
    ['UTF-16 BE with a BOM', utf16(TEXT, 'be', true), 'UTF-16 BE (with a byte-order mark)'],
    ['UTF-16 LE without a BOM', utf16(TEXT, 'le', false), 'UTF-16 LE.'],
    ['UTF-16 BE without a BOM', utf16(TEXT, 'be', false), 'UTF-16 BE.'],
  ] as const) {
    it(`reads ${label} as what it is: one warning naming it, the job checked`, () => {
      const decoded = decodeJobFile(bytes);
      assert.equal(decoded.text, TEXT);
      const found = validateJob({ path: PATH, text: decoded.text, encoding: decoded });
      assert.deepEqual(codes(found), ['file-encoding']);
      assert.equal(found[0].severity, 'warning');
      assert.ok(found[0].message.includes(`the file is ${name}`), found[0].message);
      assert.match(found[0].message, /save the file as UTF-8/);
    });
  }

  it('accepts a UTF-8 byte-order mark without a finding, from bytes and in the text', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(TEXT)]);
    const decoded = decodeJobFile(bytes);
    assert.equal(decoded.text, TEXT);
    assert.deepEqual(validateJob({ path: PATH, text: decoded.text, encoding: decoded }), []);
    // Read by a reader that keeps the mark (Node's 'utf8'): skipped too, offsets unchanged.
    const withMark = `\ufeff${TEXT}`;
    assert.deepEqual(validateJob({ path: PATH, text: withMark }), []);
    const broken = TEXT.replace('"cron"', '"cron",,');
    const [plain] = validateJob({ path: PATH, text: broken });
    const [marked] = validateJob({ path: PATH, text: `\ufeff${broken}` });
    assert.equal(marked.code, 'json-syntax');
    assert.equal(marked.start, plain.start + 1, 'the same place, one character on');
  });

  it('names the first byte that is not UTF-8 (a Latin-1 file) as an error', () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode(TEXT.slice(0, 20)),
      0xe9,
      ...new TextEncoder().encode(TEXT.slice(20)),
    ]);
    const decoded = decodeJobFile(latin1);
    assert.equal(decoded.invalidAt, 20);
    const found = validateJob({ path: PATH, text: decoded.text, encoding: decoded });
    assert.equal(found[0].code, 'file-encoding');
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /not valid UTF-8: byte 20 does not decode/);
  });

  it('UTF-16 opened as UTF-8 (NULs in the text) is one finding, not one per character', () => {
    const misread = new TextDecoder('utf-8').decode(utf16(TEXT, 'le', false));
    const found = validateJob({ path: PATH, text: misread });
    assert.deepEqual(codes(found), ['file-encoding']);
    assert.match(found[0].message, /UTF-16 or UTF-32 read as UTF-8/);
  });
});

describe('duplicate keys', () => {
  const text = TEXT.replace('"enabled": true,', '"enabled": true,\n  "enabled": false,');

  it('reports the earlier key, naming the later line, with a fix that removes it', () => {
    const found = validateJob({ path: PATH, text });
    assert.deepEqual(codes(found), ['json-duplicate-key']);
    const [d] = found;
    assert.equal(d.severity, 'warning');
    assert.equal(text.slice(d.start, d.end), '"enabled"');
    assert.equal(text.indexOf('"enabled"'), d.start, 'on the first one');
    assert.match(d.message, /'enabled' is given again on line 3: the platform keeps that last value/);
    const fixed = applyTextEdits(text, d.fixes![0].edits);
    assert.deepEqual(JSON.parse(fixed), JSON.parse(text), 'the fix keeps what the platform reads');
    assert.deepEqual(validateJob({ path: PATH, text: fixed }), []);
  });

  it('finds them at every depth, each earlier one once', () => {
    const deep = TEXT.replace('"object":', '"object": "managed/x",\n        "object":').replace(
      '"type": "cron",',
      '"type": "cron",\n  "type": "cron",\n  "type": "cron",',
    );
    const dups = validateJob({ path: PATH, text: deep }).filter((d) => d.code === 'json-duplicate-key');
    assert.deepEqual(
      dups.map((d) => deep.slice(d.start, d.end)),
      ['"type"', '"type"', '"object"'],
    );
  });
});

describe('a job whose script is one very long string', () => {
  it('is checked as a job, not reported as nested too deep', function () {
    this.timeout(60_000);
    const script = `${'x'.repeat(20 * 1024 * 1024)};\ntrue;`;
    const text = jobText(
      scanJob({
        invokeContext: {
          ...scanJob().invokeContext,
          task: { script: { type: 'text/javascript', source: script } },
        },
      }),
    );
    const found = validateJob({ path: PATH, text });
    assert.ok(!found.some((d) => d.code === 'json-syntax'), found.map((d) => d.message).join('\n'));
    assert.deepEqual(codes(found), []);
  });
});
