// Where the full parser resumes after the fast path declined a filter (issue 13: a 64 KB filter with
// its error at the very end was read twice, and the second read cost 1.5–10 ms depending on the
// state of V8's JIT and heap). The fast path records the complete clauses it read at each level of
// parentheses still open (§3: `or` of `and` of `!`-expressions); the full parser, given them, goes on
// from the end of the last one (or of the `or` after them), in the state it would itself have reached
// there: same position, same open parentheses and depth, same last token where it can be named, same
// escape backslashes deleted so far (for the edited text every upstream message quotes, §7).

import type { FilterNode } from './ast';
import { FilterTokenizer } from './tokenizer';

/** One level of parentheses (the first: the top level) as a declined fast parse left it. */
export interface PrefixLevel {
  /** Complete `and` groups (each an `and` node or a single clause) before the current group. */
  groups: FilterNode[];
  /** The current group's complete clauses. */
  clauses: FilterNode[];
  /** Offset of the last `or` read; where the text resumes when this is the last level and nothing follows it. */
  orAt: number;
  /** The level's whole expression, when it was read and what follows it is not `)` (or, at the top level, the end). */
  done: FilterNode | undefined;
  /** Offset of the `(` that opened this level (not the top level). */
  parenAt: number;
  /** Offset of the `!` negating that parenthesis, or -1. */
  bangAt: number;
}

/**
 * The levels still open when the fast path declined, outermost first: each but the last is in the
 * middle of a clause, the next level's parenthesis; the last has read at least one clause or `or`.
 */
export type ParsedPrefix = PrefixLevel[];

const SPACE = 32;
const BANG = 33;
/**
 * Texts shorter than this are read again whole: re-reading a few hundred units costs about as much
 * as recording and resuming (measured on the conformance filters, issue 13's bench).
 */
export const RESUME_MIN = 512;

/**
 * The fast path's record of what it read, written only as a declined parse unwinds (nothing on the
 * way to an AST): each level of parentheses on the way out gives its complete clauses and groups.
 */
export class PrefixRecorder {
  /** Whether this parse records (see RESUME_MIN). */
  private on = false;
  private readonly levels: (PrefixLevel | undefined)[] = [];
  /** The deepest level recorded since the last reset, or -1. */
  private deepest = -1;

  /** A parse of a text of `length` units starts. */
  start(length: number): void {
    this.on = length >= RESUME_MIN;
    // Left over only if the last parse threw while it unwound (it throws nothing by design; a
    // nearly exhausted stack could): never let it leak into this one.
    if (this.deepest >= 0) this.clear();
  }

  private clear(): void {
    for (let k = 0; k <= this.deepest; k++) this.levels[k] = undefined;
    this.deepest = -1;
  }

  private at(level: number): PrefixLevel {
    let l = this.levels[level];
    if (l === undefined) {
      l = { groups: [], clauses: [], orAt: -1, done: undefined, parenAt: -1, bangAt: -1 };
      this.levels[level] = l;
      if (level > this.deepest) this.deepest = level;
    }
    return l;
  }

  /** The current group at `level` failed after these complete clauses. */
  and(level: number, clauses: FilterNode[]): void {
    if (this.on) this.at(level).clauses = clauses;
  }

  /** A group after the `or` at `orAt` failed, after these complete groups. */
  or(level: number, groups: FilterNode[], orAt: number): void {
    if (!this.on) return;
    const l = this.at(level);
    l.groups = groups;
    l.orAt = orAt;
  }

  /** The whole expression at `level` was read; what follows it is not what must. */
  done(level: number, node: FilterNode): void {
    if (this.on) this.at(level).done = node;
  }

  /** `level` was opened by the `(` at `at`. */
  paren(level: number, at: number): void {
    if (this.on) this.at(level).parenAt = at;
  }

  /** The levels recorded, up to the last that has read something; undefined when none has. Resets. */
  take(text: string): ParsedPrefix | undefined {
    let last = -1;
    const levels: PrefixLevel[] = [];
    for (let k = 0; k <= this.deepest; k++) {
      // every level from the top to the deepest is on the way out, so every one is recorded
      const l = this.levels[k];
      if (l === undefined) break;
      if (k > 0) l.bangAt = bangBefore(text, l.parenAt);
      if (l.clauses.length > 0 || l.groups.length > 0 || l.done !== undefined) last = k;
      levels.push(l);
    }
    // a level missing (not expected) leaves the text to be read whole
    const complete = levels.length === this.deepest + 1;
    this.clear();
    return last < 0 || !complete ? undefined : levels.slice(0, last + 1);
  }
}

/**
 * The `!` negating the parenthesis at `paren`, or -1. A parenthesis that opens a level starts a clause,
 * and the fast path reads a clause only after `and`, `or`, `(`, the start, or the `!` that negates it
 * (§3), so a `!` just before it (spaces aside) is that negation.
 */
function bangBefore(text: string, paren: number): number {
  let p = paren - 1;
  while (p >= 0 && text.charCodeAt(p) === SPACE) p--;
  return p >= 0 && text.charCodeAt(p) === BANG ? p : -1;
}

/** The full parser's state at the end of a prefix. */
export interface ResumePoint {
  /** Offset of the first unread unit, between two tokens. */
  pos: number;
  /**
   * The last token read, when the prefix ends with `or` (its offset): the full parser names it in
   * "expected an expression after `or`". After a complete clause the parser's next read is an
   * `and`, an `or` (which becomes the last token), a `)` or the end of the expression, so the
   * clause's last token is never named and is not needed.
   */
  orAt: number | undefined;
  /** Offsets of the escape backslashes the prefix's strings had (the tokenizer deletes them). */
  deleted: number[];
}

export function resumePoint(text: string, prefix: ParsedPrefix): ResumePoint {
  const level = prefix[prefix.length - 1]!;
  const last = level.done ?? level.clauses[level.clauses.length - 1];
  // at the end of the whole expression or of the last clause, or right after `or` (two units)
  const pos = last === undefined ? level.orAt + 2 : last.span.end;
  return { pos, orAt: last === undefined ? level.orAt : undefined, deleted: escapesBefore(text, pos) };
}

/** The escape backslashes of the strings before `pos` (none, and no second read, without a backslash). */
function escapesBefore(text: string, pos: number): number[] {
  if (pos === 0 || text.lastIndexOf('\\', pos - 1) < 0) return [];
  // The prefix ends between two tokens outside any string, so it tokenizes on its own.
  const t = new FilterTokenizer(text.slice(0, pos));
  while (t.hasNext()) t.advance();
  return t.deleted;
}
