import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server';
import { IdmPasswordSignIn, TenantClient } from '../../src/core/tenant';
import { ScanQueryError, previewJson, previewMatches } from '../../src/core/preview';
import { FaultProxy } from '../support/fault-proxy';
import { sunsetJob, sunsetUser } from './support/sunset-users';

// The instant of every preview here; the users' task states are set around it (10m recovery window).
const NOW = new Date('2026-06-01T12:00:00.000Z');
const PAST = '2026-05-01T00:00:00.000Z';
const FUTURE = '2026-07-01T00:00:00.000Z';

const USERS = [
  sunsetUser('a-fresh', { date: PAST }),
  sunsetUser('b-claimed', { date: PAST, 'task-started': '2026-06-01T11:55:00.000Z' }),
  sunsetUser('c-done', {
    date: PAST,
    'task-started': '2026-06-01T11:55:00.000Z',
    'task-completed': '2026-06-01T11:56:00.000Z',
  }),
  sunsetUser('d-abandoned', { date: PAST, 'task-started': '2026-06-01T11:00:00.000Z' }),
  sunsetUser('e-later', { date: FUTURE }),
  sunsetUser('f-bad-start', { date: PAST, 'task-started': '2026-05-31' }),
  sunsetUser('g-old-done', {
    date: PAST,
    'task-started': '2026-06-01T10:00:00.000Z',
    'task-completed': '2026-06-01T10:01:00.000Z',
  }),
];

describe('preview: a job’s matches and their task state, over real HTTP', function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  let proxy: FaultProxy;
  let client: TenantClient;

  before(async () => {
    emu = await startEmulator({ port: 0, inMemory: true, log: () => undefined });
    const admin = new TenantClient(emu.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
    });
    for (const { _id, ...body } of USERS)
      await admin.http.request({ method: 'PUT', path: `/openidm/managed/alpha_user/${_id}`, body });
    await admin.close();
    proxy = await FaultProxy.start(emu.url);
    client = new TenantClient(proxy.url, new IdmPasswordSignIn('openidm-admin', 'openidm-admin'), {
      env: {},
    });
  });
  after(async () => {
    await client.close();
    await proxy.close();
    await emu.close();
  });
  beforeEach(() => proxy.log.splice(0));

  it('expands the macros at --now and splits the matches as the scanner would (§5.4, §5.5)', async () => {
    const p = await previewMatches(client, sunsetJob(), { now: NOW });
    assert.equal(p.object, 'managed/alpha_user');
    assert.equal(p.filter, '/sunset/date lt "${Time.now}"');
    assert.equal(p.expandedFilter, '/sunset/date lt "2026-06-01T12:00:00.000Z"');
    assert.equal(p.now, '2026-06-01T12:00:00.000Z');
    assert.equal(p.matched, 6);
    assert.equal(p.exact, true);
    // a (never started), d (started an hour ago: past the 10m window), g (completed long ago).
    assert.equal(p.wouldProcess, 3);
    assert.equal(p.claimed, 1);
    assert.equal(p.completed, 1);
    assert.equal(p.invalidStarted, 1);
    assert.equal(p.rerunCompleted, 1);
    assert.ok(p.notes.some((n) => /does not exclude completed/.test(n)));
    assert.ok(p.notes.some((n) => /not yyyy-MM-ddTHH:mm:ss.SSSZ/.test(n)));
    assert.deepEqual(
      p.samples.map((s) => [s._id, s.state]),
      [
        ['a-fresh', 'wouldProcess'],
        ['b-claimed', 'claimed'],
        ['c-done', 'completed'],
        ['d-abandoned', 'wouldProcess'],
        ['f-bad-start', 'invalidStarted'],
        ['g-old-done', 'wouldProcess'],
      ],
    );
    assert.deepEqual(p.samples[1]!.fields, {
      '/sunset/date': PAST,
      '/sunset/task-started': '2026-06-01T11:55:00.000Z',
    });
  });

  it('keeps to the JSON member names of the issue', async () => {
    const p = await previewMatches(client, sunsetJob(), { now: NOW, sample: 2 });
    assert.deepEqual(Object.keys(previewJson(p)), [
      'object',
      'filter',
      'expandedFilter',
      'now',
      'matched',
      'exact',
      'wouldProcess',
      'claimed',
      'completed',
      'samples',
    ]);
    assert.equal(p.samples.length, 2);
  });

  it('pages through the matches with GETs only, asking for just the fields it uses', async () => {
    const p = await previewMatches(client, sunsetJob(), { now: NOW, pageSize: 2 });
    assert.equal(p.matched, 6);
    assert.equal(p.wouldProcess, 3);
    assert.equal(proxy.log.length, 3, 'six matches in pages of two');
    for (const r of proxy.log) {
      assert.equal(r.method, 'GET');
      const url = new URL(r.path, 'http://x');
      assert.equal(url.pathname, '/openidm/managed/alpha_user');
      assert.deepEqual(url.searchParams.get('_fields')!.split(',').sort(), [
        'sunset/date',
        'sunset/task-completed',
        'sunset/task-started',
      ]);
    }
  });

  it('counts a wider recovery window as claiming more (recovery.timeout 2h)', async () => {
    const p = await previewMatches(client, sunsetJob({ timeout: '2h' }), { now: NOW });
    // d (1h ago) is now within the window and unfinished; g (2h ago exactly) is not: started + 2h = now.
    assert.deepEqual([p.wouldProcess, p.claimed, p.completed], [2, 2, 1]);
  });

  it('estimates from the first matches past the scan limit, with the tenant’s exact count', async () => {
    const p = await previewMatches(client, sunsetJob(), { now: NOW, pageSize: 2, scanLimit: 2 });
    assert.equal(p.matched, 6);
    assert.equal(p.exact, false);
    assert.match(p.how, /_totalPagedResultsPolicy=EXACT/);
    assert.match(p.how, /estimated from the first 2/);
    // The first two (a: would process, b: claimed) scaled to six.
    assert.deepEqual([p.wouldProcess, p.claimed, p.completed], [3, 3, 0]);
    assert.ok(proxy.log.every((r) => r.method === 'GET'));
  });

  it('splits only the first maxRecords matches, as a run scans only those (§5.1)', async () => {
    const p = await previewMatches(client, sunsetJob({ maxRecords: 2 }), { now: NOW });
    assert.equal(p.matched, 6);
    assert.deepEqual([p.wouldProcess, p.claimed, p.completed], [1, 1, 0]);
    assert.ok(p.notes.some((n) => /maxRecords is 2/.test(n)));
  });

  it('previews the completed-excluding filter of the docs, with the offset macro', async () => {
    const job = sunsetJob({
      filter: '((/sunset/date lt "${Time.now - 1d}") AND !(/sunset/task-completed pr))',
    });
    const p = await previewMatches(client, job, { now: NOW });
    assert.equal(
      p.expandedFilter,
      '((/sunset/date lt "2026-05-31T12:00:00.000Z") AND !(/sunset/task-completed pr))',
    );
    // a, b, d, f: the completed ones are filtered out.
    assert.deepEqual([p.matched, p.wouldProcess, p.claimed, p.completed, p.invalidStarted], [4, 2, 1, 0, 1]);
  });

  it('names the job setting a preview cannot use, before sending anything', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ invokeContext: { scan: { object: 'managed/alpha_user', _queryId: 'scan-tasks' } } }, /_queryId/],
      [sunsetJob({ filter: '/sunset/date lt "${Time.now + 1}"' }), /scan\._queryFilter.*not a number/],
      [sunsetJob({ filter: '/sunset/date lt' }), /does not parse/],
      [sunsetJob({ object: 'alpha_user' }), /scan\.object must name a managed object/],
      [sunsetJob({ timeout: 'ten minutes' }), /recovery\.timeout/],
      [{ invokeService: 'script' }, /not a scan job/],
    ];
    for (const [job, message] of cases) {
      await assert.rejects(previewMatches(client, job, { now: NOW }), (err: unknown) => {
        assert.ok(err instanceof ScanQueryError, String(err));
        assert.match(err.message, message);
        return true;
      });
    }
    assert.equal(proxy.log.length, 0);
  });
});
