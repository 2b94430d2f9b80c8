// Pages of failed objects and log lines (core/run-view/paging.ts), the chart's thinning to its width
// (chart.ts downsampleMinMax), and the details page's markup written one page at a time
// (src/extension/tenant/run-details/html.ts, which imports no vscode). Expected values by hand.
import assert from 'node:assert/strict';
import {
  DETAILS_LIMITS,
  downsampleMinMax,
  failureText,
  logLineText,
  matching,
  pageLabel,
  pageOf,
  progressChart,
  runDetails,
  type FailedObject,
  type RunLogLine,
} from '../../../src/core/run-view';
import { detailsBody } from '../../../src/extension/tenant/run-details/html';
import { runRecord } from './builders';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `item${String(i).padStart(4, '0')}`);

describe('pages of a list', () => {
  it('starts at the first page with the next and last pages to go to', () => {
    const p = pageOf(ids(450), 0, 200);
    assert.equal(p.items.length, 200);
    assert.equal(p.items[0], 'item0000');
    assert.equal(p.items[199], 'item0199');
    assert.deepEqual(
      [p.from, p.total, p.first, p.previous, p.next, p.last],
      [0, 450, undefined, undefined, 200, 400],
    );
  });

  it('rounds a start inside a page down to that page', () => {
    const p = pageOf(ids(450), 250, 200);
    assert.deepEqual([p.from, p.first, p.previous, p.next, p.last], [200, 0, 0, 400, 400]);
    assert.equal(p.items[0], 'item0200');
  });

  it('keeps a start past the end on the last page, which has the rest', () => {
    const p = pageOf(ids(450), 10_000, 200);
    assert.deepEqual(
      [p.from, p.items.length, p.first, p.previous, p.next, p.last],
      [400, 50, 0, 200, undefined, undefined],
    );
    assert.equal(p.items[49], 'item0449');
  });

  it('treats a start that is not a number, or negative, as the first page', () => {
    assert.equal(pageOf(ids(450), Number.NaN, 200).from, 0);
    assert.equal(pageOf(ids(450), -5, 200).from, 0);
  });

  it('has one empty page for no items', () => {
    const p = pageOf([], 0, 200);
    assert.deepEqual([p.from, p.total, p.items.length, p.next, p.last], [0, 0, 0, undefined, undefined]);
  });

  it('says which part of how many it shows', () => {
    assert.equal(pageLabel(pageOf(ids(12_345), 200, 200)), 'showing 201–400 of 12,345');
    assert.equal(pageLabel(pageOf(ids(12_345), 12_300, 200)), 'showing 12,201–12,345 of 12,345');
    assert.equal(pageLabel(pageOf(ids(12), 0, 200)), 'all 12');
    assert.equal(pageLabel(pageOf([], 0, 200)), 'none');
  });
});

describe("a chart line thinned to the chart's width", () => {
  it('keeps the first, lowest, highest and last point of each column, in order', () => {
    const ys = [3, 1, 9, 2, 0, 4, 5, 5, -2, 6, 5, 7];
    const points = ys.map((y, x) => ({ x, y }));
    // Two columns over x 0..11: x 0-5 and x 6-11.
    assert.deepEqual(downsampleMinMax(points, 2), [
      { x: 0, y: 3 },
      { x: 2, y: 9 },
      { x: 4, y: 0 },
      { x: 5, y: 4 },
      { x: 6, y: 5 },
      { x: 8, y: -2 },
      { x: 11, y: 7 },
    ]);
  });

  it('returns a line that fits as it is', () => {
    const points = [0, 1, 2, 3, 4, 5, 6, 7].map((x) => ({ x, y: x * 2 }));
    assert.deepEqual(downsampleMinMax(points, 2), points);
  });

  it('keeps a one-sample spike among 100,000 samples', () => {
    const points = Array.from({ length: 100_000 }, (_, x) => ({ x, y: x === 61_234 ? 500 : 0 }));
    const out = downsampleMinMax(points, 500);
    assert.ok(out.length <= 2000, `${out.length} points for 500 columns`);
    assert.ok(out.some((p) => p.x === 61_234 && p.y === 500));
    assert.deepEqual(out[0], { x: 0, y: 0 });
    assert.deepEqual(out[out.length - 1], { x: 99_999, y: 0 });
  });

  it('draws a progress chart of 20,000 samples with at most four points per pixel column', () => {
    const samples = Array.from({ length: 20_000 }, (_, i) => ({
      tMs: i * 100,
      processed: i * 5,
      failures: i,
    }));
    const c = progressChart(samples, 100_000);
    const processed = c.series[0];
    assert.ok(processed.kind === 'line');
    if (processed.kind !== 'line') return;
    const pts = processed.points.split(' ');
    // The plot is 600 - 56 - 12 = 532 units wide.
    assert.ok(pts.length <= 4 * 532, `${pts.length} points`);
    // It still starts at the origin and ends at the last sample: t = 1,999.9 s is the right edge, and
    // 99,995 of a scale to 100,000 sits 0.005 % under the top (10), which rounds to 10.
    assert.equal(pts[0], '56,154');
    assert.equal(pts[pts.length - 1], '588,10');
  });
});

function failed(n: number): FailedObject[] {
  return Array.from({ length: n }, (_, i) => ({
    objectId: `managed/alpha_user/u${String(i).padStart(4, '0')}`,
    reason: `reason ${i}`,
    level: 'error' as const,
    time: '2026-11-29T15:20:40.000Z',
  }));
}
function lines(n: number): RunLogLine[] {
  return Array.from({ length: n }, (_, i) => ({
    time: '2026-11-29T15:20:40.000Z',
    level: 'INFO',
    message: `line L${String(i).padStart(4, '0')}`,
  }));
}

/** Details of a finished run of 1,000 objects with `failures` failed objects and `log` lines. */
const details = (failures: number, log: number) =>
  runDetails({
    tenant: 'local',
    run: runRecord({ processed: 1000, total: 1000, failures }),
    failures: { state: 'ready', items: failed(failures), more: 0 },
    log: { state: 'ready', items: lines(log), more: 0 },
    now: 0,
  });

describe('run details kept whole, written one page at a time', () => {
  it('keeps every failed object and line in the model when no limit is given', () => {
    const d = details(1234, 5678);
    assert.equal(d.failures.state === 'ready' && d.failures.items.length, 1234);
    assert.equal(d.log.state === 'ready' && d.log.items.length, 5678);
  });

  it("caps them at the CLI's limits when asked, and counts the rest", () => {
    const d = runDetails({
      tenant: 'local',
      run: runRecord(),
      failures: { state: 'ready', items: failed(507), more: 0 },
      log: { state: 'ready', items: lines(2003), more: 0 },
      now: 0,
      limits: DETAILS_LIMITS,
    });
    assert.deepEqual(d.failures.state === 'ready' && [d.failures.items.length, d.failures.more], [500, 7]);
    assert.deepEqual(d.log.state === 'ready' && [d.log.items.length, d.log.more], [2000, 3]);
  });

  it('writes the first page of each list, says which part it is, and offers the next', () => {
    const body = detailsBody(details(150, 450));
    assert.match(body, /showing 1–100 of 150/);
    assert.match(body, /showing 1–200 of 450/);
    assert.ok(body.includes('managed/alpha_user/u0099'));
    assert.ok(!body.includes('managed/alpha_user/u0100'));
    assert.ok(body.includes('line L0199'));
    assert.ok(!body.includes('line L0200'));
    assert.match(body, /data-page="failures" data-from="100"[^>]*>Next</);
    assert.match(body, /data-page="log" data-from="400"[^>]*>Last</);
    assert.match(body, /data-page="log" data-from="" disabled[^>]*>Previous</);
  });

  it('writes a later page when asked, and no Next on the last', () => {
    const body = detailsBody(details(150, 450), { failures: 100, log: 400 });
    assert.match(body, /showing 101–150 of 150/);
    assert.match(body, /showing 401–450 of 450/);
    assert.ok(body.includes('managed/alpha_user/u0100'));
    assert.ok(body.includes('managed/alpha_user/u0149'));
    assert.ok(!body.includes('managed/alpha_user/u0099'));
    assert.ok(body.includes('line L0449'));
    assert.ok(!body.includes('line L0399'));
    assert.match(body, /data-page="log" data-from="200"[^>]*>Previous</);
    assert.match(body, /data-page="log" data-from="" disabled[^>]*>Next</);
  });

  it('has no page buttons when one page holds the list', () => {
    const body = detailsBody(details(3, 4));
    assert.doesNotMatch(body, /data-page=/);
    assert.match(body, /Failed objects <span class="count">3<\/span>/);
  });

  it('is as large for 15,000 failures and 85,000 lines as for one page of each', () => {
    // The body does not grow with the run: the same markup but for the counts and the range.
    const big = detailsBody(details(15_000, 85_000)).length;
    const small = detailsBody(details(101, 201)).length;
    assert.ok(big - small < 200, `${big} vs ${small} characters`);
  });
});

describe('filtering a list before it is paged', () => {
  it('keeps the items whose text holds the query, ignoring case and the spaces around it', () => {
    const items = ['Refusing alice', 'kept bob', 'REFUSING carol'];
    assert.deepEqual(
      matching(items, 'refusing', (s) => s),
      ['Refusing alice', 'REFUSING carol'],
    );
    assert.deepEqual(
      matching(items, '  Bob ', (s) => s),
      ['kept bob'],
    );
    assert.deepEqual(
      matching(items, 'dave', (s) => s),
      [],
    );
  });

  it('takes every character of the query literally', () => {
    assert.deepEqual(
      matching(['a.b', 'axb', 'A(B)[c]\\d*'], 'a.b', (s) => s),
      ['a.b'],
    );
    assert.deepEqual(
      matching(['a(b)[c]\\d*', 'abcd'], '(B)[C]\\D*', (s) => s),
      ['a(b)[c]\\d*'],
    );
  });

  it('gives the list itself for an empty or all-space query', () => {
    const items = ['a', 'b'];
    assert.equal(
      matching(items, '', (s) => s),
      items,
    );
    assert.equal(
      matching(items, '   ', (s) => s),
      items,
    );
  });

  it('searches a line by its level, object and message, and a failure by its object and reason', () => {
    const line = {
      time: '2026-11-29T15:20:40.000Z',
      level: 'WARN',
      objectId: 'managed/alpha_user/u1',
      message: 'refusing a',
    };
    for (const q of ['warn', 'alpha_user/u1', 'REFUSING', '15:20:40'])
      assert.equal(matching([line], q, logLineText).length, 1, q);
    assert.equal(matching([line], 'info', logLineText).length, 0);
    const failure = { objectId: 'managed/alpha_user/u7', reason: 'script returned false' };
    for (const q of ['u7', 'returned FALSE']) assert.equal(matching([failure], q, failureText).length, 1, q);
  });

  it('pages the matches only, and says how many of how many match', () => {
    // lines L0000-L0449: "L01" matches L0100-L0199 (100 lines), one page of 200
    const body = detailsBody(details(150, 450), { failures: 0, log: 0 }, { failures: 'u014', log: 'l01' });
    assert.match(body, /10 of 150 match/);
    assert.match(body, /100 of 450 match/);
    assert.ok(body.includes('line L0100') && body.includes('line L0199'));
    assert.ok(!body.includes('line L0000') && !body.includes('line L0200'));
    assert.ok(body.includes('managed/alpha_user/u0149'));
    assert.ok(!body.includes('managed/alpha_user/u0099'));
    assert.doesNotMatch(body, /data-page=/);
    // the box holds the query, escaped
    assert.match(body, /data-filter="log" value="l01"/);
  });

  it('finds a match on any page: the 401st line when the first page shows 200', () => {
    const body = detailsBody(details(3, 450), undefined, { failures: '', log: 'L0400' });
    assert.ok(body.includes('line L0400'));
    assert.match(body, /1 of 450 match/);
  });

  it('says when nothing matches, and escapes the query it quotes', () => {
    const body = detailsBody(details(3, 4), undefined, { failures: '<b>"x', log: '' });
    assert.match(body, /Nothing here matches “&lt;b&gt;&quot;x”/);
    assert.match(body, /0 of 3 match/);
    assert.match(body, /data-filter="failures" value="&lt;b&gt;&quot;x"/);
    assert.doesNotMatch(body, /<b>"x/);
  });

  it('has no filter box for an empty list', () => {
    const body = detailsBody(details(0, 4));
    assert.doesNotMatch(body, /data-filter="failures"/);
    assert.match(body, /data-filter="log"/);
  });
});
