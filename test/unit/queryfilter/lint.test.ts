// Lints: every code fires on its mistake, points at it, and stays quiet on a clean filter.

import assert from 'node:assert/strict';
import { LINT_DOCS, LintCode, lintFilter } from '../../../src/core/queryfilter';

function codes(text: string): string[] {
  return lintFilter(text).map((l) => l.code);
}

function spanOf(text: string, code: string): string {
  const l = lintFilter(text).find((x) => x.code === code);
  assert.ok(l, `${code} not reported for ${text}`);
  return text.slice(l.start, l.end);
}

describe('queryfilter lints', () => {
  it('stays quiet on clean filters', () => {
    for (const f of [
      '((/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr))',
      '/name eq "alice" and /age gt 18',
      '/d lt "${Time.now - 30d}"',
      '/a co "x y"',
    ]) {
      assert.deepEqual(lintFilter(f), [], f);
    }
  });

  const rows: [code: string, filter: string, span: string][] = [
    [LintCode.notKeyword, 'not eq 1', 'not'],
    [LintCode.notKeyword, 'not /a pr', 'not'],
    [LintCode.nonSpaceSeparator, '/a eq 1.5\t', '\t'],
    [LintCode.nonSpaceSeparator, '/a\npr', '\n'],
    [LintCode.tildeEscape, '/a~1b pr', '~1'],
    [LintCode.eqNull, '/a eq null', 'null'],
    [LintCode.quotedNumberOrder, '/age lt "18"', '"18"'],
    [LintCode.quotedNumberOrder, "/age ge '2.5'", "'2.5'"],
    [LintCode.gluedNegation, '!/a pr', '!/a'],
    [LintCode.keywordAsField, 'and pr', 'and'],
    [LintCode.keywordAsField, ') pr', ')'],
    [LintCode.alwaysFalseOperator, '/a ne 1', 'ne'],
    [LintCode.alwaysFalseOperator, '/a regex "x"', 'regex'],
    [LintCode.alwaysFalseOperator, '/a and 1', 'and'],
    [LintCode.unknownMacro, '/a eq "${Foo}"', '${Foo}'],
    [LintCode.macroSpacing, '/a lt "${Time.now+1d}"', '${Time.now+1d}'],
    [LintCode.macroSpacing, '/a lt "${Time.now -1d}"', '${Time.now -1d}'],
    [LintCode.macroOffset, '/a lt "${Time.now + 1}"', '${Time.now + 1}'],
    [LintCode.macroUnknownUnit, '/a lt "${Time.now + 1w}"', '${Time.now + 1w}'],
    [LintCode.macroUnquoted, '/a lt ${Time.now}', '${Time.now}'],
    [LintCode.literalEscape, '/a eq "x\\ny"', '\\n'],
    [LintCode.escapedMacro, '/a eq "\\${Time.now}"', '\\${'],
  ];
  for (const [code, filter, span] of rows) {
    it(`reports ${code} on ${JSON.stringify(filter)}`, () => assert.equal(spanOf(filter, code), span));
  }

  it('calls `null` a value only after a word: not after a parenthesis, a string or at the start', () => {
    assert.deepEqual(codes('/a eq null'), [LintCode.eqNull]);
    assert.ok(!codes('( null pr)').includes(LintCode.eqNull));
    assert.ok(!codes('null pr').includes(LintCode.eqNull));
    assert.ok(!codes('/a eq "x" null').includes(LintCode.eqNull));
  });

  it('reads a string that a backslash at the very end leaves open as a string', () => {
    // the backslash escapes nothing (the server rejects the filter); the lints still see the string
    assert.equal(spanOf('/a eq "x\\ny\\', LintCode.literalEscape), '\\n');
    assert.ok(!codes('/a lt "${Time.now}\\').includes(LintCode.macroUnquoted));
  });

  it('lints 64 K tokens of one kind, and one word among them', () => {
    assert.deepEqual(lintFilter('('.repeat(65_536)), []);
    const many = '('.repeat(30_000) + ' not ' + ')'.repeat(30_000);
    assert.deepEqual(
      lintFilter(many).map((l) => [l.code, l.start]),
      [[LintCode.notKeyword, 30_001]],
    );
  });

  it('does not call an eq on a quoted number a mistake', () => {
    assert.deepEqual(codes('/age eq "18"'), []);
  });

  it('documents every code in one line', () => {
    for (const code of Object.values(LintCode)) {
      const doc = LINT_DOCS[code];
      assert.ok(doc && !doc.includes('\n'), code);
    }
  });

  it('accepts a parsed AST and agrees with parsing itself', () => {
    assert.deepEqual(lintFilter('/a ne 1'), lintFilter('/a ne 1', undefined));
  });

  it('gives only warnings and infos, with spans inside the text', () => {
    const text = 'not eq null\t and ${X';
    for (const l of lintFilter(text)) {
      assert.ok(l.severity === 'warning' || l.severity === 'info');
      assert.ok(0 <= l.start && l.start <= l.end && l.end <= text.length);
    }
  });
});

describe('docs/queryfilter.md', () => {
  it('lists every lint code with its one-line doc', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const doc = readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'queryfilter.md'), 'utf8');
    for (const [code, line] of Object.entries(LINT_DOCS)) {
      assert.ok(doc.includes(`| \`${code}\` | ${line} |`), code);
    }
  });
});
