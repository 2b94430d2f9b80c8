// What a rule sees: one job of a parsed file, its script, and a place to report findings.
import { Node } from 'jsonc-parser';
import { JobEntry, JsonPath, keyOf, nodeAt, stringOf } from '../document';
import { JsonString } from '../json-string';
import { JobScript } from '../script';
import { JobDiagnostic, JobLayout, Platform } from '../types';

export interface RuleContext {
  text: string;
  job: JobEntry;
  path: string;
  layout: JobLayout;
  platform?: Platform;
  script?: JobScript;
  report(d: JobDiagnostic): void;
}

export type Rule = (ctx: RuleContext) => void;

/** The node at a path inside the job. */
export function nodeIn(ctx: RuleContext, path: JsonPath): Node | undefined {
  return nodeAt(ctx.job.node, path);
}

/** A string field of the job with its decoded value and offset map, if it is a string. */
export function stringIn(ctx: RuleContext, path: JsonPath): { node: Node; str: JsonString } | undefined {
  const node = nodeIn(ctx, path);
  return node?.type === 'string' ? { node, str: stringOf(ctx.text, node) } : undefined;
}

export function rangeOfNode(node: Node): { start: number; end: number } {
  return { start: node.offset, end: node.offset + node.length };
}

/** The key of a field when present, else the job's opening brace. */
export function keyRange(ctx: RuleContext, path: JsonPath): { start: number; end: number } {
  const node = nodeIn(ctx, path);
  const key = node && keyOf(node);
  if (key) return rangeOfNode(key);
  return { start: ctx.job.node.offset, end: ctx.job.node.offset + 1 };
}

/** A job value at a path, whatever its type. */
export function valueIn(ctx: RuleContext, path: JsonPath): unknown {
  let v: unknown = ctx.job.value;
  for (const k of path)
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k as string] : undefined;
  return v;
}

/** Booleans may be sent as "true"/"false" (idm-api.md §2.1). */
export function flag(v: unknown, fallback: boolean): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return fallback;
}
