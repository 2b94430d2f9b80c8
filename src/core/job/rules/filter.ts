// The scan's `_queryFilter` (idm-api.md §5.2): parsed and linted by the query-filter engine, every
// span mapped to its exact place inside the JSON string literal. Also: a filter that never excludes
// objects whose completed field is set makes every run rescan everything (§5.4, §5.5).
import type { FilterNode } from '../../queryfilter';
import { ErrorCode, lintFilter, parseFilter, tokenize, TokenKind, unwrapTail } from '../../queryfilter';
import { Fix } from '../types';
import { RuleContext, stringIn, valueIn } from './context';

function segmentsOf(pointer: string): string[] {
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

function samePointer(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/**
 * Whether every object the filter matches has the completed field absent. `negated` tracks the
 * polarity under `!`, so `!(a or b)` is read as `!a and !b`.
 */
function excludesCompleted(node: FilterNode, completed: string[], negated = false): boolean {
  switch (node.kind) {
    case 'and':
      return negated
        ? node.children.every((c) => excludesCompleted(c, completed, true))
        : node.children.some((c) => excludesCompleted(c, completed, false));
    case 'or':
      return negated
        ? node.children.some((c) => excludesCompleted(c, completed, true))
        : node.children.every((c) => excludesCompleted(c, completed, false));
    case 'not':
      return excludesCompleted(node.operand, completed, !negated);
    case 'literal':
      return node.value === negated; // `false` matches nothing
    case 'presence':
      return negated && samePointer(node.pointer.segments, completed);
    case 'comparison':
      return false;
  }
}

/** `(` tokens left open in `filter` from offset `from` on (quoted text is one token, so never counted). */
function unclosedAfter(filter: string, from: number): number {
  let open = 0;
  for (const tok of tokenize(filter)) {
    if (tok.start < from) continue;
    if (tok.kind === TokenKind.OpenParen) open++;
    else if (tok.kind === TokenKind.CloseParen && open > 0) open--;
  }
  return open;
}

/**
 * Quick fixes for unbalanced parentheses (queryfilter.md §3, E1). A stray `)` followed by a `(` that is
 * never closed is what the published PingIDM 8 sunset filter has (§10): its outer parentheses were lost,
 * so the first fix puts them back; removing the `)` is offered too.
 */
function parenFixes(
  filter: string,
  code: string,
  start: number,
  insertAt: (i: number) => number,
): Fix[] | undefined {
  const atEnd = insertAt(filter.length);
  if (code === ErrorCode.missingCloseParen) {
    const open = Math.max(1, unclosedAfter(filter, 0));
    return [
      {
        title: 'Close the parenthesis at the end of the filter',
        edits: [{ start: atEnd, end: atEnd, newText: ')'.repeat(open) }],
      },
    ];
  }
  if (code !== ErrorCode.unmatchedCloseParen) return undefined;
  const fixes: Fix[] = [];
  const openLater = unclosedAfter(filter, start + 1);
  if (openLater > 0) {
    fixes.push({
      title: 'Restore the outer parentheses: add `(` at the start and close the last `(` at the end',
      edits: [
        { start: insertAt(0), end: insertAt(0), newText: '(' },
        { start: atEnd, end: atEnd, newText: ')'.repeat(openLater) },
      ],
    });
  }
  fixes.push({
    title: 'Remove the stray `)`',
    edits: [{ start: insertAt(start), end: insertAt(start + 1), newText: '' }],
  });
  return fixes;
}

export function filterRules(ctx: RuleContext): void {
  const key =
    valueIn(ctx, ['invokeContext', 'scan', '_queryFilter']) !== undefined ? '_queryFilter' : 'queryFilter';
  const field = stringIn(ctx, ['invokeContext', 'scan', key]);
  if (!field) return;
  const { str: written } = field;
  // A tail wrapped for OpenIDM (`…"${Time.now}${")}`, rule filter-macro-truncated) is read as every
  // platform reads it after expansion; positions are mapped back to the written filter.
  const unwrapped = unwrapTail(written.value);
  const at = (i: number) => (unwrapped ? unwrapped.toWritten(i) : i);
  const str = {
    offsetOf: (i: number) => written.offsetOf(at(i)),
    rangeOf: (a: number, b: number) => written.rangeOf(at(a), at(b)),
  };
  const filter = unwrapped?.text ?? written.value;
  const parsed = parseFilter(filter);
  if (!parsed.ok) {
    const e = parsed.error;
    ctx.report({
      severity: 'error',
      code: 'filter-syntax',
      // The range says where; a column counted inside the filter would only confuse next to the file's.
      message: `query filter: ${e.message.replace(/ at column \d+/, '')} (the server rejects it: ${e.upstreamMessage})`,
      ...str.rangeOf(e.start, Math.max(e.end, e.start + 1)),
      fixes: parenFixes(filter, e.code, e.start, (i) => str.offsetOf(i)),
    });
  }
  for (const l of lintFilter(filter, parsed.ok ? parsed.ast : undefined)) {
    let message = l.message;
    let fixes: Fix[] | undefined;
    const body = filter.slice(l.start, l.end);
    if (l.code === 'unknown-macro' && body.includes('Time.nowWithOffset')) {
      message = `\`\${Time.nowWithOffset}\` is documented for PingIDM 8 only; it is not in the open-source scanner and unconfirmed in AIC, where it would be copied as plain text`;
    }
    if (l.code === 'macro-spacing') {
      const spaced = body.replace(/Time\.now\s*([+-])\s*/, 'Time.now $1 ');
      if (spaced !== body) {
        const range = str.rangeOf(l.start, l.end);
        fixes = [
          {
            title: 'Put spaces around the sign',
            edits: [{ ...range, newText: JSON.stringify(spaced).slice(1, -1) }],
          },
        ];
      }
    }
    ctx.report({
      severity: l.severity,
      code: l.code,
      message: `query filter: ${message}`,
      ...str.rangeOf(l.start, Math.max(l.end, l.start + 1)),
      fixes,
    });
  }
  if (!parsed.ok) return;
  const completed = valueIn(ctx, ['invokeContext', 'scan', 'taskState', 'completed']);
  if (typeof completed !== 'string' || completed.trim() === '') return;
  if (excludesCompleted(parsed.ast, segmentsOf(completed))) return;
  const pointer = completed.startsWith('/') ? completed : `/${completed}`;
  const clause = ` AND !(${pointer} pr)`;
  ctx.report({
    severity: 'warning',
    code: 'filter-rescans-completed',
    message: `the filter never excludes objects whose completed field (${pointer}) is set, so every run scans every matching object again. Add \`${clause.trim()}\``,
    ...str.rangeOf(0, filter.length),
    fixes: [
      {
        title: `Add "${clause.trim()}" to the filter`,
        edits: [
          { start: str.offsetOf(0), end: str.offsetOf(0), newText: '(' },
          {
            start: str.offsetOf(filter.length),
            end: str.offsetOf(filter.length),
            newText: JSON.stringify(`)${clause}`).slice(1, -1),
          },
        ],
      },
    ],
  });
}
