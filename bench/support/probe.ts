/**
 * Measures how long a tenant keeps a light request waiting while other work runs on it: one probe at a
 * time, 10 ms apart, from the start of `work` until it settles. A probe that fails (connection reset or
 * refused) still counts its time, and the failure is counted too.
 */
export interface Probed {
  /** Each probe's time to answer (or to fail), ms, in order. */
  latencies: number[];
  /** Probes that failed. */
  errors: number;
}

export async function probed(ping: () => Promise<unknown>, work: () => Promise<unknown>): Promise<Probed> {
  const result: Probed = { latencies: [], errors: 0 };
  let done = false;
  const probe = (async () => {
    while (!done) {
      const t0 = performance.now();
      try {
        await ping();
      } catch {
        result.errors++;
      }
      result.latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await probe;
  }
  return result;
}
