/**
 * One batch of a scan on a script thread (scanworkers.ts, scriptthreads.ts): the claimed objects'
 * scripts run there while this thread answers their `openidm.*` calls and buffers their log lines;
 * the outcomes are recorded in one transaction (objects that wrote are recorded as soon as their
 * script ends, so a worker stopped by one does not go on). Objects the thread did not reach (its time
 * was up, a cancel) go back to their workers, still claimed; a thread that died fails the object it was on.
 */
import { answerCall } from './sandbox';
import { ManagedScriptHost } from './scripthost';
import type { ThreadOutcome } from './scriptprotocol';
import { BatchResult, ThreadsClosed } from './scriptthreads';
import { Claimed, ObjectScan, recordOutcome } from './scanworkers';

/** The time a batch's scripts may take before the rest waits for the next batch (ms). */
const BATCH_MS = 25;

/**
 * Runs a batch and records it. Resolves with how many of its objects the thread reached, and whether
 * it died before running any script (so no object is to blame).
 */
export async function runBatch(
  scan: ObjectScan,
  batch: Claimed[],
): Promise<{ reached: number; lostBeforeAny: boolean }> {
  const { ctx, run, plan, script } = scan;
  const host = new ManagedScriptHost(ctx.o.managed, () => undefined);
  let tracing: Claimed | undefined;
  if (ctx.o.traceScriptCalls)
    host.onCall = (operation, resource, outcome) =>
      tracing?.lines.push({
        entry: {
          time: ctx.o.clock().toISOString(),
          level: 'trace',
          source: 'scanner',
          objectID: tracing.objectID,
          message: `openidm.${operation} ${resource}: ${outcome}`,
        },
        cut: false,
      });
  const record = (outcomes: ThreadOutcome[]): void => {
    if (outcomes.length === 0) return;
    ctx.o.store.db.transaction(() => {
      for (const { index, outcome } of outcomes) {
        const c = batch[index]!;
        c.recorded = true;
        for (const line of c.lines.splice(0)) ctx.o.runs.appendClipped(run.record._id, line.entry, line.cut);
        if (recordOutcome(scan, c, outcome) !== 'next') c.w.stopped = true;
      }
      ctx.o.runs.save(run.record);
    });
  };
  const running = ctx.threads.run(
    {
      source: script.source,
      prefix: `${plan.object}/`,
      globalsJson: script.globalsJson,
      items: batch.map((c) => ({ key: c.w.key, input: JSON.stringify(c.claim.object) })),
      sliceMs: BATCH_MS,
    },
    {
      lines(lines, dropped) {
        for (const line of lines) {
          const c = batch[line.index]!;
          // The tenant's log too, as AIC's idm-core (logstream.ts).
          ctx.o.scriptLog?.(line.level, line.message);
          c.lines.push({
            entry: {
              time: ctx.o.clock().toISOString(),
              level: line.level,
              source: 'script',
              objectID: c.objectID,
              message: line.message,
            },
            cut: line.cut,
          });
        }
        ctx.o.runs.countDropped(run.record._id, dropped);
      },
      call(index, operation, argsJson) {
        const c = batch[index]!;
        tracing = c;
        host.wrote = false;
        host.beforeCall = () => c.claim.write();
        try {
          return answerCall(host, operation, argsJson);
        } finally {
          host.beforeCall = undefined;
          tracing = undefined;
          if (host.wrote) c.wrote = true;
        }
      },
      settle(outcomes) {
        record(outcomes);
        const last = outcomes[outcomes.length - 1];
        return last ? batch[last.index]!.w.stopped : false;
      },
    },
  );
  run.stopBatch = running.stop;
  if (run.cancelled) running.stop();
  let result: BatchResult;
  try {
    result = await running.done;
  } catch (err) {
    // No thread could be had (the emulator is closing): nothing ran. Anything else ends the run.
    if (!(err instanceof ThreadsClosed)) {
      for (const c of batch) if (!c.recorded) ctx.o.objects.release(scan.collection, c.id);
      throw err;
    }
    result = { next: 0, outcomes: [] };
  } finally {
    run.stopBatch = undefined;
  }
  record(result.outcomes);
  if (result.crash) {
    const { index, reason } = result.crash;
    const failed: ThreadOutcome[] = [];
    for (let i = 0; i <= index; i++) {
      const c = batch[i]!;
      if (c.recorded || c.w.stopped || failed.some((f) => batch[f.index]!.w === c.w)) continue;
      failed.push({
        index: i,
        outcome: {
          ok: false,
          fatal: true,
          error: `the script thread ended (${reason}) while this object's script ran or before its result was reported`,
        },
      });
    }
    record(failed);
    ctx.o.log(`run ${run.record._id}: a script thread ended (${reason}); ${failed.length} object(s) failed`);
  }
  // The objects not reached go back to their workers, in order, still claimed.
  for (let i = batch.length - 1; i >= 0; i--) {
    const c = batch[i]!;
    if (c.recorded) continue;
    if (c.w.stopped) ctx.o.objects.release(scan.collection, c.id);
    else c.w.carry.unshift(c);
  }
  return {
    reached: result.crash ? result.crash.index + 1 : result.next,
    lostBeforeAny: result.crash !== undefined && result.crash.index < 0,
  };
}
