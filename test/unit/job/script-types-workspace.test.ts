// Add Script Types to Workspace (issue 16 item 4): the types live inside the workspace and jsconfig.json
// names them, whatever jsconfig.json held before.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser';
import { SCRIPT_TYPES_PATH, jsconfigWithScriptTypes } from '../../../src/core/job';

const root = path.resolve(__dirname, '../../..');

describe('script types in a workspace', () => {
  it('writes a jsconfig.json that includes the scripts and the types when there is none', () => {
    const r = jsconfigWithScriptTypes(undefined);
    assert.ok(r.ok && r.changed);
    const config = JSON.parse(r.text) as { include: string[]; compilerOptions: { checkJs: boolean } };
    assert.deepEqual(config.include, ['**/*.js', '.scanjobs/idm-script.d.ts']);
    assert.equal(config.compilerOptions.checkJs, true);
  });

  it("adds the types to the user's include, keeping comments and the rest", () => {
    const before =
      '{\n  // mine\n  "compilerOptions": { "target": "ES2020" },\n  "include": ["scripts/**/*.js"],\n}\n';
    const r = jsconfigWithScriptTypes(before);
    assert.ok(r.ok && r.changed);
    assert.match(r.text, /\/\/ mine/);
    const config = parse(r.text) as { include: string[]; compilerOptions: { target: string } };
    assert.deepEqual(config.include, ['scripts/**/*.js', SCRIPT_TYPES_PATH]);
    assert.equal(config.compilerOptions.target, 'ES2020');
    const again = jsconfigWithScriptTypes(r.text);
    assert.ok(again.ok && !again.changed && again.text === r.text, 'a second run changes nothing');
  });

  it('refuses a jsconfig.json it cannot read, naming the problem', () => {
    const r = jsconfigWithScriptTypes('{ "include": ');
    assert.ok(!r.ok);
    assert.match(r.message, /jsconfig\.json is not a JSON object/);
    const bad = jsconfigWithScriptTypes('{ "include": "*.js" }');
    assert.ok(!bad.ok && /"include" that is not a list/.test(bad.message));
  });

  it('keeps the examples self-contained: their jsconfig names a copy of the shipped types inside the folder', () => {
    const config = JSON.parse(readFileSync(path.join(root, 'examples/jsconfig.json'), 'utf8')) as {
      include: string[];
    };
    for (const entry of config.include) assert.ok(!entry.startsWith('..'), `${entry} stays inside examples/`);
    assert.ok(config.include.includes(SCRIPT_TYPES_PATH));
    assert.equal(
      readFileSync(path.join(root, 'examples', SCRIPT_TYPES_PATH), 'utf8'),
      readFileSync(path.join(root, 'types/idm-script.d.ts'), 'utf8'),
      'examples/.scanjobs/idm-script.d.ts is types/idm-script.d.ts as shipped',
    );
  });
});
