/**
 * Run history in one JSON file per tenant (docs/logs.md "History"): the extension's global storage
 * folder, or `$XDG_CONFIG_HOME/scanjobs/history/` for the CLI. Writes are atomic (a temporary file
 * renamed over the old one) and serialized between processes by a lock file, so two windows or a
 * window and the CLI never lose each other's runs; a damaged file is set aside and started afresh,
 * never a reason to fail a run. Nothing secret is in it: run ids, job names, counts and times.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HISTORY_LIMITS, HistoryRun, HistoryStore, RateSample } from './types';

const FORMAT = 1;
const STATES = new Set(['INITIALIZED', 'ACTIVE', 'COMPLETED', 'CANCELLED', 'ERROR']);

/** `$SCANJOBS_CONFIG_DIR` or `$XDG_CONFIG_HOME/scanjobs` or `~/.config/scanjobs`, then `history/`. */
export function defaultHistoryDir(env: NodeJS.ProcessEnv): string {
  const dir = env.SCANJOBS_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'scanjobs');
  return join(dir, 'history');
}

/**
 * The file of one tenant: its label made safe for a file name, plus a short hash of its base URL so
 * two tenants with one label never share a file.
 */
export function historyFileName(label: string, baseUrl: string): string {
  const safe =
    label
      .replace(/^https?:\/\//, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 60) || 'tenant';
  const hash = createHash('sha256').update(baseUrl).digest('hex').slice(0, 8);
  return `${safe}-${hash}.json`;
}

export interface HistoryFileOptions {
  /** Told when a damaged file was set aside (the message names the file). */
  onDamaged?: (message: string) => void;
  /** A lock older than this is from a process that died; default 10 s. */
  staleLockMs?: number;
}

export class HistoryFile implements HistoryStore {
  constructor(
    readonly path: string,
    private readonly options: HistoryFileOptions = {},
  ) {}

  async list(): Promise<HistoryRun[]> {
    return sortRuns(await this.read());
  }

  async record(runs: HistoryRun[]): Promise<void> {
    if (runs.length === 0) return;
    await fs.mkdir(dirname(this.path), { recursive: true });
    await this.locked(async () => {
      const byId = new Map((await this.read()).map((r) => [r.runId, r]));
      for (const run of runs) byId.set(run.runId, merge(byId.get(run.runId), clean(run)));
      await this.write(bound([...byId.values()]));
    });
  }

  private async read(): Promise<HistoryRun[]> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const data = JSON.parse(text) as { format?: unknown; runs?: unknown };
      if (data.format !== FORMAT || !Array.isArray(data.runs))
        throw new Error('not a history file of this version');
      return data.runs.map(toHistoryRun).filter((r): r is HistoryRun => r !== undefined);
    } catch (err) {
      const aside = `${this.path}.damaged-${Date.now()}`;
      await fs.rename(this.path, aside).catch(() => undefined);
      this.options.onDamaged?.(
        `The run history ${this.path} could not be read (${(err as Error).message}); it was moved to ${aside} and history starts afresh.`,
      );
      return [];
    }
  }

  private async write(runs: HistoryRun[]): Promise<void> {
    const tmp = `${this.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ format: FORMAT, runs }) + '\n', { mode: 0o600 });
    await fs.rename(tmp, this.path);
  }

  /** Runs `body` holding `<file>.lock` (created exclusively); a lock left by a dead process is broken. */
  private async locked(body: () => Promise<void>): Promise<void> {
    const lock = `${this.path}.lock`;
    const stale = this.options.staleLockMs ?? 10_000;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await fs.open(lock, 'wx');
        await handle.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await fs.stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > stale) await fs.rm(lock, { force: true });
        else await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
      }
    }
    try {
      await body();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }
}

/** Newest information wins per field; samples are kept from whichever saw more of the run. */
function merge(old: HistoryRun | undefined, run: HistoryRun): HistoryRun {
  if (!old) return run;
  const newer = Date.parse(run.seenAt) >= Date.parse(old.seenAt) ? run : old;
  const older = newer === run ? old : run;
  return {
    ...newer,
    started: newer.started ?? older.started,
    ended: newer.ended ?? older.ended,
    samples: newer.samples.length >= older.samples.length ? newer.samples : older.samples,
  };
}

/** Keeps the newest runs of each job and of the tenant. */
function bound(runs: HistoryRun[]): HistoryRun[] {
  const sorted = sortRuns(runs);
  const perJob = new Map<string, number>();
  const kept: HistoryRun[] = [];
  for (let i = sorted.length - 1; i >= 0 && kept.length < HISTORY_LIMITS.runsPerTenant; i--) {
    const r = sorted[i]!;
    const n = perJob.get(r.job) ?? 0;
    if (n >= HISTORY_LIMITS.runsPerJob) continue;
    perJob.set(r.job, n + 1);
    kept.push(r);
  }
  return kept.reverse();
}

function sortRuns(runs: HistoryRun[]): HistoryRun[] {
  const at = (r: HistoryRun) => Date.parse(r.started ?? r.seenAt) || 0;
  return [...runs].sort((a, b) => at(a) - at(b));
}

/** Only the known fields, and at most `samplesPerRun` samples, evenly thinned. */
function clean(run: HistoryRun): HistoryRun {
  return {
    runId: run.runId,
    job: run.job,
    state: run.state,
    processed: run.processed,
    total: run.total,
    successes: run.successes,
    failures: run.failures,
    started: run.started,
    ended: run.ended,
    seenAt: run.seenAt,
    samples: thin(run.samples, HISTORY_LIMITS.samplesPerRun),
  };
}

/** At most `max` samples, the first and last always kept. */
export function thin(samples: RateSample[], max: number): RateSample[] {
  if (samples.length <= max) return samples.map((s) => ({ atMs: s.atMs, processed: s.processed }));
  const out: RateSample[] = [];
  for (let i = 0; i < max; i++) {
    const s = samples[Math.round((i * (samples.length - 1)) / (max - 1))]!;
    out.push({ atMs: s.atMs, processed: s.processed });
  }
  return out;
}

/** A run read from the file; anything malformed is skipped rather than trusted. */
function toHistoryRun(raw: unknown): HistoryRun | undefined {
  const r = (raw ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const time = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null);
  if (
    typeof r.runId !== 'string' ||
    typeof r.job !== 'string' ||
    typeof r.state !== 'string' ||
    !STATES.has(r.state)
  )
    return undefined;
  const samples = Array.isArray(r.samples)
    ? r.samples
        .map((s) => s as Record<string, unknown>)
        .filter((s) => typeof s?.atMs === 'number' && typeof s.processed === 'number')
        .map((s) => ({ atMs: s.atMs as number, processed: s.processed as number }))
    : [];
  return {
    runId: r.runId,
    job: r.job,
    state: r.state as HistoryRun['state'],
    processed: num(r.processed),
    total: num(r.total),
    successes: num(r.successes),
    failures: num(r.failures),
    started: time(r.started),
    ended: time(r.ended),
    seenAt: time(r.seenAt) ?? new Date(0).toISOString(),
    samples,
  };
}
