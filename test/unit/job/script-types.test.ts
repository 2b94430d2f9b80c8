// types/idm-script.d.ts gives extracted scripts IntelliSense: the example jsconfig type-checks the
// example scripts, and a misspelt openidm method is caught (so the declarations are really applied).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const TSC = require.resolve('typescript/bin/tsc', { paths: [ROOT] });

function tsc(project: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', project], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('types/idm-script.d.ts', function () {
  this.timeout(60_000);

  it('type-checks the example scripts through examples/jsconfig.json', () => {
    const r = tsc('examples/jsconfig.json');
    assert.equal(r.status, 0, r.out);
  });

  it('reports a misspelt method and a wrong argument in a script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanjobs-types-'));
    const config = JSON.parse(readFileSync(join(ROOT, 'examples/jsconfig.json'), 'utf8')) as {
      include: string[];
    };
    config.include = ['*.js', join(ROOT, 'types/idm-script.d.ts')];
    writeFileSync(join(dir, 'jsconfig.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'task.js'), 'openidm.pacth(objectID, null, []);\nlogger.info(42);\ntrue;\n');
    const r = tsc(join(dir, 'jsconfig.json'));
    assert.notEqual(r.status, 0);
    assert.match(r.out, /Property 'pacth' does not exist on type 'IdmOpenidm'. Did you mean 'patch'\?/);
    assert.match(r.out, /task\.js\(2,13\).*number.*string/);
  });
});
