// Checks learned from a live OpenIDM 6.1.0 (shared/openidm/README.md "What the real server does"):
// the scan filter's text after its last macro is cut (item 1; queryfilter.md §9), a `simple` job fires
// once and deletes itself (item 2), and the embedded OrientDB repository matches nothing on a
// hyphenated field name (item 9). Each is an error or a warning for `openidm` targets; what is known
// of AIC and PingIDM 8 is said in docs/rules.md.
import type { FilterNode } from '../../queryfilter';
import {
  expandMacros,
  filtersEqual,
  parseFilter,
  printCanonical,
  printReadable,
  textAfterLastMacro,
  unwrapTail,
  wrapTail,
} from '../../queryfilter';
import { Fix } from '../types';
import { nodeIn, rangeOfNode, RuleContext, stringIn, valueIn } from './context';

function filterField(ctx: RuleContext) {
  const key =
    valueIn(ctx, ['invokeContext', 'scan', '_queryFilter']) !== undefined ? '_queryFilter' : 'queryFilter';
  return stringIn(ctx, ['invokeContext', 'scan', key]);
}

/** and/or children in a fixed order, so filters equal up to the order of their operands compare equal. */
function sorted(node: FilterNode): FilterNode {
  if (node.kind === 'not') return { ...node, operand: sorted(node.operand) };
  if (node.kind !== 'and' && node.kind !== 'or') return node;
  const children = node.children.map(sorted);
  const key = new Map(children.map((c) => [c, printCanonical(c)]));
  return { ...node, children: [...children].sort((a, b) => key.get(a)!.localeCompare(key.get(b)!)) };
}

/** Whether the node's own text in `filter` holds a macro. */
const holdsMacro = (node: FilterNode, filter: string) =>
  filter.slice(node.span.start, node.span.end).includes('${');

/** and/or operands reordered so the ones holding a macro come last, all the way down to the last one. */
function macroLast(node: FilterNode, filter: string): FilterNode {
  if (node.kind === 'not') return { ...node, operand: macroLast(node.operand, filter) };
  if (node.kind !== 'and' && node.kind !== 'or') return node;
  const plain = node.children.filter((c) => !holdsMacro(c, filter));
  const withMacro = node.children.filter((c) => holdsMacro(c, filter));
  const last = withMacro.pop();
  return {
    ...node,
    children: [...plain, ...withMacro, ...(last ? [macroLast(last, filter)] : [])],
  };
}

/**
 * A form of `filter` the fork keeps whole and that means the same: the operands holding the macro moved
 * last (and/or are commutative in CREST filters), then the closing text wrapped as `${…}`, which the
 * fork copies back without the braces. Returned only when the rewritten filter, read after expansion,
 * parses to the original up to operand order; otherwise undefined (no fix offered).
 */
export function survivingFilter(filter: string): string | undefined {
  const tail = textAfterLastMacro(filter);
  if (!tail) return undefined;
  const direct = wrapTail(tail.text);
  let candidate: string;
  if (direct) {
    candidate = filter.slice(0, tail.start) + direct;
  } else {
    const parsed = parseFilter(filter);
    if (!parsed.ok) return undefined;
    const printed = printReadable(macroLast(parsed.ast, filter));
    const rest = textAfterLastMacro(printed);
    const wrapped = rest && wrapTail(rest.text);
    if (!rest || !wrapped) return undefined;
    candidate = printed.slice(0, rest.start) + wrapped;
  }
  const before = parseFilter(filter);
  const after = unwrapTail(candidate);
  const reread = after && parseFilter(after.text);
  if (!before.ok || !reread?.ok || textAfterLastMacro(candidate)) return undefined;
  return filtersEqual(sorted(before.ast), sorted(reread.ast)) ? candidate : undefined;
}

/** What the fork parses once the tail is gone: an invalid filter (the run hangs) or another filter. */
function whatRemains(filter: string, start: number): string {
  const cut = expandMacros(filter.slice(0, start), new Date()).text;
  return parseFilter(cut).ok
    ? `a different filter that selects other objects`
    : 'an invalid filter, so the run stays ACTIVE forever with nothing counted (no error reaches REST; the server log says "Invalid query filter")';
}

function macroTruncated(ctx: RuleContext): void {
  // AIC keeps the text (its docs and PingIDM 8's use this form); unknown platforms are not warned.
  if (ctx.platform !== 'openidm' && ctx.platform !== 'idm') return;
  const field = filterField(ctx);
  if (!field) return;
  const { str } = field;
  const tail = textAfterLastMacro(str.value);
  if (!tail) return;
  const shown = tail.text.length > 40 ? `${tail.text.slice(0, 37)}…` : tail.text;
  const openidm = ctx.platform === 'openidm';
  // The `${")}` form relies on the fork's copying of unknown macros: not confirmed elsewhere.
  const fixed = openidm ? survivingFilter(str.value) : undefined;
  const fixes: Fix[] | undefined = fixed
    ? [
        {
          title: `Rewrite the filter so nothing follows the macro: ${fixed.length > 70 ? `…${fixed.slice(-60)}` : fixed}`,
          edits: [
            {
              start: str.offsetOf(0),
              end: str.offsetOf(str.value.length),
              newText: JSON.stringify(fixed).slice(1, -1),
            },
          ],
        },
      ]
    : undefined;
  ctx.report({
    severity: openidm ? 'error' : 'info',
    code: 'filter-macro-truncated',
    message: openidm
      ? `OpenIDM drops the filter's text after its last macro ${tail.macro} (\`${shown}\`), leaving ${whatRemains(str.value, tail.start)}. Move the macro last and wrap the closing text as \`\${")}\``
      : `PingIDM 8 keeps the text after the last macro ${tail.macro} (its docs use this form), but older IDM releases built on the open-source code drop it (\`${shown}\`) and the run hangs: check on your version`,
    ...str.rangeOf(tail.start, str.value.length),
    fixes,
  });
}

function hyphenatedFields(ctx: RuleContext): void {
  if (ctx.platform !== 'openidm') return; // OrientDB, OpenIDM's embedded repository
  const field = filterField(ctx);
  if (!field) return;
  const { str } = field;
  const text = unwrapTail(str.value)?.text ?? str.value;
  const parsed = parseFilter(text);
  if (!parsed.ok) return;
  const at = (i: number) => unwrapTail(str.value)?.toWritten(i) ?? i;
  const visit = (node: FilterNode, negated: boolean): void => {
    if (node.kind === 'and' || node.kind === 'or') return node.children.forEach((c) => visit(c, negated));
    if (node.kind === 'not') return visit(node.operand, !negated);
    if (node.kind !== 'presence' && node.kind !== 'comparison') return;
    const hyphen = node.pointer.segments.find((s) => s.includes('-'));
    if (!hyphen) return;
    const what =
      node.kind === 'presence'
        ? negated
          ? `\`!(${node.pointer.raw} pr)\` matches every object`
          : `\`${node.pointer.raw} pr\` matches no object`
        : `\`${node.pointer.raw} ${node.operator.name}\` matches no object${negated ? ', so its negation matches every one' : ''}`;
    ctx.report({
      severity: 'warning',
      code: 'filter-hyphenated-field',
      message: `on OpenIDM's OrientDB repository a field name with a hyphen ('${hyphen}') matches nothing: ${what}${node.kind === 'presence' && negated ? ' (a completed object is scanned again on every run)' : ''}. Use a name without '-', e.g. '${camel(hyphen)}'`,
      ...str.rangeOf(at(node.pointer.span.start), at(node.pointer.span.end)),
    });
  };
  visit(parsed.ast, false);
}

const camel = (s: string) => s.replace(/-+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

function simpleFiresOnce(ctx: RuleContext): void {
  if (ctx.platform !== 'openidm' || valueIn(ctx, ['type']) !== 'simple') return;
  const node = nodeIn(ctx, ['type']);
  if (!node) return;
  ctx.report({
    severity: 'warning',
    code: 'simple-fires-once',
    message:
      'on OpenIDM a simple job fires once, about 3 s after it is created, and then deletes itself (a read answers 404 "Schedule does not exist"); repeatInterval is ignored. Use a cron schedule',
    ...rangeOfNode(node),
  });
}

export function openidmRules(ctx: RuleContext): void {
  macroTruncated(ctx);
  hyphenatedFields(ctx);
  simpleFiresOnce(ctx);
}
