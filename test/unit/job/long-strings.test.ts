// The fast parse of files with huge strings must give exactly the tree and errors jsonc-parser
// gives on the real text (offsets, lengths, colons), and lose no error inside the strings.
import assert from 'node:assert/strict';
import { Node, ParseError, parseTree } from 'jsonc-parser';
import { parseTreeFast } from '../../../src/core/job/long-strings';
import { parseJobFile } from '../../../src/core/job';
import { jobText, withContext } from './builders';

function shape(node: Node | undefined): unknown {
  if (!node) return undefined;
  return {
    type: node.type,
    offset: node.offset,
    length: node.length,
    colon: node.colonOffset,
    children: node.children?.map(shape),
  };
}

function same(text: string): void {
  const slowErrors: ParseError[] = [];
  const fastErrors: ParseError[] = [];
  const options = { allowTrailingComma: false, disallowComments: true };
  const slow = parseTree(text, slowErrors, options);
  const fast = parseTreeFast(text, fastErrors);
  assert.deepEqual(shape(fast), shape(slow));
  // errors outside the long strings are the same; inside them JsonString reports (see below)
  const outside = (e: ParseError) => e.error !== 15 && e.error !== 16;
  assert.deepEqual(fastErrors.filter(outside), slowErrors.filter(outside));
}

const big = (n: number, unit = 'a\\"b\\\\c\\n') => unit.repeat(Math.ceil(n / unit.length));

describe('fast parse of files with long strings', () => {
  it('gives the same tree for long values, keys, array items and several strings', () => {
    same(`{"a": "${big(40_000)}", "b": [1, "${big(50_000)}", {"c": "${big(33_000)}"}], "d": true}`);
    same(`{"${big(40_000)}": 1, "e": "x"}`);
    same(`["${big(70_000)}"]`);
  });

  it('gives the same errors after a long string, and skips quotes inside comments', () => {
    same(`{"a": "${big(40_000)}" "b": 2,, }`);
    same(`// a "quote in a comment\n{"a": /* "x */ "${big(40_000)}", "b": 2}`);
  });

  it('leaves an unterminated or multi-line long string to jsonc-parser', () => {
    same(`{"a": "${big(40_000)}`);
    same(`{"a": "${big(40_000)}\n", "b": 1}`);
  });

  it('still reports invalid escapes and raw control characters inside a long script', () => {
    const long = 'logger.info("x");\n'.repeat(3000);
    const text = jobText(withContext({ script: { source: `${long}true;` } })).replace(
      'logger.info(\\"x\\");\\n',
      'logger.info(\\"$\\{x}\\");\\t\t',
    );
    const codes = parseJobFile(text).diagnostics.map((d) => [d.code, text.slice(d.start, d.end)]);
    assert.deepEqual(codes, [
      ['json-invalid-escape', '\\{'],
      ['json-syntax', '\t'],
    ]);
  });

  it('keeps node values for the long strings', () => {
    const source = `${'a();\n'.repeat(10_000)}true;`;
    const doc = parseJobFile(jobText(withContext({ script: { source } })));
    const job = doc.jobs[0].value as { invokeContext: { task: { script: { source: string } } } };
    assert.equal(job.invokeContext.task.script.source, source);
  });
});
