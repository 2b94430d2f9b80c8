/**
 * Turns on Node's one thread (issue 12, "Also": 20 active runs made requests wait 7 s). Long work —
 * a scan's rounds, a query's pages — awaits `next()` between slices; each turn of the event loop lets
 * exactly one waiting slice go, in arrival order, and HTTP requests are read between two turns. So
 * however many runs and queries are busy, a request waits for one slice (about 25 ms), not for a
 * slice of each of them.
 */
export class Turns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves on a later turn of the event loop, after the slices that asked before. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // An immediate queued while immediates run waits for the next turn of the loop, after its I/O.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()!();
      this.schedule();
    });
  }
}
