// queryfilter.md §9: ${Time.now} substitution in place, with an injected clock.

import assert from 'node:assert/strict';
import { expandMacros, findMacros, originalOffset } from '../../../src/core/queryfilter';

const now = new Date('2026-01-31T10:20:30.456Z');

function expanded(text: string, at: Date = now): string {
  const r = expandMacros(text, at);
  assert.ok(!r.problems.some((p) => p.severity === 'error'), JSON.stringify(r.problems));
  return r.text;
}

describe('queryfilter §9 macros', () => {
  it('substitutes Time.now in the yyyy-MM-ddTHH:mm:ss.SSSZ UTC form', () => {
    assert.equal(expanded('${Time.now}'), '2026-01-31T10:20:30.456Z');
  });

  it('substitutes in place and keeps the text after the last macro (not the upstream truncation)', () => {
    assert.equal(
      expanded('((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))'),
      '((/sunset/date lt "2026-01-31T10:20:30.456Z") AND !(/sunset/task-completed pr))',
    );
    assert.equal(expanded('prefix ${Time.now} suffix'), 'prefix 2026-01-31T10:20:30.456Z suffix');
  });

  it('applies offsets in every unit', () => {
    const rows: [string, string][] = [
      ['${Time.now + 1s}', '2026-01-31T10:20:31.456Z'],
      ['${Time.now - 30m}', '2026-01-31T09:50:30.456Z'],
      ['${Time.now + 2h}', '2026-01-31T12:20:30.456Z'],
      ['${Time.now - 31d}', '2025-12-31T10:20:30.456Z'],
      ['${Time.now + 1M}', '2026-02-28T10:20:30.456Z'],
      ['${Time.now - 2y}', '2024-01-31T10:20:30.456Z'],
      ['${Time.now + +1d}', '2026-02-01T10:20:30.456Z'],
      ['${Time.now + -1d}', '2026-01-30T10:20:30.456Z'],
    ];
    for (const [text, out] of rows) assert.equal(expanded(text), out, text);
    assert.equal(
      expanded('${Time.now + 1y}', new Date('2024-02-29T00:00:00.000Z')),
      '2025-02-28T00:00:00.000Z',
    );
  });

  it('counts an unknown unit as seconds, with a warning', () => {
    const r = expandMacros('${Time.now + 5w}', now);
    assert.equal(r.text, '2026-01-31T10:20:35.456Z');
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.severity]),
      [['macro-unknown-unit', 'warning']],
    );
  });

  it('copies unknown macros without the wrapper and reports them', () => {
    const r = expandMacros('a ${Foo} b ${Time.now+1d} c', now);
    assert.equal(r.text, 'a Foo b Time.now+1d c');
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.start, p.end]),
      [
        ['unknown-macro', 2, 8],
        ['unknown-macro', 11, 25],
      ],
    );
    assert.equal(expanded('${Foo Bar}'), 'FooBar');
    assert.equal(expanded('${}'), '');
  });

  it('drops a token after Time.now that is not + or -', () => {
    const r = expandMacros('${Time.now * 1d}', now);
    assert.equal(r.text, '2026-01-31T10:20:30.456Z1d');
    assert.equal(r.problems[0]!.code, 'macro-bad-operator');
    assert.equal(expanded('${Time.now +}'), '2026-01-31T10:20:30.456Z');
  });

  it('reports ${Time.now + 1} as an error and leaves the text as it is', () => {
    const text = '/d lt "${Time.now}" and /e lt "${Time.now + 1}"';
    const r = expandMacros(text, now);
    assert.equal(r.text, text);
    const err = r.problems.find((p) => p.severity === 'error');
    assert.ok(err);
    assert.equal(err.code, 'macro-bad-offset');
    assert.equal(err.upstreamMessage, 'For input string: ""');
    assert.equal(text.slice(err.start, err.end), '${Time.now + 1}');
    assert.equal(expandMacros('${Time.now + 99999999999d}', now).problems[0]!.code, 'macro-bad-offset');
    assert.equal(expandMacros('${Time.now + xd}', now).problems[0]!.code, 'macro-bad-offset');
  });

  it('keeps an escaped \\${ with its backslash and does not substitute it', () => {
    assert.equal(expanded('\\${Time.now} ${Time.now}'), '\\${Time.now} 2026-01-31T10:20:30.456Z');
  });

  it('ends a macro at the first } and skips a macro starting inside another', () => {
    assert.deepEqual(
      findMacros('${ ${hi} } ${Time.now}').map((m) => m.body),
      [' ${hi', 'Time.now'],
    );
    assert.equal(expanded('${ ${hi} }'), '${hi }');
  });

  it('returns text without a complete macro unchanged', () => {
    for (const t of ['', 'no macro', '${Time.now', '$ {Time.now}', '{Time.now}']) {
      assert.deepEqual(expandMacros(t, now), { text: t, problems: [], replacements: [] });
    }
  });

  it('never throws, even for a bad clock', () => {
    assert.equal(expandMacros('${Time.now}', new Date(NaN)).problems[0]!.severity, 'error');
    assert.equal(expandMacros('${Time.now + 999999y}', now).problems[0]!.severity, 'error');
  });

  it('maps offsets in the expanded text back to the input', () => {
    const text = 'a ${Time.now} b ${Foo} c';
    const r = expandMacros(text, now);
    assert.equal(r.text, 'a 2026-01-31T10:20:30.456Z b Foo c');
    assert.deepEqual(
      r.replacements.map((x) => [x.start, x.end, x.text]),
      [
        [2, 13, '2026-01-31T10:20:30.456Z'],
        [16, 22, 'Foo'],
      ],
    );
    for (const [out, back] of [
      [0, 0],
      [2, 2],
      [10, 2],
      [26, 13],
      [27, 14],
      [29, 16],
      [33, 23],
    ] as const) {
      assert.equal(originalOffset(r, out), back, `offset ${out}`);
    }
    assert.equal(originalOffset(r, 10, 'end'), 13);
  });
});
