// A task script that throws (idm-api.md §5.3, §5.6; shared/openidm/README.md item 7, observed live):
// the scanner counts one failure and then ends that worker's whole share of the run, so the objects
// dealt to it after this one are not processed (the run is COMPLETED with processed < total). A
// `throw` outside any `try` is the sure sign; the fix catches the error and counts a failure instead.
import * as acorn from 'acorn';
import { RuleContext } from './context';

type AnyNode = acorn.AnyNode;

/** `throw` statements that no enclosing `try { … }` block catches (a throw in a handler escapes). */
function uncaughtThrows(program: acorn.Program): acorn.ThrowStatement[] {
  const found: acorn.ThrowStatement[] = [];
  const visit = (node: AnyNode, caught: boolean): void => {
    if (node.type === 'ThrowStatement') {
      if (!caught) found.push(node);
    }
    if (node.type === 'TryStatement') {
      visit(node.block, caught || (node.handler !== null && node.handler !== undefined));
      if (node.handler) visit(node.handler, caught);
      if (node.finalizer) visit(node.finalizer, caught);
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) visit(child, caught);
      } else if (isNode(value)) visit(value, caught);
    }
  };
  visit(program, false);
  return found;
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export function scriptThrowRules(ctx: RuleContext): void {
  const script = ctx.script;
  if (!script || !/\bthrow\b/.test(script.text)) return;
  const type = ctx.job.value.invokeContext as { task?: { script?: { type?: unknown } } } | undefined;
  if (type?.task?.script?.type === 'groovy') return;
  let program: acorn.Program;
  try {
    program = acorn.parse(script.text, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: false,
    });
  } catch {
    return; // script-syntax reports it
  }
  const throws = uncaughtThrows(program);
  if (throws.length === 0) return;
  const first = throws[0];
  const needsNewline = !/\n\s*$/.test(script.text);
  ctx.report({
    severity: 'warning',
    code: 'script-throw',
    message:
      "a script that throws counts one failure and ends its worker's share of the run: the objects dealt to that worker after this one are not scanned this run (COMPLETED with processed < total). Catch the error and end with `false;` to count a failure and go on",
    ...script.range(first.start, first.end),
    fixes: [
      {
        title: 'Wrap the script in try/catch: log the error and count the object as failed',
        edits: [
          script.insert(0, 'try {\n'),
          script.append(
            `${needsNewline ? '\n' : ''}} catch (e) {\n  logger.error('scan of {} failed: {}', objectID, e);\n  false;\n}\n`,
          ),
        ],
      },
    ],
  });
}
