// The job snippets give a job with no finding (issue 16 item 7: the `scanjob` snippet gave two warnings
// of our own rules). Each is expanded as VS Code inserts it when the user accepts every default: a
// placeholder `${n:text}` becomes its text, a choice `${n|a,b|}` its first option, a tab stop `$n`
// nothing, `\$` and `\}` the character.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { validateJob } from '../../../src/core/job';

const root = path.resolve(__dirname, '../../..');

function expand(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length;) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length && '$}\\'.includes(snippet[i + 1])) {
      out += snippet[i + 1];
      i += 2;
    } else if (c === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      i++;
      while (/\d/.test(snippet[i] ?? '')) i++;
    } else if (c === '$' && snippet[i + 1] === '{') {
      // ${n:…} with nesting, or ${n|a,b|}
      let j = i + 2;
      while (/\d/.test(snippet[j])) j++;
      if (snippet[j] === '|') {
        const end = snippet.indexOf('|}', j + 1);
        out += snippet.slice(j + 1, end).split(',')[0];
        i = end + 2;
      } else {
        let depth = 1;
        let k = j + 1;
        while (k < snippet.length && depth > 0) {
          if (snippet[k] === '\\') k += 2;
          else if (snippet[k] === '$' && snippet[k + 1] === '{') {
            depth++;
            k += 2;
          } else {
            if (snippet[k] === '}') depth--;
            k++;
          }
        }
        out += snippet[j] === ':' ? expand(snippet.slice(j + 1, k - 1)) : '';
        i = k;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

describe('job snippets', () => {
  it('expands a snippet as VS Code does', () => {
    // `\\$` and `\\}` are escapes; `\\{` is not
    assert.equal(expand('a ${1|x,y|} ${2:b ${3:c}} $4\\${d\\} \\{'), 'a x b c ${d} \\{');
  });

  const snippets = parse(readFileSync(path.join(root, 'snippets/scan-job.code-snippets'), 'utf8')) as Record<
    string,
    { body: string[] }
  >;
  for (const [name, { body }] of Object.entries(snippets)) {
    it(`"${name}" gives a job with no finding`, () => {
      const text = expand(body.join('\n'));
      const findings = validateJob({ path: '/w/new.scanjob.json', text });
      assert.deepEqual(
        findings.map((f) => `${f.code}: ${f.message}`),
        [],
        text,
      );
    });
  }

  const schema = JSON.parse(readFileSync(path.join(root, 'schemas/scan-job.schema.json'), 'utf8')) as {
    defaultSnippets: { label: string; body: unknown }[];
  };
  for (const { label, body } of schema.defaultSnippets) {
    it(`the schema's "${label}" gives a job with no finding`, () => {
      // JSON default snippets: a string value starting with ^ is inserted raw (without its quotes)
      const raw = JSON.stringify(body, null, 2).replace(/"\^((?:[^"\\]|\\.)*)"/g, (_m, s: string) =>
        JSON.parse(`"${s}"`),
      );
      const text = expand(raw);
      const findings = validateJob({ path: '/w/new.scanjob.json', text });
      assert.deepEqual(
        findings.map((f) => `${f.code}: ${f.message}`),
        [],
        text,
      );
    });
  }
});
