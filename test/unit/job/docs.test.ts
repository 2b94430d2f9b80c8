// Every diagnostic code has its section in docs/rules.md (the editor links there by code) and a
// one-line summary in RULE_DOCS; the schema documents every field it declares.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RULE_DOCS, jobSchema, validateJob } from '../../../src/core/job';
import { LINT_DOCS } from '../../../src/core/queryfilter';

const ROOT = resolve(__dirname, '../../..');
const rulesMd = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
const headings = new Set([...rulesMd.matchAll(/^#{2,3} (\S+)$/gm)].map((m) => m[1]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('rule documentation', () => {
  it('every code the job checks emit is in RULE_DOCS and has a section', () => {
    const emitted = new Set<string>();
    for (const file of sources(join(ROOT, 'src/core/job'))) {
      // `code: 'x'` or `code: cond ? 'x' : 'y'`
      for (const m of readFileSync(file, 'utf8').matchAll(
        /code: (?:[\w.]+ \? )?'([a-z-]+)'(?: : '([a-z-]+)')?/g,
      )) {
        emitted.add(m[1]);
        if (m[2]) emitted.add(m[2]);
      }
    }
    assert.ok(emitted.size >= 20, `found ${emitted.size} codes`);
    for (const code of emitted) {
      assert.ok(code in RULE_DOCS, `RULE_DOCS lacks ${code}`);
      assert.ok(headings.has(code), `docs/rules.md lacks a section for ${code}`);
    }
    for (const code of Object.keys(RULE_DOCS))
      assert.ok(emitted.has(code), `${code} is documented but never emitted`);
  });

  it('every query-filter lint code has a section', () => {
    for (const code of Object.keys(LINT_DOCS)) assert.ok(headings.has(code), `docs/rules.md lacks ${code}`);
  });

  it('every schema field has a markdownDescription', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      for (const [k, v] of Object.entries(props ?? {})) {
        const def = v as { markdownDescription?: string; $ref?: string };
        if (!def.markdownDescription && !def.$ref) missing.push(`${path}.${k}`);
        visit(v, `${path}.${k}`);
      }
    };
    visit(jobSchema, '');
    for (const [name, def] of Object.entries(jobSchema.definitions)) visit(def, `#${name}`);
    assert.deepEqual(missing, []);
  });

  it('the new-job snippet builds a job that passes every check', () => {
    // The snippet body as VS Code inserts it with the placeholders' defaults: strings starting with
    // ^ are inserted raw, `${n:x}` becomes x, and `\$`, `\}`, `\\` lose their backslash.
    const body = jobSchema.defaultSnippets[0].body;
    const text = JSON.stringify(body, (_k, v: unknown) => v, 2)
      .replace(/"\^((?:[^"\\]|\\.)*)"/g, (_m, raw: string) => JSON.parse(`"${raw}"`) as string)
      .replace(/\$\{\d+:((?:[^}\\]|\\.)*)\}/g, '$1')
      .replace(/\\([$}\\])/g, '$1');
    assert.deepEqual(validateJob({ path: '/x/new.scanjob.json', text }), []);
  });
});
