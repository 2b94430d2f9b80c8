// The checks learned from the live OpenIDM (docs/rules.md: filter-macro-truncated,
// filter-hyphenated-field, simple-fires-once, script-throw), each both ways and per platform.
import assert from 'node:assert/strict';
import { applyTextEdits, type JobDiagnostic, type Platform } from '../../../src/core/job';
import { survivingFilter } from '../../../src/core/job/rules/openidm';
import { filtersEqual, parseFilter, unwrapTail } from '../../../src/core/queryfilter';
import { GOOD_FILTER, check, codes, jobText, scanJob, withContext, type JobSpec } from './builders';

const hits = (job: JobSpec, code: string, platform?: Platform): JobDiagnostic[] =>
  check(job, { platform }).filter((d) => d.code === code);

const withFilter = (f: string) => withContext({ scan: { _queryFilter: f } });
/** The job's filter after the first fix of `d`. */
function fixedFilter(job: JobSpec, d: JobDiagnostic): string {
  assert.ok(d.fixes?.length, `${d.code} has a fix`);
  const text = applyTextEdits(jobText(job), d.fixes[0].edits);
  return (JSON.parse(text) as JobSpec).invokeContext!.scan!._queryFilter as string;
}

describe('rules learned from OpenIDM', () => {
  describe('filter-macro-truncated', () => {
    it('is an error for OpenIDM at the text the fork drops, and names what is left', () => {
      const job = scanJob();
      const [d] = hits(job, 'filter-macro-truncated', 'openidm');
      assert.equal(d.severity, 'error');
      assert.equal(jobText(job).slice(d.start, d.end), '\\") AND !(/sunset/task-completed pr))');
      assert.match(d.message, /an invalid filter, so the run stays ACTIVE forever/);
    });

    it('is a hint for self-hosted IDM, quiet for AIC and for an unknown platform', () => {
      assert.equal(hits(scanJob(), 'filter-macro-truncated', 'idm')[0]?.severity, 'info');
      assert.deepEqual(hits(scanJob(), 'filter-macro-truncated', 'aic'), []);
      assert.deepEqual(hits(scanJob(), 'filter-macro-truncated'), []);
    });

    it('says when the cut leaves a valid filter that selects other objects', () => {
      const job = withFilter('/sunset/date lt "${Time.now}" and /active eq true');
      assert.match(hits(job, 'filter-macro-truncated', 'openidm')[0].message, /invalid filter/);
      // The last macro is a wrapped quote, then more text: the cut leaves `/n gt 5 and /s sw "<now>"`.
      const valid = withFilter('/n gt 5 and /s sw "${Time.now}${"} and /x pr');
      assert.match(hits(valid, 'filter-macro-truncated', 'openidm')[0].message, /a different filter/);
    });

    it('is quiet without a macro, with the macro last, and with the tail already wrapped', () => {
      for (const f of [
        '/userName sw "a"',
        '/sunset/date lt ${Time.now}',
        '!(/sunset/taskCompleted pr) and /sunset/date lt "${Time.now}${"}',
      ]) {
        assert.deepEqual(hits(withFilter(f), 'filter-macro-truncated', 'openidm'), [], f);
      }
    });

    it('a wrapped tail reads as the expanded filter: no syntax error, no unknown-macro lint', () => {
      const job = withFilter('!(/sunset/taskCompleted pr) and (/sunset/date lt "${Time.now}${")}');
      const found = codes(check(job, { platform: 'openidm' }));
      for (const code of ['filter-syntax', 'unknown-macro', 'filter-macro-truncated'])
        assert.ok(!found.includes(code), `${code} in ${JSON.stringify(found)}`);
    });

    it('fixes a closing quote by wrapping it', () => {
      const job = withFilter('/sunset/date lt "${Time.now}"');
      const d = hits(job, 'filter-macro-truncated', 'openidm')[0];
      assert.equal(fixedFilter(job, d), '/sunset/date lt "${Time.now}${"}');
    });

    it('fixes the documented filter by moving the macro last, and the result means the same', () => {
      const job = scanJob();
      const d = hits(job, 'filter-macro-truncated', 'openidm')[0];
      const after = fixedFilter(job, d);
      assert.equal(after, '! /sunset/task-completed pr and /sunset/date lt "${Time.now}${"}');
      const expanded = parseFilter(unwrapTail(after)!.text);
      const original = parseFilter('!(/sunset/task-completed pr) and (/sunset/date lt "${Time.now}")');
      assert.ok(expanded.ok && original.ok && filtersEqual(expanded.ast, original.ast));
      // The fixed job is clean of the finding and of any filter syntax error.
      const again = codes(check(withFilter(after), { platform: 'openidm' }));
      assert.ok(!again.includes('filter-macro-truncated') && !again.includes('filter-syntax'));
    });

    it('offers no fix where no rewrite is provably the same filter', () => {
      // Text with a space inside the string after the macro cannot be wrapped or moved.
      assert.equal(survivingFilter('/d lt "${Time.now} later"'), undefined);
      // Two macros in one comparison string: moving operands cannot help.
      assert.equal(survivingFilter('/d eq "${Time.now} to ${Time.now - 1d} x"'), undefined);
      const job = withFilter('/d lt "${Time.now} later"');
      assert.equal(hits(job, 'filter-macro-truncated', 'openidm')[0].fixes, undefined);
    });

    it('offers the fix for OpenIDM only (the wrapped form is unconfirmed elsewhere)', () => {
      assert.equal(hits(scanJob(), 'filter-macro-truncated', 'idm')[0].fixes, undefined);
    });
  });

  describe('filter-hyphenated-field', () => {
    it('warns on OpenIDM at each hyphenated pointer, saying what pr and !pr then match', () => {
      const job = scanJob();
      const found = hits(job, 'filter-hyphenated-field', 'openidm');
      assert.equal(found.length, 1);
      assert.equal(jobText(job).slice(found[0].start, found[0].end), '/sunset/task-completed');
      assert.match(found[0].message, /`!\(\/sunset\/task-completed pr\)` matches every object/);
      const positive = withFilter('/x-y pr and /a-b eq "1"');
      const msgs = hits(positive, 'filter-hyphenated-field', 'openidm').map((d) => d.message);
      assert.equal(msgs.length, 2);
      assert.match(msgs[0], /`\/x-y pr` matches no object/);
      assert.match(msgs[1], /`\/a-b eq` matches no object.*'aB'/);
    });

    it('is quiet for other platforms and for names without a hyphen', () => {
      assert.deepEqual(hits(scanJob(), 'filter-hyphenated-field', 'aic'), []);
      assert.deepEqual(hits(scanJob(), 'filter-hyphenated-field'), []);
      const camel = withFilter('((/sunset/date lt "${Time.now}${"}) and !(/sunset/taskCompleted pr)');
      assert.deepEqual(hits(camel, 'filter-hyphenated-field', 'openidm'), []);
    });
  });

  describe('simple-fires-once', () => {
    const simple = scanJob({ type: 'simple', schedule: undefined, repeatInterval: 3_600_000 });
    it('warns on OpenIDM at "simple"', () => {
      const [d] = hits(simple, 'simple-fires-once', 'openidm');
      assert.equal(d.severity, 'warning');
      assert.equal(jobText(simple).slice(d.start, d.end), '"simple"');
      assert.match(d.message, /deletes itself/);
    });
    it('is quiet for a cron job and on AIC', () => {
      assert.deepEqual(hits(scanJob(), 'simple-fires-once', 'openidm'), []);
      assert.deepEqual(hits(simple, 'simple-fires-once', 'aic'), []);
    });
  });

  describe('script-throw', () => {
    const throwing =
      "if (!input.mail) { throw new Error('no mail'); }\nopenidm.patch(objectID, null, []);\ntrue;";
    it('warns at a throw outside any try, on every platform', () => {
      const job = withContext({ script: { source: throwing } });
      for (const platform of [undefined, 'aic', 'openidm'] as const) {
        const [d] = hits(job, 'script-throw', platform);
        assert.equal(d?.severity, 'warning', String(platform));
        assert.match(d.message, /ends its worker's share of the run/);
      }
    });

    it('the fix wraps the script so an error counts a failure and the worker goes on', () => {
      const job = withContext({ script: { source: throwing } });
      const [d] = hits(job, 'script-throw');
      const text = applyTextEdits(jobText(job), d.fixes![0].edits);
      const source = (JSON.parse(text) as JobSpec).invokeContext!.task!.script!.source!;
      assert.equal(
        source,
        `try {\n${throwing}\n} catch (e) {\n  logger.error('scan of {} failed: {}', objectID, e);\n  false;\n}\n`,
      );
      const after = codes(check(withContext({ script: { source } })));
      assert.ok(!after.includes('script-throw') && !after.includes('script-not-true'), JSON.stringify(after));
    });

    it('is quiet for a throw inside try, and a throw in a handler still counts', () => {
      const caught = 'try { throw new Error("x"); } catch (e) { logger.error("{}", e); }\ntrue;';
      assert.deepEqual(hits(withContext({ script: { source: caught } }), 'script-throw'), []);
      const rethrown = 'try { openidm.read(objectID); } catch (e) { throw e; }\ntrue;';
      assert.equal(hits(withContext({ script: { source: rethrown } }), 'script-throw').length, 1);
      assert.deepEqual(hits(scanJob(), 'script-throw'), []);
    });
  });

  it('the documented filter stays the base of the other rule tests', () => {
    assert.equal(scanJob().invokeContext!.scan!._queryFilter, GOOD_FILTER);
  });
});
