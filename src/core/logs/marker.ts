/**
 * The push marker (docs/logs.md "Markers"). AIC's script lines carry no job, run or transaction id,
 * so lines of two jobs running at once cannot be told apart by time. Where the user agrees, push
 * turns the first argument `x` of every `logger.<level>(x, ...)` call into
 * `"[scanjobs:<job>] " + (x)`, and the log reader takes the prefix off again and knows the job.
 *
 * The calls are found with a JavaScript parser (acorn), not a pattern: a `logger.info` inside a
 * string or a comment is left alone. Text is only inserted on the call's own line, so line numbers
 * in the tenant's error messages stay those of the user's file, and placeholders (`{}`) keep working.
 */
import { parse } from 'acorn';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error']);

/** The text put before a marked call's first argument, for one job. */
export function markerOf(job: string): string {
  return `"[scanjobs:${encodeURIComponent(job)}] " + (`;
}

export interface MarkResult {
  source: string;
  /** How many `logger` calls were marked. */
  marked: number;
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/**
 * Marks every `logger.<level>(first, ...)` call of a script; marking a marked script again changes
 * only the job. A script that does not parse is returned unchanged with `marked: 0` (validation is
 * what reports it).
 */
export function markLoggerCalls(source: string, job: string): MarkResult {
  const clean = unmarkLoggerCalls(source);
  const args = loggerFirstArguments(clean);
  if (!args || args.length === 0) return { source: clean, marked: 0 };
  let out = '';
  let last = 0;
  for (const arg of args) {
    out += `${clean.slice(last, arg.start)}${markerOf(job)}${clean.slice(arg.start, arg.end)})`;
    last = arg.end;
  }
  return { source: out + clean.slice(last), marked: args.length };
}

/** Takes out every marker push put in, so a pulled or compared script is the user's own again. */
export function unmarkLoggerCalls(source: string): string {
  const args = loggerFirstArguments(source);
  if (!args) return source;
  let out = '';
  let last = 0;
  for (const arg of args) {
    const inner = markedInner(arg);
    if (!inner) continue;
    out += source.slice(last, arg.start) + source.slice(inner.start, inner.end);
    last = arg.end;
  }
  return out + source.slice(last);
}

/** For `"[scanjobs:job] " + (x)`, the node of `x`. */
function markedInner(arg: Node): Node | undefined {
  if (arg.type !== 'BinaryExpression' || arg.operator !== '+') return undefined;
  const left = arg.left as Node;
  const right = arg.right as Node;
  if (
    left.type !== 'Literal' ||
    typeof left.value !== 'string' ||
    !/^\[scanjobs:[^\]\s]+\] $/.test(left.value)
  )
    return undefined;
  return right.type === 'ParenthesizedExpression' ? (right.expression as Node) : undefined;
}

function loggerFirstArguments(source: string): Node[] | undefined {
  let ast: Node;
  try {
    ast = parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      preserveParens: true,
    }) as unknown as Node;
  } catch {
    return undefined;
  }
  const found: Node[] = [];
  visit(ast, (node) => {
    if (node.type !== 'CallExpression') return;
    const callee = node.callee as Node;
    const args = node.arguments as Node[];
    const object = callee.object as Node | undefined;
    const property = callee.property as Node | undefined;
    if (
      callee.type === 'MemberExpression' &&
      !callee.computed &&
      object?.type === 'Identifier' &&
      object.name === 'logger' &&
      property?.type === 'Identifier' &&
      LEVELS.has(property.name as string) &&
      args.length > 0 &&
      args[0]!.type !== 'SpreadElement'
    ) {
      found.push(args[0]!);
    }
  });
  // A marked call inside another call's first argument would overlap: keep the outer ones.
  found.sort((a, b) => a.start - b.start);
  const out: Node[] = [];
  for (const n of found) if (!out.length || n.start >= out[out.length - 1]!.end) out.push(n);
  return out;
}

function visit(node: Node, enter: (n: Node) => void): void {
  enter(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const v of value)
        if (v && typeof v === 'object' && typeof (v as Node).type === 'string') visit(v as Node, enter);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') {
      visit(value as Node, enter);
    }
  }
}

/** Where a job keeps its inline script: a task scanner's `task.script`, a script job's `script`. */
function scriptHolder(job: Record<string, unknown>): { source: string } | undefined {
  const ctx = job.invokeContext as Record<string, unknown> | undefined;
  const task = ctx?.task as Record<string, unknown> | undefined;
  const script = (task?.script ?? ctx?.script) as Record<string, unknown> | undefined;
  return script && typeof script.source === 'string' ? (script as { source: string }) : undefined;
}

/** A copy of a job body whose inline script's logger calls are marked with `name` (push, where agreed). */
export function markJobLogging(
  job: Record<string, unknown>,
  name: string,
): { job: Record<string, unknown>; marked: number } {
  const copy = structuredClone(job);
  const holder = scriptHolder(copy);
  if (!holder) return { job: copy, marked: 0 };
  const result = markLoggerCalls(holder.source, name);
  holder.source = result.source;
  return { job: copy, marked: result.marked };
}

/** A copy of a job body with every push marker taken out of its inline script (pull). */
export function unmarkJobLogging(job: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(job);
  const holder = scriptHolder(copy);
  if (holder) holder.source = unmarkLoggerCalls(holder.source);
  return copy;
}
