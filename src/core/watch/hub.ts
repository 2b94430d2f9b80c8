import type { WatchEnd, WatchListener } from './events';
import { RunSource, RunWatcher, WatchOptions } from './watcher';

/**
 * Shares one watcher per run id between listeners (a tree view and a status bar watching the same
 * run send one request per poll). A watcher stops when its last listener leaves.
 */
export class RunWatchHub {
  private watchers = new Map<string, { watcher: RunWatcher; count: number }>();

  constructor(
    private readonly source: RunSource,
    private readonly options: WatchOptions = {},
  ) {}

  follow(runId: string, listener: WatchListener): { done: Promise<WatchEnd>; stop: () => void } {
    let entry = this.watchers.get(runId);
    if (!entry) {
      const watcher = new RunWatcher(runId, this.source, this.options);
      entry = { watcher, count: 0 };
      this.watchers.set(runId, entry);
      void watcher.done.then(() => this.watchers.delete(runId));
      void watcher.start();
    }
    const e = entry;
    e.count++;
    const off = e.watcher.on(listener);
    let stopped = false;
    return {
      done: e.watcher.done,
      stop: () => {
        if (stopped) return;
        stopped = true;
        off();
        if (--e.count === 0) e.watcher.stop();
      },
    };
  }

  /** How many runs are being polled now (zero when nobody watches). */
  get size(): number {
    return this.watchers.size;
  }
}
