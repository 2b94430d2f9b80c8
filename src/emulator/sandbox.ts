/**
 * Script isolation for task-scanner and scheduler scripts (DESIGN.md, Runtime notes): each script thread
 * (scriptthreads.ts) owns a QuickJS runtime in WebAssembly. Nothing of the host is reachable from inside (no require, process,
 * files or network); the only bridge is `openidm.*` and `logger.*`, implemented by the emulator.
 * Limits: CPU time and memory per object; a runaway script is stopped and the runtime rebuilt.
 * The context is reused across objects for speed; each object still gets fresh bindings (direct eval
 * inside a function, implicit globals removed afterwards) and the built-ins are frozen.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  getQuickJS,
  newQuickJSWASMModule,
  newVariant,
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
  RELEASE_SYNC,
} from 'quickjs-emscripten';
import { mayLeakGlobals } from './leakcheck';
import { PRELUDE } from './sandbox-prelude';
import { threadCpuMicros } from './threadcpu';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The emulator side of `openidm.*` and `logger.*`. Host calls throw Error with a message to raise in the script. */
export interface ScriptHost {
  call(operation: string, args: unknown[]): unknown;
  log(level: LogLevel, message: string): void;
  /**
   * When present, `openidm.*` calls go through here as JSON instead of `call`: another thread answers
   * them (scriptthread.ts). `micros` is the time that thread took, charged to the script's CPU limit
   * as the host's own work always was.
   */
  callJson?(operation: string, argsJson: string): { reply: string; micros: number };
}

/** A host call answered as the script's bridge reads it: `{"value": …}` or `{"error": …, "code": …}`. */
export function answerCall(host: ScriptHost, operation: string, argsJson: string): string {
  try {
    const value = host.call(operation, JSON.parse(argsJson) as unknown[]);
    return JSON.stringify({ value: value === undefined ? null : value });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return JSON.stringify({ error: err instanceof Error ? err.message : String(err), code });
  }
}

export interface SandboxLimits {
  /** CPU time per object (ms). */
  timeoutMs: number;
  /** Heap cap of the worker's runtime (bytes). */
  memoryBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 2000, memoryBytes: 64 * 1024 * 1024 };

export type ScriptOutcome =
  { ok: true; isTrue: boolean; valueType: string } | { ok: false; error: string; fatal: boolean };

let modulePromise: Promise<QuickJSWASMModule> | undefined;
/** The shared WebAssembly module (syntax checks only); loaded once per process. */
export function quickJS(): Promise<QuickJSWASMModule> {
  modulePromise ??= getQuickJS();
  return modulePromise;
}

// esbuild bundles this file into CommonJS; the QuickJS packages stay outside the bundle.
const load = createRequire(__filename);
// The WebAssembly global of the runtime (this project's TypeScript lib declares only its types).
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      compile(bytes: Uint8Array): Promise<WebAssembly.Module>;
      Memory: new (descriptor: { initial: number; maximum: number }) => unknown;
    };
  }
).WebAssembly;
let compiled: Promise<WebAssembly.Module> | undefined;

/** WebAssembly pages (64 KiB) a module starts with: QuickJS's own minimum, 16 MiB. */
const INITIAL_PAGES = 256;
/** Room beside the script's heap for QuickJS's own data and stack. */
const HEADROOM_BYTES = 32 * 1024 * 1024;

/**
 * A QuickJS module of its own for one engine, its WebAssembly memory capped at the script heap limit
 * plus headroom (issue 12, item 6). The runtime's own limit does not bound everything a script can
 * allocate (ArrayBuffers took one shared module's memory to 2 GB), and WebAssembly memory never
 * shrinks; a module per engine is bounded by its cap and, once its engine is dropped after an
 * out-of-memory or a timeout, returned whole to the process by the garbage collector, without
 * freeing a million objects one by one. The binary is compiled once per process.
 */
async function isolatedQuickJS(memoryBytes: number): Promise<QuickJSWASMModule> {
  compiled ??= readFile(load.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')).then((bytes) =>
    wasm.compile(bytes),
  );
  const maximum = Math.max(INITIAL_PAGES, Math.ceil((memoryBytes + HEADROOM_BYTES) / 65536));
  const wasmMemory = new wasm.Memory({ initial: INITIAL_PAGES, maximum });
  type Options = Parameters<typeof newVariant>[1];
  return newQuickJSWASMModule(
    newVariant(RELEASE_SYNC, { wasmModule: await compiled, wasmMemory } as Options),
  );
}

/** One isolated script engine; not shared between concurrently running workers. */
export class ScriptEngine {
  private runtime!: QuickJSRuntime;
  private context!: QuickJSContext;
  private runFn!: QuickJSHandle;
  private compileFn!: QuickJSHandle;
  /** This thread's CPU time (µs) after which the running script is interrupted (threadcpu.ts). */
  private deadline = 0;
  /** Host time (µs) spent on the script's calls in another thread, counted as its CPU time. */
  private charged = 0;
  /**
   * Wall-clock time (performance.now) before which the deadline cannot have passed, since a thread
   * cannot use more CPU than the time elapsed: the CPU clock is read only after it.
   */
  private wallGate = 0;
  private interrupted = false;
  private host: ScriptHost;
  /**
   * Set after an out-of-memory, a timeout or an engine failure in an engine that owns its module:
   * its memory may be full, so it is dropped whole rather than reused or freed piece by piece.
   */
  spent = false;

  private constructor(
    private readonly module: QuickJSWASMModule,
    host: ScriptHost,
    readonly limits: SandboxLimits,
    /** Whether this engine owns its module (isolated) rather than sharing the process's. */
    private readonly owned = false,
  ) {
    this.host = host;
    this.build();
  }

  static async create(host: ScriptHost, limits: Partial<SandboxLimits> = {}): Promise<ScriptEngine> {
    return new ScriptEngine(await quickJS(), host, { ...DEFAULT_LIMITS, ...limits });
  }

  /** An engine with a WebAssembly module of its own, memory capped (isolatedQuickJS): for scripts. */
  static async isolated(host: ScriptHost, limits: Partial<SandboxLimits> = {}): Promise<ScriptEngine> {
    const full = { ...DEFAULT_LIMITS, ...limits };
    return new ScriptEngine(await isolatedQuickJS(full.memoryBytes), host, full, true);
  }

  /** Synchronous creation once the module is loaded (the emulator loads it at start). */
  static fromModule(
    module: QuickJSWASMModule,
    host: ScriptHost,
    limits: Partial<SandboxLimits> = {},
  ): ScriptEngine {
    return new ScriptEngine(module, host, { ...DEFAULT_LIMITS, ...limits });
  }

  /** The size of this engine's WebAssembly memory (its module's, shared or its own), in bytes. */
  get wasmBytes(): number {
    return this.module.getWasmMemory().buffer.byteLength;
  }

  /** Points `openidm` and `logger` at another host (e.g. per run) without rebuilding the context. */
  useHost(host: ScriptHost): void {
    this.host = host;
  }

  private build(): void {
    this.runtime = this.module.newRuntime();
    this.runtime.setMemoryLimit(this.limits.memoryBytes);
    // Below the host's own stack, so deep recursion is QuickJS's RangeError, not a crash of the host.
    this.runtime.setMaxStackSize(256 * 1024);
    // CPU time, not wall time: a busy machine does not cut a script short.
    this.runtime.setInterruptHandler(() => {
      if (performance.now() < this.wallGate) return false;
      if (threadCpuMicros() + this.charged <= this.deadline) return false;
      this.interrupted = true;
      return true;
    });
    const ctx = this.runtime.newContext();
    this.context = ctx;
    const hostFn = ctx.newFunction('__host', (opHandle, argsHandle) => {
      const op = ctx.getString(opHandle);
      const argsJson = ctx.getString(argsHandle);
      let reply: string;
      if (this.host.callJson) {
        const answered = this.host.callJson(op, argsJson);
        this.charged += answered.micros;
        reply = answered.reply;
      } else reply = answerCall(this.host, op, argsJson);
      return ctx.newString(reply);
    });
    ctx.setProp(ctx.global, '__host', hostFn);
    hostFn.dispose();
    const logFn = ctx.newFunction('__log', (levelHandle, messageHandle) => {
      this.host.log(ctx.getString(levelHandle) as LogLevel, ctx.getString(messageHandle));
    });
    ctx.setProp(ctx.global, '__log', logFn);
    logFn.dispose();
    this.startClock(10_000);
    const pair = ctx.unwrapResult(ctx.evalCode(PRELUDE, 'prelude.js'));
    this.runFn = ctx.getProp(pair, 0);
    this.compileFn = ctx.getProp(pair, 1);
    pair.dispose();
  }

  /** Starts the CPU allowance of one script (ms). */
  private startClock(ms: number): void {
    this.charged = 0;
    this.wallGate = performance.now() + ms;
    this.deadline = threadCpuMicros() + ms * 1000;
  }

  /**
   * After a runaway script. An isolated engine is marked spent (its owner drops it; a further run
   * first builds a fresh runtime in the same capped memory); a shared-module engine is rebuilt.
   */
  private rebuild(): void {
    if (this.owned) {
      this.spent = true;
      return;
    }
    this.dispose();
    this.build();
  }

  /** A syntax error's message, or undefined when the source compiles. */
  compile(source: string): string | undefined {
    const ctx = this.context;
    this.startClock(this.limits.timeoutMs);
    const src = ctx.newString(source);
    const result = ctx.callFunction(this.compileFn, ctx.undefined, src);
    src.dispose();
    if (result.error) {
      const message = String(ctx.dump(result.error));
      result.error.dispose();
      return message;
    }
    const message = ctx.getString(result.value);
    result.value.dispose();
    return message === '' ? undefined : message;
  }

  /** Handles of strings that stay the same from object to object (script, id prefix, globals). */
  private readonly constants = new Map<string, QuickJSHandle>();

  private constant(slot: string, text: string): QuickJSHandle {
    const key = `${slot}\u0000${text}`;
    let handle = this.constants.get(key);
    if (!handle) {
      for (const [k, h] of this.constants) {
        if (k.startsWith(`${slot}\u0000`)) {
          h.dispose();
          this.constants.delete(k);
        }
      }
      handle = this.context.newString(text);
      this.constants.set(key, handle);
    }
    return handle;
  }

  private readonly leaks = new Map<string, boolean>();

  /** Whether the script could create globals, so they must be removed after it (leakcheck.ts). */
  private mayLeak(source: string, globalsJson: string): boolean {
    const key = `${globalsJson}\u0000${source}`;
    const known = this.leaks.get(key);
    if (known !== undefined) return known;
    const names = globalsJson === '' ? [] : Object.keys(JSON.parse(globalsJson) as object);
    const leak = mayLeakGlobals(source, names);
    if (this.leaks.size > 100) this.leaks.clear();
    this.leaks.set(key, leak);
    return leak;
  }

  private dropConstants(): void {
    for (const h of this.constants.values()) h.dispose();
    this.constants.clear();
  }

  /**
   * Runs a script for one object. `inputJson` is the object as JSON (with `_id`); `objectID` is
   * `idPrefix + _id`; `globalsJson` the script config's `globals` as JSON or '' for none.
   * Success needs the completion value to be exactly `true` (idm-api.md §5.6).
   */
  run(source: string, inputJson: string, idPrefix: string, globalsJson = ''): ScriptOutcome {
    if (this.spent) {
      // The old runtime is abandoned inside the capped memory, never freed object by object.
      this.spent = false;
      this.constants.clear();
      this.build();
    }
    const ctx = this.context;
    const input = ctx.newString(inputJson);
    const args = [
      this.constant('source', source),
      input,
      this.constant('prefix', idPrefix),
      this.constant('globals', globalsJson),
      this.mayLeak(source, globalsJson) ? ctx.true : ctx.false,
    ];
    this.startClock(this.limits.timeoutMs);
    this.interrupted = false;
    let result: ReturnType<QuickJSContext['callFunction']>;
    try {
      result = ctx.callFunction(this.runFn, ctx.undefined, ...args);
    } catch (err) {
      // The engine itself failed (host stack, WebAssembly trap): its state is unknown, so it is
      // abandoned rather than disposed, and a fresh one takes its place.
      this.constants.clear();
      if (this.owned) this.spent = true;
      else this.build();
      return {
        ok: false,
        fatal: true,
        error: `the script engine failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    input.dispose();
    if (result.error) {
      const dumped = ctx.dump(result.error) as { name?: string; message?: string } | string;
      result.error.dispose();
      const message =
        typeof dumped === 'object' && dumped !== null
          ? `${dumped.name ?? 'Error'}: ${dumped.message ?? ''}`
          : String(dumped);
      if (this.interrupted) {
        this.rebuild();
        return {
          ok: false,
          fatal: true,
          error: `script stopped after ${this.limits.timeoutMs} ms of CPU time (endless loop?)`,
        };
      }
      if (/out of memory/i.test(message) || dumped === null) {
        this.rebuild();
        return {
          ok: false,
          fatal: true,
          error: `script ran out of memory (limit ${Math.round(this.limits.memoryBytes / 1048576)} MB)`,
        };
      }
      return { ok: false, fatal: false, error: message };
    }
    const isTrue = ctx.typeof(result.value) === 'number';
    const valueType = isTrue ? 'boolean' : ctx.getString(result.value);
    result.value.dispose();
    return { ok: true, isTrue, valueType };
  }

  dispose(): void {
    // A spent isolated engine is dropped with its module: freeing its heap piece by piece took seconds.
    if (this.spent) return;
    this.dropConstants();
    this.runFn.dispose();
    this.compileFn.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }
}
