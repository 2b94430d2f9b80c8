// Every rule both ways: a job that makes it fire, and a close job where it must not.
import assert from 'node:assert/strict';
import { applyTextEdits, type JobDiagnostic, type Platform } from '../../../src/core/job';
import { check, codes, folder, jobText, scanJob, withContext, type JobSpec } from './builders';

function find(job: unknown, code: string, opts: { platform?: Platform; text?: string; path?: string } = {}) {
  const all = check(job, opts);
  return { all, hits: all.filter((d) => d.code === code) };
}

function fires(
  job: unknown,
  code: string,
  opts: { platform?: Platform; text?: string; path?: string } = {},
): JobDiagnostic {
  const { all, hits } = find(job, code, opts);
  assert.ok(hits.length > 0, `expected ${code}, got ${JSON.stringify(codes(all))}`);
  return hits[0];
}

function quiet(
  job: unknown,
  code: string,
  opts: { platform?: Platform; text?: string; path?: string } = {},
): void {
  const { hits } = find(job, code, opts);
  assert.deepEqual(hits, [], `${code} must not fire`);
}

/** The text a diagnostic points at, in the job as built. */
function at(job: unknown, d: JobDiagnostic, text = jobText(job)): string {
  return text.slice(d.start, d.end);
}

/** Applies a diagnostic's first fix and returns the new text. */
function fixed(job: unknown, d: JobDiagnostic, text = jobText(job)): string {
  assert.ok(d.fixes?.length, `${d.code} has a fix`);
  return applyTextEdits(text, d.fixes[0].edits);
}

describe('job rules', () => {
  it('the base job is clean', () => {
    assert.deepEqual(check(scanJob()), []);
  });

  describe('json-syntax / json-invalid-escape / not-a-job', () => {
    it('fires on a trailing comma and on comments, not on valid JSON', () => {
      const text = jobText(scanJob()).replace('"persisted": true,', '"persisted": true,,');
      assert.ok(codes(check(null, { text })).includes('json-syntax'));
      const withComment = `// note\n${jobText(scanJob())}`;
      assert.match(fires(null, 'json-syntax', { text: withComment }).message, /comments are not allowed/);
      quiet(scanJob(), 'json-syntax');
    });
    it('fires at the backslash of $\\{ and the fix removes it', () => {
      const good = jobText(scanJob());
      const text = good.replace('$', '$\\');
      const d = fires(null, 'json-invalid-escape', { text });
      assert.equal(text.slice(d.start, d.end), '\\{');
      assert.equal(fixed(null, d, text), good);
      quiet(scanJob(), 'json-invalid-escape');
    });
    it('fires on JSON that is not a job', () => {
      fires(null, 'not-a-job', { text: '{"name": "x"}' });
      quiet(scanJob(), 'not-a-job');
    });
  });

  describe('schema', () => {
    it('schema-required: missing invokeService; a cron job without schedule', () => {
      const noService = scanJob();
      delete noService.invokeService;
      assert.match(fires(noService, 'schema-required').message, /invokeService/);
      const d = fires(scanJob({ schedule: undefined }), 'schema-required');
      assert.match(d.message, /Quartz cron expression/);
      quiet(
        scanJob({ type: 'simple', schedule: undefined, startTime: '2099-01-01T00:00:00Z' }),
        'schema-required',
      );
    });
    it('schema-required: a scan with no query, once, on the scan key', () => {
      const job = scanJob();
      delete job.invokeContext!.scan!._queryFilter;
      const found = check(job).filter((d) => d.code === 'schema-required');
      assert.equal(found.length, 1);
      assert.equal(at(job, found[0]), '"scan"');
      assert.match(found[0].message, /no query/);
      quiet(withContext({ scan: { _queryFilter: undefined, _queryId: 'scan-tasks' } }), 'schema-required');
    });
    it('schema-required: a script with neither source nor file', () => {
      const job = scanJob();
      job.invokeContext!.task = { script: { type: 'text/javascript' } };
      assert.match(fires(job, 'schema-required').message, /source.*or `file`/);
    });
    it('schema-value: wrong types and enum values, on the value', () => {
      const job = withContext({ numberOfThreads: '5' });
      const d = fires(job, 'schema-value');
      assert.equal(at(job, d), '"5"');
      assert.match(d.message, /must be integer; found string "5"/);
      const enumJob = scanJob({ type: 'Cron' });
      assert.match(fires(enumJob, 'schema-value').message, /"cron", "simple"; found "Cron"/);
      assert.match(fires(scanJob({ startTime: '31/12/2030' }), 'schema-value').message, /date-time/);
      quiet(scanJob({ enabled: 'true' }), 'schema-value'); // the platform accepts "true"
    });
    it('unknown-field: a warning on the key, with a rename fix when a known name is close', () => {
      const job = withContext({ waitForCompletoin: true });
      const d = fires(job, 'unknown-field');
      assert.equal(d.severity, 'warning');
      assert.equal(at(job, d), '"waitForCompletoin"');
      assert.match(fixed(job, d), /"waitForCompletion": true/);
      quiet(withContext({ scan: { 'condition.before': 'x' } }), 'unknown-field'); // scan.* are query parameters
      quiet(scanJob({ _id: 'schedule/sunset', nextRunDate: null, triggers: [] }), 'unknown-field');
    });
  });

  describe('cron-invalid / cron-numeric-day-of-week', () => {
    it('points into the schedule string', () => {
      const job = scanJob({ schedule: '0 0 25 * * ?' });
      const d = fires(job, 'cron-invalid');
      assert.equal(at(job, d), '25');
      quiet(scanJob(), 'cron-invalid');
      quiet(scanJob({ type: 'simple', schedule: null, startTime: '2099-01-01T00:00:00Z' }), 'cron-invalid');
    });
    it('reports a Unix expression, whole', () => {
      const job = scanJob({ schedule: '0 2 * * *' });
      assert.match(fires(job, 'cron-invalid').message, /'0 0 2 \* \* \?'/);
    });
    it('suggests day names for a numeric day-of-week', () => {
      const job = scanJob({ schedule: '0 0 2 ? * 2-6' });
      const d = fires(job, 'cron-numeric-day-of-week');
      assert.equal(d.severity, 'info');
      assert.match(fixed(job, d), /"0 0 2 \? \* MON-FRI"/);
      quiet(scanJob({ schedule: '0 0 2 ? * MON-FRI' }), 'cron-numeric-day-of-week');
    });
  });

  describe('simple-runs-on-push', () => {
    const simple = (over: JobSpec = {}) =>
      scanJob({ type: 'simple', schedule: undefined, repeatInterval: 3600000, ...over });
    it('fires for an enabled simple job without startTime, on its type', () => {
      const job = simple();
      const d = fires(job, 'simple-runs-on-push');
      assert.equal(at(job, d), '"simple"');
      assert.match(fixed(job, d), /"startTime": "\d{4}-\d\d-\d\dT02:00:00Z"/);
    });
    it('fires for a startTime in the past, on the startTime; the fix moves it to tomorrow', () => {
      const job = simple({ startTime: '2020-01-01T02:00:00Z' });
      const d = fires(job, 'simple-runs-on-push');
      assert.equal(at(job, d), '"2020-01-01T02:00:00Z"');
      assert.match(d.message, /in the past/);
      const after = fixed(job, d);
      assert.ok(!codes(check(null, { text: after })).includes('simple-runs-on-push'), after);
      // without an offset the zone is unknown: a time a few hours ago might still be ahead somewhere
      const hoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString().slice(0, 19);
      quiet(simple({ startTime: hoursAgo }), 'simple-runs-on-push');
    });
    it('is quiet with a future startTime, when disabled, and for cron jobs', () => {
      quiet(simple({ startTime: '2099-01-01T02:00:00Z' }), 'simple-runs-on-push');
      quiet(simple({ startTime: '2099-01-01T02:00:00+05:00' }), 'simple-runs-on-push');
      quiet(simple({ enabled: false }), 'simple-runs-on-push');
      quiet(scanJob(), 'simple-runs-on-push');
    });
  });

  describe('concurrent-execution-ineffective', () => {
    it('fires for concurrentExecution false with waitForCompletion false; the fix sets it true', () => {
      const job = scanJob({ concurrentExecution: false });
      const d = fires(job, 'concurrent-execution-ineffective');
      assert.equal(at(job, d), '"concurrentExecution"');
      assert.match(fixed(job, d), /"waitForCompletion": true/);
    });
    it('is quiet with waitForCompletion true, or when concurrentExecution is not set', () => {
      quiet(
        withContext({ waitForCompletion: true }, { concurrentExecution: false }),
        'concurrent-execution-ineffective',
      );
      quiet(scanJob(), 'concurrent-execution-ineffective');
      quiet(scanJob({ concurrentExecution: true }), 'concurrent-execution-ineffective');
    });
  });

  describe('invoke-service', () => {
    it('is an error for another case, info for the expanded form, quiet for taskscanner', () => {
      const job = scanJob({ invokeService: 'taskScanner' });
      const d = fires(job, 'invoke-service');
      assert.equal(d.severity, 'error');
      assert.match(fixed(job, d), /"invokeService": "taskscanner"/);
      assert.equal(
        fires(scanJob({ invokeService: 'org.forgerock.openidm.taskscanner' }), 'invoke-service').severity,
        'info',
      );
      quiet(scanJob(), 'invoke-service');
    });
  });

  describe('task-state', () => {
    it('fires when a pointer is missing', () => {
      const job = withContext({ scan: { taskState: { started: '/sunset/task-started' } } });
      assert.match(fires(job, 'task-state').message, /completed` is missing/);
      assert.ok(!codes(check(job)).includes('schema-required'), 'reported once');
    });
    it('fires when both are the same field (with or without the leading slash)', () => {
      const job = withContext({ scan: { taskState: { started: 'sunset/task', completed: '/sunset/task' } } });
      assert.match(fires(job, 'task-state').message, /same field/);
    });
    it('fires when a value is not a pointer', () => {
      assert.match(
        fires(withContext({ scan: { taskState: { started: 5, completed: '/c' } } }), 'task-state').message,
        /must be a JSON pointer string/,
      );
      assert.match(
        fires(withContext({ scan: { taskState: { started: '/a b', completed: '/c' } } }), 'task-state')
          .message,
        /white space/,
      );
    });
    it('is quiet for two distinct pointers, with or without the leading slash', () => {
      quiet(
        withContext({ scan: { taskState: { started: 'sunset/s', completed: 'sunset/c' } } }),
        'task-state',
      );
    });
  });

  describe('misplaced-setting', () => {
    it('fires for waitForCompletion under task; the fix moves it to invokeContext', () => {
      const job = scanJob();
      const ic = job.invokeContext!;
      delete ic.waitForCompletion;
      (ic.task as Record<string, unknown>).waitForCompletion = true;
      const d = fires(job, 'misplaced-setting');
      assert.equal(at(job, d), '"waitForCompletion"');
      const after = JSON.parse(fixed(job, d)) as { invokeContext: Record<string, Record<string, unknown>> };
      assert.equal(after.invokeContext.waitForCompletion, true);
      assert.equal('waitForCompletion' in after.invokeContext.task, false);
    });
    it('removes the copy when invokeContext already sets it; quiet when only invokeContext has it', () => {
      const job = withContext({ scan: { numberOfThreads: 4 } });
      const d = fires(job, 'misplaced-setting');
      assert.match(d.message, /where it is also set/);
      const after = JSON.parse(fixed(job, d)) as { invokeContext: Record<string, Record<string, unknown>> };
      assert.equal('numberOfThreads' in after.invokeContext.scan, false);
      assert.equal(after.invokeContext.numberOfThreads, 5);
      quiet(scanJob(), 'misplaced-setting');
    });
  });

  describe('recovery-timeout', () => {
    it('errors on a non-integer, warns on an unknown or missing unit, is quiet on 10m', () => {
      assert.equal(
        fires(withContext({ scan: { recovery: { timeout: 'ten minutes' } } }), 'recovery-timeout').severity,
        'error',
      );
      assert.equal(
        fires(withContext({ scan: { recovery: { timeout: 10 } } }), 'recovery-timeout').severity,
        'error',
      );
      assert.match(
        fires(withContext({ scan: { recovery: { timeout: '10w' } } }), 'recovery-timeout').message,
        /as seconds/,
      );
      assert.match(
        fires(withContext({ scan: { recovery: { timeout: '600' } } }), 'recovery-timeout').message,
        /no unit/,
      );
      quiet(scanJob(), 'recovery-timeout');
      quiet(withContext({ scan: { recovery: { timeout: '2M' } } }), 'recovery-timeout');
    });
  });

  describe('filter-syntax, filter lints and macros', () => {
    it('reports the engine error inside the string', () => {
      const job = withContext({ scan: { _queryFilter: '/a eq "x" and' } });
      const d = fires(job, 'filter-syntax');
      assert.match(d.message, /query filter:/);
      quiet(scanJob(), 'filter-syntax');
    });
    it('a stray `)` before an unclosed `(` (the published filter): the first fix restores the outer parentheses', () => {
      const published = '/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr';
      const job = withContext({ scan: { _queryFilter: published } });
      const d = fires(job, 'filter-syntax');
      assert.equal(at(job, d), ')');
      const text = fixed(job, d);
      assert.equal(
        (JSON.parse(text) as { invokeContext: { scan: { _queryFilter: string } } }).invokeContext.scan
          ._queryFilter,
        '(/sunset/date lt "${Time.now}") AND !(/sunset/task-completed pr)',
      );
      assert.deepEqual(
        check(JSON.parse(text)).filter((x) => x.code === 'filter-syntax'),
        [],
        'the fixed filter parses',
      );
      assert.deepEqual(
        d.fixes!.map((f) => f.title),
        [
          'Restore the outer parentheses: add `(` at the start and close the last `(` at the end',
          'Remove the stray `)`',
        ],
      );
    });
    it('a stray `)` at the end: the only fix removes it, also behind JSON escapes', () => {
      const job = withContext({ scan: { _queryFilter: '/a eq "q\\"x" and /b pr)' } });
      const d = fires(job, 'filter-syntax');
      assert.deepEqual(
        d.fixes!.map((f) => f.title),
        ['Remove the stray `)`'],
      );
      const text = fixed(job, d);
      assert.equal(
        (JSON.parse(text) as { invokeContext: { scan: { _queryFilter: string } } }).invokeContext.scan
          ._queryFilter,
        '/a eq "q\\"x" and /b pr',
      );
    });
    it('an unclosed `(`: the fix closes it at the end; other syntax errors get no paren fix', () => {
      const job = withContext({ scan: { _queryFilter: '/a pr and !(/b pr' } });
      const d = fires(job, 'filter-syntax');
      const text = fixed(job, d);
      assert.equal(
        (JSON.parse(text) as { invokeContext: { scan: { _queryFilter: string } } }).invokeContext.scan
          ._queryFilter,
        '/a pr and !(/b pr)',
      );
      assert.equal(fires(withContext({ scan: { _queryFilter: '/a eq' } }), 'filter-syntax').fixes, undefined);
    });
    it('macro-spacing: fires on ${Time.now+1d} with a fix that adds the spaces', () => {
      const job = withContext({
        scan: { _queryFilter: '/d lt "${Time.now+1d}" and !(/sunset/task-completed pr)' },
      });
      const d = fires(job, 'macro-spacing');
      assert.match(fixed(job, d), /\$\{Time\.now \+ 1d\}/);
      quiet(
        withContext({ scan: { _queryFilter: '/d lt "${Time.now + 1d}" and !(/sunset/task-completed pr)' } }),
        'macro-spacing',
      );
    });
    it('unknown-macro: explains Time.nowWithOffset', () => {
      const job = withContext({
        scan: { _queryFilter: '/d lt "${Time.nowWithOffset}" and !(/sunset/task-completed pr)' },
      });
      assert.match(fires(job, 'unknown-macro').message, /PingIDM 8 only/);
      quiet(scanJob(), 'unknown-macro');
    });
  });

  describe('filter-rescans-completed', () => {
    it('fires when nothing excludes the completed field; the fix adds the clause', () => {
      const job = withContext({ scan: { _queryFilter: '/sunset/date lt "${Time.now}"' } });
      const d = fires(job, 'filter-rescans-completed');
      const after = fixed(job, d);
      assert.match(
        after,
        /"\(\/sunset\/date lt \\"\$\{Time.now\}\\"\) AND !\(\/sunset\/task-completed pr\)"/,
      );
      assert.ok(!codes(check(null, { text: after })).includes('filter-rescans-completed'));
    });
    it('fires when only one branch of an or excludes it', () => {
      fires(
        withContext({ scan: { _queryFilter: '!(/sunset/task-completed pr) or /x eq 1' } }),
        'filter-rescans-completed',
      );
    });
    it('is quiet for the documented form, for De Morgan forms, and when the pointer differs only by its slash', () => {
      quiet(scanJob(), 'filter-rescans-completed');
      quiet(
        withContext({ scan: { _queryFilter: '!(/x pr or /sunset/task-completed pr)' } }),
        'filter-rescans-completed',
      );
      quiet(
        withContext({ scan: { _queryFilter: '/d pr and !(sunset/task-completed pr)' } }),
        'filter-rescans-completed',
      );
      quiet(withContext({ scan: { _queryFilter: 'false' } }), 'filter-rescans-completed');
    });
  });

  describe('scan-object / scan-object-realm', () => {
    it('errors on a path that is not managed/ or system/, and on the docs placeholder', () => {
      fires(withContext({ scan: { object: 'users' } }), 'scan-object');
      const job = withContext({ scan: { object: 'managed/realm-name_user' } });
      assert.match(fixed(job, fires(job, 'scan-object')), /"managed\/alpha_user"/);
      quiet(withContext({ scan: { object: 'system/ldap/account' } }), 'scan-object');
    });
    it('explains the realm prefix for a bare managed/user: warning for AIC, info when unknown, quiet for IDM', () => {
      const job = withContext({ scan: { object: 'managed/user' } });
      assert.equal(fires(job, 'scan-object-realm', { platform: 'aic' }).severity, 'warning');
      assert.equal(fires(job, 'scan-object-realm').severity, 'info');
      quiet(job, 'scan-object-realm', { platform: 'idm' });
      quiet(job, 'scan-object-realm', { path: '/p/conf/schedule-sunset.json' });
      quiet(scanJob(), 'scan-object-realm', { platform: 'aic' });
    });
  });

  describe('script-not-true', () => {
    const script = (source: string) => withContext({ script: { source } });
    it('fires when the script ends in openidm.patch(…); the fix appends true;', () => {
      const job = script('var p = [];\nopenidm.patch(objectID, null, p);');
      const d = fires(job, 'script-not-true');
      assert.equal(at(job, d), 'openidm.patch(objectID, null, p)');
      const after = fixed(job, d);
      assert.match(after, /openidm.patch\(objectID, null, p\);\\ntrue;"/);
      assert.ok(!codes(check(null, { text: after })).includes('script-not-true'));
    });
    it('fires on false, on "true", on an if without else, and on an IIFE without return true', () => {
      fires(script('false;'), 'script-not-true');
      fires(script('"true";'), 'script-not-true');
      fires(script('if (input.x) { true; }'), 'script-not-true');
      fires(script('(function () { openidm.patch(objectID, null, []); }());'), 'script-not-true');
      fires(script('var x = 1;'), 'script-not-true');
    });
    it('is quiet for true;, a trailing declaration, both branches true, an IIFE returning true', () => {
      quiet(script('openidm.patch(objectID, null, []); true;'), 'script-not-true');
      quiet(script('true;\nvar unused = 1;\nfunction f() {}'), 'script-not-true');
      quiet(script('if (input.x) { true; } else { true; }'), 'script-not-true');
      quiet(script('(function () { var a = 1; return true; }());'), 'script-not-true');
      quiet(
        script('try { openidm.patch(objectID, null, []); true; } catch (e) { true; }'),
        'script-not-true',
      );
      quiet(withContext({ script: { type: 'groovy', source: 'return 1' } }), 'script-not-true');
    });
  });

  describe('script-not-true on long scripts (only the tail is parsed)', () => {
    const script = (source: string) => withContext({ script: { source } });
    const long = 'a(1);\n'.repeat(5000);
    it('reads the last statement whole even when it spans lines', () => {
      fires(script('var y = 1, x;\nx = y ||\n  true;'), 'script-not-true');
      quiet(script(`${long}if (a) {\n  b();\n  true;\n} else {\n  true;\n}\n`), 'script-not-true');
    });
    it('is not fooled by code in a trailing comment or a function body', () => {
      const commented = script(`${long}/*\ntrue;\n*/\nopenidm.patch(objectID, null, []);`);
      const d = fires(commented, 'script-not-true');
      assert.equal(at(commented, d), 'openidm.patch(objectID, null, [])');
      quiet(script(`${long}function f() {\n  return 1;\n}\ntrue;\n`), 'script-not-true');
      fires(script(`${long}(function () {\n  a(2);\n  return false;\n}());\n`), 'script-not-true');
    });
    it('reports a syntax error deep in a long script at its place', () => {
      const job = script(`${long}var x = ;\n${long}true;`);
      const d = fires(job, 'script-syntax');
      assert.match(d.message, /Unexpected token ';'/);
      const text = jobText(job);
      assert.equal(text.slice(d.start - 8, d.end), 'var x = ;');
      quiet(script(`${long}true;`), 'script-syntax');
    });
  });

  describe('script-syntax', () => {
    it('maps an inline syntax error through the JSON escapes', () => {
      const job = withContext({ script: { source: 'var s = "a";\nvar x = ;\ntrue;' } });
      const d = fires(job, 'script-syntax');
      const text = jobText(job);
      assert.equal(text.slice(d.start, d.end), ';');
      assert.equal(text.slice(d.start - 10, d.start), '\\nvar x = '); // after the escaped "a" and the \\n
    });
    it('reports the error in the .js file with its own offsets', () => {
      const dir = folder({ 'sunset.js': 'true;\nvar = 2;\n' });
      const job = withContext({ script: { source: undefined, file: 'sunset.js' } });
      const d = fires(job, 'script-syntax', { path: `${dir}/sunset.scanjob.json` });
      assert.equal(d.path, `${dir}/sunset.js`);
      assert.equal(d.start, 'true;\nvar '.length);
      quiet(scanJob(), 'script-syntax');
    });
  });

  describe('script-file-missing / script-file-outside', () => {
    const fileJob = (file: string) => withContext({ script: { source: undefined, file } });
    it('errors on a missing file, is quiet when it exists', () => {
      const dir = folder({ 'ok.js': 'true;' });
      fires(fileJob('nope.js'), 'script-file-missing', { path: `${dir}/j.scanjob.json` });
      quiet(fileJob('ok.js'), 'script-file-missing', { path: `${dir}/j.scanjob.json` });
    });
    it('errors on absolute paths and .. escapes', () => {
      const dir = folder({ 'jobs/j.scanjob.json': '', 'secret.js': 'true;' });
      assert.match(
        fires(fileJob('/etc/passwd'), 'script-file-outside', { path: `${dir}/jobs/j.scanjob.json` }).message,
        /absolute/,
      );
      assert.match(
        fires(fileJob('../secret.js'), 'script-file-outside', { path: `${dir}/jobs/j.scanjob.json` }).message,
        /leads out/,
      );
      quiet(fileJob('sub/../ok.js'), 'script-file-outside', { path: `${dir}/jobs/j.scanjob.json` });
    });
  });
});
