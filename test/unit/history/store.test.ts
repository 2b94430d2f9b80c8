// The local run history (docs/logs.md "History"): bounded, atomic, safe with concurrent writers and
// a damaged file, and holding nothing but runs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HISTORY_LIMITS,
  HistoryFile,
  HistoryRun,
  RunRecorder,
  defaultHistoryDir,
  historyFileName,
  historyPoints,
  recordListing,
} from '../../../src/core/history';
import type { RunRecord } from '../../../src/core/tenant';

function historyRun(runId: string, job: string, over: Partial<HistoryRun> = {}): HistoryRun {
  return {
    runId,
    job,
    state: 'COMPLETED',
    processed: 10,
    total: 10,
    successes: 10,
    failures: 0,
    started: '2026-01-01T10:00:00.000Z',
    ended: '2026-01-01T10:00:10.000Z',
    seenAt: '2026-01-01T10:00:11.000Z',
    samples: [],
    ...over,
  };
}

function runRecord(id: string, job: string, state: RunRecord['progress']['state'], processed = 0): RunRecord {
  return {
    _id: id,
    name: `schedule/${job}`,
    progress: { state, processed, total: 100, successes: processed, failures: 0 },
    started: '2026-01-01T10:00:00.000Z',
    ended: state === 'COMPLETED' ? '2026-01-01T10:00:20.000Z' : null,
  };
}

describe('run history store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives under XDG_CONFIG_HOME (or SCANJOBS_CONFIG_DIR, or ~/.config) and one file per tenant', () => {
    assert.equal(defaultHistoryDir({ XDG_CONFIG_HOME: '/x' }), join('/x', 'scanjobs', 'history'));
    assert.equal(
      defaultHistoryDir({ SCANJOBS_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x' }),
      join('/c', 'history'),
    );
    const a = historyFileName('dev', 'https://a.example');
    assert.match(a, /^dev-[0-9a-f]{8}\.json$/);
    assert.notEqual(a, historyFileName('dev', 'https://b.example'));
    assert.match(historyFileName('https://t.example:8443/x', 'u'), /^t\.example_8443_x-/);
  });

  it('adds and updates runs by id, oldest first', async () => {
    const store = new HistoryFile(join(dir, 'h.json'));
    await store.record([
      historyRun('r2', 'a', { started: '2026-01-01T11:00:00.000Z' }),
      historyRun('r1', 'a'),
    ]);
    await store.record([historyRun('r1', 'a', { failures: 3, seenAt: '2026-01-01T12:00:00.000Z' })]);
    const runs = await store.list();
    assert.deepEqual(
      runs.map((r) => [r.runId, r.failures]),
      [
        ['r1', 3],
        ['r2', 0],
      ],
    );
  });

  it('keeps at most runsPerJob runs of a job, the newest', async () => {
    const store = new HistoryFile(join(dir, 'h.json'));
    const n = HISTORY_LIMITS.runsPerJob + 5;
    const runs = Array.from({ length: n }, (_, i) =>
      historyRun(`r${i}`, 'busy', { started: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }),
    );
    await store.record([...runs, historyRun('q', 'quiet')]);
    const kept = await store.list();
    assert.equal(kept.filter((r) => r.job === 'busy').length, HISTORY_LIMITS.runsPerJob);
    assert.ok(!kept.some((r) => r.runId === 'r0'));
    assert.ok(kept.some((r) => r.runId === `r${n - 1}`));
    assert.ok(kept.some((r) => r.runId === 'q'));
  });

  it('thins rate samples to samplesPerRun, keeping the first and the last', async () => {
    const store = new HistoryFile(join(dir, 'h.json'));
    const samples = Array.from({ length: 1000 }, (_, i) => ({ atMs: i * 100, processed: i }));
    await store.record([historyRun('r', 'a', { samples })]);
    const [run] = await store.list();
    assert.equal(run!.samples.length, HISTORY_LIMITS.samplesPerRun);
    assert.deepEqual(run!.samples[0], { atMs: 0, processed: 0 });
    assert.deepEqual(run!.samples.at(-1), { atMs: 99_900, processed: 999 });
  });

  it('sets a damaged file aside, says so, and starts afresh', async () => {
    const path = join(dir, 'h.json');
    writeFileSync(path, '{"format":1,"runs":[{"runId":');
    const told: string[] = [];
    const store = new HistoryFile(path, { onDamaged: (m) => told.push(m) });
    assert.deepEqual(await store.list(), []);
    assert.match(told[0]!, /could not be read .* moved to .*damaged/);
    await store.record([historyRun('r1', 'a')]);
    assert.equal((await store.list()).length, 1);
    assert.equal(readdirSync(dir).filter((f) => f.includes('damaged')).length, 1);
  });

  it('skips malformed runs in an otherwise good file', async () => {
    const path = join(dir, 'h.json');
    writeFileSync(
      path,
      JSON.stringify({ format: 1, runs: [historyRun('ok', 'a'), { runId: 'x', state: 'WEIRD' }, 7] }),
    );
    assert.deepEqual(
      (await new HistoryFile(path).list()).map((r) => r.runId),
      ['ok'],
    );
  });

  it('loses no run when several processes write at once (lock + atomic rename)', async function () {
    this.timeout(120_000);
    const path = join(dir, 'h.json');
    const writer = join(dir, 'writer.ts');
    writeFileSync(
      writer,
      `import { HistoryFile } from ${JSON.stringify(join(process.cwd(), 'src/core/history'))};
const [path, who] = process.argv.slice(2);
(async () => {
  const store = new HistoryFile(path);
  for (let i = 0; i < 15; i++) {
    await store.record([{ runId: who + '-' + i, job: who, state: 'COMPLETED', processed: 1, total: 1, successes: 1,
      failures: 0, started: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), ended: null,
      seenAt: new Date().toISOString(), samples: [] }]);
  }
})();`,
    );
    const procs = ['w1', 'w2', 'w3'].map(
      (who) =>
        new Promise<number>((resolve) =>
          spawn(process.execPath, ['--import', 'tsx', writer, path, who], { stdio: 'inherit' }).on(
            'exit',
            (c) => resolve(c ?? 1),
          ),
        ),
    );
    assert.deepEqual(await Promise.all(procs), [0, 0, 0]);
    const runs = await new HistoryFile(path).list();
    assert.equal(runs.length, 45);
    assert.deepEqual(readdirSync(dir).sort(), ['h.json', 'writer.ts'], 'no lock or temporary file left');
  });

  it('a followed run is written with its samples and, when CANCELLED, with this client’s end time', async () => {
    const store = new HistoryFile(join(dir, 'h.json'));
    let now = Date.parse('2026-01-01T10:00:05.000Z');
    const rec = new RunRecorder(store, 'sunset', () => now);
    const r1 = runRecord('run-1', 'sunset', 'ACTIVE', 10);
    rec.listener({ type: 'progress', run: r1, stats: { ...r1.progress, rate: undefined, etaMs: undefined } });
    now += 5000;
    const r2 = runRecord('run-1', 'sunset', 'ACTIVE', 40);
    rec.listener({ type: 'progress', run: r2, stats: { ...r2.progress, rate: 6, etaMs: 10_000 } });
    now += 1000;
    const r3 = runRecord('run-1', 'sunset', 'CANCELLED', 40);
    rec.listener({ type: 'final', run: r3, stats: { ...r3.progress, rate: 6, etaMs: undefined } });
    await rec.flush();
    const [run] = await store.list();
    assert.equal(run!.state, 'CANCELLED');
    assert.equal(run!.ended, '2026-01-01T10:00:11.000Z');
    assert.deepEqual(run!.samples, [
      { atMs: 5000, processed: 10 },
      { atMs: 10_000, processed: 40 },
    ]);
  });

  it('a listing keeps what a follower knew (samples, end time) and never fails its caller', async () => {
    const store = new HistoryFile(join(dir, 'h.json'));
    await store.record([
      historyRun('run-1', 'sunset', {
        state: 'CANCELLED',
        ended: '2026-01-01T10:00:11.000Z',
        samples: [{ atMs: 1, processed: 1 }],
      }),
    ]);
    await recordListing(store, [
      runRecord('run-1', 'sunset', 'CANCELLED', 40),
      runRecord('run-2', 'sunset', 'COMPLETED', 100),
    ]);
    const runs = await store.list();
    const one = runs.find((r) => r.runId === 'run-1')!;
    assert.equal(one.ended, '2026-01-01T10:00:11.000Z');
    assert.equal(one.samples.length, 1);
    assert.equal(runs.length, 2);
    const errors: unknown[] = [];
    const broken = new HistoryFile(join(dir, 'no', '\u0000bad'));
    await recordListing(broken, [runRecord('r', 'j', 'COMPLETED')], new Date(), (e) => errors.push(e));
    assert.equal(errors.length, 1);
  });

  it('chart points: duration and throughput per run of one job; unknown stays null', () => {
    const points = historyPoints(
      [
        historyRun('r1', 'a', { processed: 50 }),
        historyRun('r2', 'a', { state: 'ACTIVE', ended: null }),
        historyRun('r3', 'b'),
      ],
      'a',
    );
    assert.deepEqual(
      points.map((p) => [p.runId, p.durationMs, p.throughput]),
      [
        ['r1', 10_000, 5],
        ['r2', null, null],
      ],
    );
  });

  it('holds no secret: only the run fields are written, whatever an entry carries', async () => {
    const path = join(dir, 'h.json');
    const sneaky = { ...historyRun('r1', 'a'), token: 'Bearer secret-token-value' } as HistoryRun;
    await new HistoryFile(path).record([sneaky]);
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes('secret-token-value'));
    assert.deepEqual(Object.keys(JSON.parse(text).runs[0]).sort(), [
      'ended',
      'failures',
      'job',
      'processed',
      'runId',
      'samples',
      'seenAt',
      'started',
      'state',
      'successes',
      'total',
    ]);
  });
});
