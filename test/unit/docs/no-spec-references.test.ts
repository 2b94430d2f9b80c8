// What users read never points at the project's internal specs (issue 16 item 6): `spec/idm-api.md §3`
// names a file users do not have. The documentation that ships (README, docs/, the changelog, the
// examples, the job schema, the manifest's settings) and every message in the source (string literals
// and template text: errors, hovers, help, log lines) describe the behaviour or cite the platform's
// public documentation instead. Code comments and the developer pages (CONTRIBUTING.md) may cite the
// specs; comments are not string literals, so they are not read here.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * A citation of an internal spec: a path into spec/ or the shared kit, a spec file by name, or a bare
 * section sign (`§5.4`) that is not an RFC's or an issue's.
 */
const SPEC_REFERENCE =
  /\bspec\/|shared\/openidm|\bidm-api\.md|\bpeers\.md|\bvscode-testing\.md|queryfilter\.md §|(?<!(?:RFC \d+|issue \d+|items?) )§\s?\d/;

function* files(dir: string, keep: (name: string) => boolean): Generator<string> {
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(rel, keep);
    else if (keep(entry.name)) yield rel;
  }
}

/** Lines of a text that cite a spec, as `file:line: text`. */
function citations(file: string, text: string, firstLine = 1): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, n: firstLine + i }))
    .filter(({ line }) => SPEC_REFERENCE.test(line))
    .map(({ line, n }) => `${file}:${n}: ${line.trim().slice(0, 160)}`);
}

/** The string literals and template texts of a TypeScript file, with the line each starts on. */
function literals(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      // Import paths and type-only strings are not messages.
      if (
        !ts.isImportDeclaration(node.parent) &&
        !ts.isExportDeclaration(node.parent) &&
        !ts.isLiteralTypeNode(node.parent)
      )
        out.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('no internal spec references in what users read', () => {
  it('recognises a citation, and lets RFC and issue sections be', () => {
    for (const cited of [
      'see spec/idm-api.md §3',
      '(idm-api.md §4.4)',
      '(§5.4)',
      'observed: shared/openidm/README.md',
      'queryfilter.md §9',
      'peers.md "Logs"',
    ])
      assert.ok(SPEC_REFERENCE.test(cited), cited);
    for (const fine of [
      'RFC 8259 §8.1',
      'RFC 4627 §3',
      '(issue 14 §2)',
      'docs/queryfilter.md',
      'the spec of the platform',
    ])
      assert.ok(!SPEC_REFERENCE.test(fine), fine);
  });

  it('the shipped documentation cites no spec', () => {
    const docs = [
      'README.md',
      'CHANGELOG.md',
      ...files('docs', (n) => n.endsWith('.md')),
      ...files('examples', (n) => n.endsWith('.md')),
      ...files('schemas', (n) => n.endsWith('.json')),
      ...files('snippets', (n) => n.endsWith('.json')),
      'package.json',
    ];
    assert.ok(docs.includes(path.join('docs', 'rules.md')));
    const found = docs.flatMap((f) => citations(f, readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepEqual(found, []);
  });

  it('no message in the source cites a spec (comments may)', () => {
    const sources = [...files('src', (n) => n.endsWith('.ts'))];
    assert.ok(sources.length > 100, `${sources.length} source files`);
    const found = sources.flatMap((f) => literals(f).flatMap((l) => citations(f, l.text, l.line)));
    assert.deepEqual(found, []);
  });
});
