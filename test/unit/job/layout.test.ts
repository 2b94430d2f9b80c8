import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  JOB_SCHEMA_FILE_PATTERNS,
  applyTextEdits,
  extractScript,
  inlineScript,
  isJobFile,
  layoutOf,
  nodeFileAccess,
  parseJobFile,
  resolveJob,
  resolveScriptPath,
  validateJob,
} from '../../../src/core/job';
import { folder, jobText, scanJob, withContext } from './builders';

const EXAMPLES = resolve(__dirname, '../../../examples');
const LAYOUT_FILES = {
  scanjob: 'sunset.scanjob.json',
  'fr-config-manager': 'fr-config-manager/schedules/sunset/sunset.json',
  frodo: 'frodo/sunset/sunset.idm.json',
  'idm-conf': 'idm/conf/schedule-sunset.json',
} as const;

/** A copy of an example file and the files beside it, in a temporary folder. */
function copyExample(rel: string, extra: string[] = []): string {
  const files: Record<string, string> = {};
  for (const f of [rel, ...extra]) files[f] = readFileSync(join(EXAMPLES, f), 'utf8');
  return folder(files);
}

describe('job file layouts', () => {
  it('recognizes each layout from the path', () => {
    assert.equal(layoutOf('/a/sunset.scanjob.json'), 'scanjob');
    assert.equal(layoutOf('/a/schedules/sunset/sunset.json'), 'fr-config-manager');
    assert.equal(layoutOf('/a/schedules/sunset/other.json'), 'plain');
    assert.equal(layoutOf('/a/schedule/sunset/sunset.idm.json'), 'frodo');
    assert.equal(layoutOf('C:\\p\\conf\\schedule-sunset.json'), 'idm-conf');
    assert.equal(layoutOf('/a/package.json'), 'plain');
  });

  it('isJobFile: *.scanjob.json always, other JSON only when it runs the task scanner', () => {
    assert.equal(isJobFile('/a/new.scanjob.json', ''), true);
    const job = jobText(scanJob());
    assert.equal(isJobFile('/a/schedules/sunset/sunset.json', job), true);
    assert.equal(
      isJobFile('/a/sunset.idm.json', job.replace('"taskscanner"', '"org.forgerock.openidm.taskscanner"')),
      true,
    );
    assert.equal(
      isJobFile('/a/conf/schedule-recon.json', '{"invokeService": "sync", "schedule": "0 0 * * * ?"}'),
      false,
    );
    assert.equal(isJobFile('/a/managed.idm.json', '{"idm": {"managed": {"objects": []}}}'), false);
    assert.equal(isJobFile('/a/package.json', '{"name": "x"}'), false);
    assert.equal(isJobFile('/a/sunset.js', job), false);
  });

  it('package.json associates the schema with exactly these patterns', () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string | string[]; url: string }[] };
    };
    const matches = pkg.contributes.jsonValidation
      .filter((v) => v.url.endsWith('schemas/scan-job.schema.json'))
      .flatMap((v) => v.fileMatch);
    assert.deepEqual([...matches].sort(), [...JOB_SCHEMA_FILE_PATTERNS].sort());
  });

  it('schema association patterns are specific (never every JSON file)', () => {
    for (const p of JOB_SCHEMA_FILE_PATTERNS) {
      assert.ok(!/^\*\*\/\*\.json$/.test(p), p);
      assert.match(p, /(scanjob\.json|schedule-\*\.json)$/);
    }
  });

  for (const [layout, rel] of Object.entries(LAYOUT_FILES)) {
    it(`the corrected example in the ${layout} layout is clean, script file included`, () => {
      const path = join(EXAMPLES, rel);
      const text = readFileSync(path, 'utf8');
      assert.equal(layoutOf(path), layout);
      assert.equal(isJobFile(path, text), true);
      assert.deepEqual(validateJob({ path, text, files: nodeFileAccess }), []);
    });
  }

  it('the file layouts find their script file and check it', () => {
    for (const rel of [LAYOUT_FILES['fr-config-manager'], LAYOUT_FILES.frodo, LAYOUT_FILES['idm-conf']]) {
      const path = join(EXAMPLES, rel);
      const resolved = resolveJob({ path, text: readFileSync(path, 'utf8'), files: nodeFileAccess });
      assert.ok(resolved.ok, rel);
      const script = (resolved.job.invokeContext as { task: { script: Record<string, unknown> } }).task
        .script;
      assert.match(String(script.source), /openidm\.patch\(objectID, null, patch\); true;$/, rel);
      assert.equal(script.file, undefined);
    }
  });

  it('a Frodo export with several jobs checks each', () => {
    const bad = withContext({ scan: { object: 'users' } });
    const text = jobText({ idm: { 'schedule/a': scanJob(), 'schedule/b': bad, managed: { objects: [] } } });
    const doc = parseJobFile(text);
    assert.deepEqual(
      doc.jobs.map((j) => j.name),
      ['a', 'b'],
    );
    const d = validateJob({ path: '/x/all.idm.json', text });
    assert.deepEqual(
      d.map((x) => x.code),
      ['scan-object'],
    );
    assert.ok(d[0].start > text.indexOf('schedule/b'));
  });
});

describe('script references stay inside the job folder', () => {
  it('rejects absolute paths, .. escapes and file:// absolute URLs', () => {
    assert.equal(resolveScriptPath('/p/jobs/a.scanjob.json', 'scanjob', '/etc/passwd').ok, false);
    assert.equal(resolveScriptPath('/p/jobs/a.scanjob.json', 'scanjob', 'C:\\x.js').ok, false);
    assert.equal(resolveScriptPath('/p/jobs/a.scanjob.json', 'scanjob', '../x.js').ok, false);
    assert.equal(resolveScriptPath('/p/jobs/a.idm.json', 'frodo', 'file:///etc/passwd').ok, false);
    assert.equal(resolveScriptPath('/p/jobs/a.scanjob.json', 'scanjob', 'sub/../../x.js').ok, false);
    const ok = resolveScriptPath('/p/jobs/a.scanjob.json', 'scanjob', 'scripts/a.js');
    assert.deepEqual(ok, { ok: true, absPath: resolve('/p/jobs/scripts/a.js') });
  });

  it('resolves an IDM conf file against the project folder', () => {
    assert.deepEqual(resolveScriptPath('/p/conf/schedule-a.json', 'idm-conf', 'script/a.js'), {
      ok: true,
      absPath: resolve('/p/script/a.js'),
    });
  });

  it('rejects a symlink inside the folder that leads out of it', () => {
    const root = folder({ 'outside/secret.js': 'true;', 'jobs/ok.js': 'true;' });
    symlinkSync(join(root, 'outside/secret.js'), join(root, 'jobs/link.js'));
    const job = join(root, 'jobs/a.scanjob.json');
    const r = resolveScriptPath(job, 'scanjob', 'link.js', nodeFileAccess);
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /link that leads out/);
    assert.equal(resolveScriptPath(job, 'scanjob', 'ok.js', nodeFileAccess).ok, true);
    const text = jobText(withContext({ script: { source: undefined, file: 'link.js' } }));
    assert.ok(
      validateJob({ path: job, text, files: nodeFileAccess }).some((d) => d.code === 'script-file-outside'),
    );
    assert.equal(resolveJob({ path: job, text, files: nodeFileAccess }).ok, false);
  });
});

describe('script layout operations', () => {
  function roundTrip(rel: string, scriptRel: string) {
    const root = copyExample(rel, [scriptRel]);
    const path = join(root, rel);
    const original = readFileSync(path, 'utf8');
    const inlined = inlineScript({ path, text: original, files: nodeFileAccess });
    assert.ok(inlined.ok, rel);
    assert.equal(inlined.obsolete, join(root, scriptRel));
    const withSource = applyTextEdits(original, inlined.edits);
    assert.deepEqual(validateJob({ path, text: withSource }), []);
    const extracted = extractScript({ path, text: withSource, files: nodeFileAccess });
    assert.ok(extracted.ok, rel);
    assert.equal(extracted.file.path, join(root, scriptRel));
    assert.equal(extracted.file.text, readFileSync(join(root, scriptRel), 'utf8'));
    assert.equal(applyTextEdits(withSource, extracted.edits), original, 'byte-identical');
  }

  it('fr-config-manager: inline then extract gives the file back byte for byte', () => {
    roundTrip(LAYOUT_FILES['fr-config-manager'], 'fr-config-manager/schedules/sunset/sunset.js');
  });
  it('Frodo: inline then extract gives the file back byte for byte', () => {
    roundTrip(LAYOUT_FILES.frodo, 'frodo/sunset/invokeContext.task.script.js');
  });
  it('IDM conf: inline then extract gives the file back byte for byte', () => {
    roundTrip(LAYOUT_FILES['idm-conf'], 'idm/script/sunset.js');
  });

  it('scanjob: extract then inline leaves the file byte-identical, keeping odd formatting', () => {
    const root = folder({});
    const path = join(root, 'sunset.scanjob.json');
    const original = jobText(scanJob()).replace('"source": ', '"source"   :\t');
    const extracted = extractScript({ path, text: original, files: nodeFileAccess });
    assert.ok(extracted.ok);
    assert.equal(extracted.file.path, join(root, 'sunset.js'));
    const withFile = applyTextEdits(original, extracted.edits);
    assert.match(withFile, /"file" {3}:\t"sunset\.js"/);
    writeFileSync(extracted.file.path, extracted.file.text);
    assert.deepEqual(validateJob({ path, text: withFile, files: nodeFileAccess }), []);
    const inlined = inlineScript({ path, text: withFile, files: nodeFileAccess });
    assert.ok(inlined.ok);
    assert.equal(applyTextEdits(withFile, inlined.edits), original);
  });

  it('refuses to overwrite a different script file, and explains why an operation does not apply', () => {
    const root = folder({ 'sunset.js': 'other();' });
    const path = join(root, 'sunset.scanjob.json');
    const r = extractScript({ path, text: jobText(scanJob()), files: nodeFileAccess });
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /already exists/);
    const noFile = inlineScript({ path, text: jobText(scanJob()), files: nodeFileAccess });
    assert.match((noFile as { message: string }).message, /not in a file/);
    const broken = resolveJob({ path, text: '{"invokeService": ', files: nodeFileAccess });
    assert.match((broken as { message: string }).message, /fix the JSON first/);
  });

  it('resolve removes editor-only and server-added fields', () => {
    const text = jobText({
      $schema: '../schemas/scan-job.schema.json',
      ...scanJob(),
      nextRunDate: null,
      triggers: [],
    });
    const r = resolveJob({ path: '/x/a.scanjob.json', text });
    assert.ok(r.ok);
    assert.equal('$schema' in r.job, false);
    assert.equal('triggers' in r.job, false);
    assert.equal(r.job.invokeService, 'taskscanner');
  });

  it('IDM conf: extract writes script/<name>.js in the project folder', () => {
    const root = folder({ 'conf/schedule-a.json': '' });
    mkdirSync(join(root, 'script'));
    const path = join(root, 'conf/schedule-a.json');
    const r = extractScript({ path, text: jobText(scanJob()), files: nodeFileAccess });
    assert.ok(r.ok);
    assert.equal(r.file.path, join(root, 'script/a.js'));
    assert.match(applyTextEdits(jobText(scanJob()), r.edits), /"file": "script\/a\.js"/);
  });
});
