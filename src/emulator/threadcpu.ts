/**
 * CPU time of the calling thread, for the scripts' CPU limit (sandbox.ts). Scripts run on threads of
 * their own (scriptthreads.ts), so the process's CPU time would also count the HTTP thread and the
 * other script threads, and cut a script short on a busy emulator. Node has a per-thread clock only
 * from 23.9 (`process.threadCpuUsage`); on Linux the kernel's `/proc/thread-self/schedstat` gives the
 * thread's time on a CPU in nanoseconds; elsewhere the process's time is the fallback (docs/emulator.md).
 */
import { closeSync, openSync, readSync } from 'node:fs';

type Clock = () => number;

const threadUsage = (process as unknown as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;

function processMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** The kernel's counter for this thread, read through one file descriptor kept open per thread. */
function schedstatClock(): Clock | undefined {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return undefined;
  }
  const buffer = Buffer.alloc(128);
  const read = (): number => {
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.toString('latin1', 0, n);
    return Number(text.slice(0, text.indexOf(' '))) / 1000;
  };
  try {
    if (!Number.isFinite(read())) throw new Error('unreadable');
  } catch {
    closeSync(fd);
    return undefined;
  }
  return read;
}

let clock: Clock | undefined;
let kind: 'thread' | 'process' = 'thread';

/** This thread's CPU time in microseconds (see the file comment for the fallback). */
export function threadCpuMicros(): number {
  if (!clock) {
    if (threadUsage) {
      clock = () => {
        const u = threadUsage.call(process);
        return u.user + u.system;
      };
    } else {
      clock = schedstatClock();
      if (!clock) {
        kind = 'process';
        clock = processMicros;
      }
    }
  }
  return clock();
}

/** Whether threadCpuMicros measures this thread or, as a fallback, the whole process. */
export function cpuClockKind(): 'thread' | 'process' {
  threadCpuMicros();
  return kind;
}
