// The push marker (docs/logs.md "Markers"): every logger call, only logger calls, reversible.
import assert from 'node:assert/strict';
import { Script, createContext } from 'node:vm';
import { markLoggerCalls, readMarker, unmarkLoggerCalls } from '../../../src/core/logs';

/** Runs a script with a logger that records what it was given. */
function logged(source: string): string[] {
  const out: string[] = [];
  const logger = Object.fromEntries(
    ['trace', 'debug', 'info', 'warn', 'error'].map((l) => [
      l,
      (m: unknown) => out.push(`${l}:${String(m)}`),
    ]),
  );
  new Script(source).runInContext(
    createContext({
      logger,
      other: { info: (m: unknown) => out.push(`other:${String(m)}`) },
      input: { _id: 'u1', flag: false },
    }),
  );
  return out;
}

describe('push marker', () => {
  const script = [
    'var id = input._id;',
    "logger.info('scanned ' + id);",
    'if (input.flag || true) logger.warn(input.flag ? "flagged" : "clean", id);',
    "var s = 'logger.info(\"not a call\")'; // logger.error('nor this')",
    'logger.debug(id, 1);',
    "other.info('not the logger');",
  ].join('\n');

  it('prefixes the first argument of every logger call, and the script logs the same messages behind it', () => {
    const { source, marked } = markLoggerCalls(script, 'sunset');
    assert.equal(marked, 3);
    assert.deepEqual(logged(source), [
      'info:[scanjobs:sunset] scanned u1',
      'warn:[scanjobs:sunset] clean',
      'debug:[scanjobs:sunset] u1',
      'other:not the logger',
    ]);
    assert.equal(source.split('\n').length, script.split('\n').length, 'no line moves');
    assert.ok(source.includes(`var s = 'logger.info("not a call")'; // logger.error('nor this')`));
  });

  it('keeps operator precedence: a conditional first argument is parenthesized', () => {
    const { source } = markLoggerCalls('logger.info(false ? "a" : "b");', 'j');
    assert.deepEqual(logged(source), ['info:[scanjobs:j] b']);
  });

  it('is undone exactly by unmark, and marking twice marks once (with the newest job)', () => {
    const once = markLoggerCalls(script, 'sunset').source;
    assert.equal(unmarkLoggerCalls(once), script);
    const twice = markLoggerCalls(once, 'renamed');
    assert.equal(twice.marked, 3);
    assert.equal(unmarkLoggerCalls(twice.source), script);
    assert.ok(!twice.source.includes('sunset'));
  });

  it('leaves a script that does not parse as it is', () => {
    assert.deepEqual(markLoggerCalls('logger.info(', 'j'), { source: 'logger.info(', marked: 0 });
  });

  it('encodes job names that would end the marker', () => {
    const { source } = markLoggerCalls('logger.info("x");', 'a] b');
    const [line] = logged(source);
    const { job, message } = readMarker(line!.slice('info:'.length));
    assert.equal(job, 'a] b');
    assert.equal(message, 'x');
  });
});
