import assert from 'node:assert/strict';
import { Cron } from 'croner';
import fc from 'fast-check';
import { checkCron, describeCron, nextFireTimes } from '../../../src/core/job/cron';

const FROM = new Date('2026-03-27T00:00:00Z'); // a Friday
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const next = (expr: string, count = 3, tz?: string, from = FROM) => iso(nextFireTimes(expr, from, count, tz));

/** The problem text at the span it points at, for assertions on positions. */
function problemAt(expr: string, needle: RegExp): string {
  const problems = checkCron(expr);
  const p = problems.find((x) => needle.test(x.message));
  assert.ok(p, `no problem matching ${needle} for '${expr}': ${JSON.stringify(problems)}`);
  return expr.slice(p.start, p.end);
}

describe('Quartz cron: validation', () => {
  const valid = [
    '0 0/15 * * * ?',
    '0 0 12 ? * MON-FRI',
    '0 0 12 ? * mon-fri',
    '0 0 12 L * ?',
    '0 0 12 L-3 * ?',
    '0 0 12 LW * ?',
    '0 0 12 15W * ?',
    '0 0 12 ? * 6L',
    '0 0 12 ? * FRI#3',
    '0 0 12 ? * L',
    '0 0 0 ? * FRI-MON',
    '0 0 22-2 * * ?',
    '0 0 12 1 JAN,JUL ?',
    '0 0 12 ? * * 2027',
    '0 0 12 ? * * 2027-2030/2',
    '*/5 * * * * ?',
    '/5 * * * * ?',
    '0 15 10 ? * 6#3',
  ];
  for (const expr of valid) {
    it(`accepts ${expr}`, () => assert.deepEqual(checkCron(expr), []));
  }

  it('rejects a 5-field Unix expression and shows the Quartz form', () => {
    const [p] = checkCron('30 2 * * 1');
    assert.match(p.message, /6 or 7 fields/);
    assert.match(p.message, /'0 30 2 \? \* 2'/); // Unix Monday (1) is Quartz Monday (2)
  });
  it('rejects day-of-week 0 (Unix Sunday) and points at it', () => {
    assert.equal(problemAt('0 0 12 ? * 0', /Sunday/), '0');
  });
  it('rejects both day fields restricted, and both `?`', () => {
    assert.equal(problemAt('0 0 12 * * MON', /must be '\?'/), '* * MON');
    assert.equal(problemAt('0 0 12 ? * ?', /not both/), '? * ?');
  });
  it('points at out-of-range values, bad steps and misplaced special characters', () => {
    assert.equal(problemAt('0 0 25 * * ?', /hours value 25/), '25');
    assert.equal(problemAt('0 61 * * * ?', /minutes value 61/), '61');
    assert.equal(problemAt('0 0/70 * * * ?', /increment 70/), '70');
    assert.equal(problemAt('0 0/ * * * ?', /followed by an increment/), '/');
    assert.equal(problemAt('0 0 12 ? * 6#7', /after '#'/), '#7');
    assert.equal(problemAt('0 0 12 1,L * ?', /stand alone/), 'L');
    assert.equal(problemAt('0 0 12 ? * MON,6L', /'L' cannot be combined/), 'L');
    assert.equal(problemAt('0 0 12 ? L *', /'L' is not allowed in the month/), 'L');
    assert.equal(problemAt('? 0 12 1 * ?', /only in day-of-month/), '?');
    assert.equal(problemAt('0 0 12 ? FOO *', /'FOO' is not a month/), 'FOO');
    assert.equal(problemAt('0 0 12 ? * * 2100', /year value 2100/), '2100');
    assert.equal(problemAt('0 0 12 ? * 1-3W', /'W' is not allowed in the day-of-week/), 'W');
  });
  it('reports text after a 7th field, which Quartz would silently ignore', () => {
    assert.equal(problemAt('0 0 12 ? * * 2027 extra', /at most 7 fields/), 'extra');
  });
  it('reports an empty expression', () => {
    assert.match(checkCron('  ')[0].message, /empty/);
  });
});

describe('Quartz cron: next fire times', () => {
  it('fires strictly after `from`, at whole seconds', () => {
    assert.deepEqual(next('0 0 0 * * ?', 1, 'UTC', new Date('2026-03-27T00:00:00.000Z')), [
      '2026-03-28T00:00:00.000Z',
    ]);
    assert.deepEqual(next('* * * * * ?', 2, 'UTC', new Date('2026-03-27T00:00:00.500Z')), [
      '2026-03-27T00:00:01.000Z',
      '2026-03-27T00:00:02.000Z',
    ]);
  });
  it('numbers day-of-week from Sunday = 1 (Unix cron and croner number it from 0)', () => {
    // 2026-03-30 is a Monday; Quartz 2 = Monday.
    assert.deepEqual(next('0 0 12 ? * 2', 2), ['2026-03-30T12:00:00.000Z', '2026-04-06T12:00:00.000Z']);
    // croner reads the same 2 as Tuesday: our code corrects that by not delegating day numbers.
    const croner = new Cron('0 0 12 * * 2', { timezone: 'UTC' }).nextRuns(1, FROM)[0];
    assert.equal(croner?.toISOString(), '2026-03-31T12:00:00.000Z');
    assert.deepEqual(next('0 0 12 ? * 1', 1), ['2026-03-29T12:00:00.000Z']); // Sunday
    assert.deepEqual(next('0 0 12 ? * SUN', 1), ['2026-03-29T12:00:00.000Z']);
  });
  it('L, L-n, LW, nW, nL and n#k', () => {
    assert.deepEqual(next('0 0 12 L * ?', 2), ['2026-03-31T12:00:00.000Z', '2026-04-30T12:00:00.000Z']);
    assert.deepEqual(next('0 0 12 L-3 2 ?', 1), ['2027-02-25T12:00:00.000Z']);
    // May 2026 ends on a Sunday: the last weekday is Friday the 29th.
    assert.deepEqual(next('0 0 12 LW 5 ?', 1), ['2026-05-29T12:00:00.000Z']);
    // 2026-08-15 is a Saturday: 15W is Friday the 14th; 2026-11-01 is a Sunday: 1W is Monday the 2nd.
    assert.deepEqual(next('0 0 12 15W 8 ?', 1), ['2026-08-14T12:00:00.000Z']);
    assert.deepEqual(next('0 0 12 1W 11 ?', 1), ['2026-11-02T12:00:00.000Z']);
    // 2026-08-01 is a Saturday: 1W does not go back into July; it is Monday the 3rd.
    assert.deepEqual(next('0 0 12 1W 8 ?', 1), ['2026-08-03T12:00:00.000Z']);
    assert.deepEqual(next('0 0 12 ? * 6L', 2), ['2026-03-27T12:00:00.000Z', '2026-04-24T12:00:00.000Z']);
    assert.deepEqual(next('0 0 12 ? * 2#1', 2), ['2026-04-06T12:00:00.000Z', '2026-05-04T12:00:00.000Z']);
    assert.deepEqual(next('0 0 12 ? * 6#5', 2), ['2026-05-29T12:00:00.000Z', '2026-07-31T12:00:00.000Z']);
    assert.deepEqual(next('0 0 12 ? * L', 1), ['2026-03-28T12:00:00.000Z']); // L alone = Saturday
  });
  it('wrapping ranges (FRI-MON) and steps from a start value', () => {
    assert.deepEqual(next('0 0 0 ? * FRI-MON', 4), [
      '2026-03-28T00:00:00.000Z',
      '2026-03-29T00:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
      '2026-04-03T00:00:00.000Z',
    ]);
    assert.deepEqual(next('0 5/20 0 * * ?', 3), [
      '2026-03-27T00:05:00.000Z',
      '2026-03-27T00:25:00.000Z',
      '2026-03-27T00:45:00.000Z',
    ]);
  });
  it('the year field, and an end when the years are past', () => {
    assert.deepEqual(next('0 0 0 1 1 ? 2028,2030', 3), [
      '2028-01-01T00:00:00.000Z',
      '2030-01-01T00:00:00.000Z',
    ]);
    assert.deepEqual(next('0 0 12 ? * MON 2020', 3), []);
  });
  it('agrees with croner where the two dialects mean the same thing', () => {
    for (const expr of ['0 */7 3-5 * * ?', '0 0 9 ? * MON-FRI', '15 10 8 1,15 JAN,JUN ?', '0 0 0 L * ?']) {
      const ours = next(expr, 5, 'Europe/Paris');
      const theirs = new Cron(expr.replace('?', '*'), { timezone: 'Europe/Paris' })
        .nextRuns(5, FROM)
        .map((d) => d.toISOString());
      assert.deepEqual(ours, theirs, expr);
    }
  });
  it('matches croner on random expressions once Quartz day numbers are translated (L, W, #, zones)', () => {
    const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
    const days = fc.oneof(
      fc.tuple(pick('*', '1', '15', '1,15', '10-12', 'L', '15W', '1W', 'LW', '31', '29'), fc.constant('?')),
      fc.tuple(fc.constant('?'), pick('MON', 'MON-FRI', 'SAT,SUN', 'FRI#3', 'MON#1', '6L', '2L', '1#5', '*')),
    );
    fc.assert(
      fc.property(
        pick('0', '*/15', '5,35', '10-20/5'),
        pick('0', '*/7', '15,45', '0-10/5', '*'),
        pick('*', '0', '3-5', '*/6', '12', '22-23'),
        days,
        pick('*', 'JAN,JUL', '2-4', '*/3', 'DEC'),
        pick('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
        (s, m, h, [dom, dow], month, tz, t) => {
          const expr = `${s} ${m} ${h} ${dom} ${month} ${dow}`;
          // croner numbers Sunday 0 and reads `?` as `*`; Quartz `n#k` and `nL` number Sunday 1.
          const cronerDow = dow === '?' ? '*' : dow.replace(/^(\d)(?=[#L])/, (d) => String(Number(d) - 1));
          const cronerExpr = `${s} ${m} ${h} ${dom === '?' ? '*' : dom} ${month} ${cronerDow}`;
          const theirs = new Cron(cronerExpr, { timezone: tz, legacyMode: false }).nextRuns(4, new Date(t));
          assert.deepEqual(next(expr, 4, tz, new Date(t)), iso(theirs), `${expr} in ${tz}`);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('time zones: a wall time in the spring-forward gap moves forward by the gap', () => {
    // Europe/Berlin springs from 02:00 to 03:00 on 2026-03-29.
    assert.deepEqual(next('0 30 2 * * ?', 3, 'Europe/Berlin'), [
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
    ]);
    assert.deepEqual(next('0 0 9 * * ?', 1, 'America/New_York'), ['2026-03-27T13:00:00.000Z']);
  });
  it('time zones: a repeated wall time (clocks fall back) fires once', () => {
    const from = new Date('2026-10-25T00:00:00Z'); // Europe/Berlin falls back at 01:00Z that day
    assert.deepEqual(next('0 30 2 * * ?', 2, 'Europe/Berlin', from), [
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });
  it('throws a clear error for an invalid expression or zone', () => {
    assert.throws(() => nextFireTimes('0 0 25 * * ?', FROM, 1), /column 5: hours value 25/);
    assert.throws(() => nextFireTimes('0 0 1 * * ?', FROM, 1, 'Mars/Base'), /unknown time zone 'Mars\/Base'/);
  });
});

describe('Quartz cron: description', () => {
  it('describes Quartz day numbers and specials in English', () => {
    assert.equal(describeCron('0 0 12 ? * 1'), 'At 12:00, only on Sunday');
    assert.equal(describeCron('0 0 12 ? * 6L'), 'At 12:00, on the last Friday of the month');
    assert.equal(describeCron('0 0/15 * * * ?'), 'Every 15 minutes');
  });
  it('names the problem for an invalid expression', () => {
    assert.match(describeCron('0 0 12 * * *'), /^Invalid cron expression: one of day-of-month/);
  });
});
