// The one duration formatter the CLI and the output channel share (core/watch).
import assert from 'node:assert/strict';
import { formatDuration } from '../../../src/core/watch';

describe('formatDuration', () => {
  it('writes ms, seconds, minutes and hours for people', () => {
    assert.deepEqual(
      [850, 7_000, 12_345, 245_000, 7_380_000].map((ms) => formatDuration(ms)),
      ['850 ms', '7 s', '12 s', '4 min 05 s', '2 h 03 min'],
    );
  });
  it('keeps tenths of a second below a minute when asked (the terminal view)', () => {
    assert.deepEqual(
      [850, 3_000, 12_345, 245_000].map((ms) => formatDuration(ms, { tenths: true })),
      ['850 ms', '3.0 s', '12.3 s', '4 min 05 s'],
    );
  });
});
