// The task script: syntax, and its completion value. Only a script whose value is exactly Boolean
// `true` counts as a success and sets the completed field; any other value counts as a failure and
// leaves the object to be rescanned on the next run (idm-api.md §5.6). In Rhino the value of a
// script is the value of its last expression statement; declarations do not change it.
import * as acorn from 'acorn';
import { RuleContext } from './context';

type AnyNode = acorn.AnyNode;

interface Verdict {
  ok: boolean;
  /** The statement or expression that decides the value, for the message and the range. */
  at?: AnyNode;
  why?: string;
}

const SKIPPED = new Set(['VariableDeclaration', 'FunctionDeclaration', 'ClassDeclaration', 'EmptyStatement']);

function isTrue(e: AnyNode): boolean {
  return e.type === 'Literal' && e.value === true;
}

function functionReturnsTrue(fn: acorn.Function): Verdict {
  if (fn.body.type !== 'BlockStatement') {
    return isTrue(fn.body)
      ? { ok: true }
      : { ok: false, at: fn.body, why: 'the function does not return `true`' };
  }
  const last = [...fn.body.body].reverse().find((s) => !SKIPPED.has(s.type));
  if (last?.type === 'ReturnStatement' && last.argument && isTrue(last.argument)) return { ok: true };
  return { ok: false, at: last ?? fn.body, why: 'the function does not end with `return true;`' };
}

function expressionVerdict(e: AnyNode, source: string): Verdict {
  if (isTrue(e)) return { ok: true };
  if (e.type === 'SequenceExpression')
    return expressionVerdict(e.expressions[e.expressions.length - 1], source);
  if (
    e.type === 'CallExpression' &&
    (e.callee.type === 'FunctionExpression' || e.callee.type === 'ArrowFunctionExpression')
  ) {
    return functionReturnsTrue(e.callee); // an IIFE: its return value is the script's value
  }
  const snippet = source.slice(e.start, e.end);
  const shown = snippet.length > 60 ? `${snippet.slice(0, 57)}…` : snippet;
  return { ok: false, at: e, why: `the script's value is that of \`${shown}\`` };
}

function statementsVerdict(body: AnyNode[], source: string, parent?: AnyNode): Verdict {
  const last = [...body].reverse().find((s) => !SKIPPED.has(s.type));
  if (!last)
    return {
      ok: false,
      at: parent,
      why: 'the script has no expression statement, so its value is undefined',
    };
  switch (last.type) {
    case 'ExpressionStatement':
      return expressionVerdict(last.expression, source);
    case 'BlockStatement':
      return statementsVerdict(last.body, source, last);
    case 'IfStatement': {
      const yes = statementsVerdict([last.consequent], source, last);
      if (!yes.ok) return yes;
      if (!last.alternate)
        return { ok: false, at: last, why: 'when the `if` condition is false the value is not `true`' };
      return statementsVerdict([last.alternate], source, last);
    }
    case 'TryStatement': {
      const block = statementsVerdict(last.block.body, source, last.block);
      if (!block.ok || !last.handler) return block;
      return statementsVerdict(last.handler.body.body, source, last.handler);
    }
    default:
      return {
        ok: false,
        at: last,
        why: `the script ends with a ${last.type.replace(/Statement$/, '').toLowerCase()} statement`,
      };
  }
}

export function scriptRules(ctx: RuleContext): void {
  const script = ctx.script;
  if (!script) return;
  const type = ctx.job.value.invokeContext as { task?: { script?: { type?: unknown } } } | undefined;
  if (type?.task?.script?.type === 'groovy') return; // only JavaScript is checked
  let program: acorn.Program;
  try {
    // Rhino 1.7.14 (idm-api.md §5.6) reads scripts, not modules; a top-level `return` is an error.
    program = acorn.parse(script.text, { ecmaVersion: 2020, sourceType: 'script' });
  } catch (err) {
    const e = err as SyntaxError & { pos?: number; raisedAt?: number };
    const pos = e.pos ?? 0;
    const message = e.message.replace(/ \(\d+:\d+\)$/, '');
    ctx.report({
      severity: 'error',
      code: 'script-syntax',
      message: `script syntax error: ${message}`,
      ...script.range(pos, Math.max(pos + 1, e.raisedAt ?? pos + 1)),
    });
    return;
  }
  const verdict = statementsVerdict(program.body, script.text);
  if (verdict.ok) return;
  const at = verdict.at ?? program;
  const range = script.range(at.start, Math.max(at.end, at.start + 1));
  const needsNewline = script.text.length > 0 && !/\n\s*$/.test(script.text);
  const tail = `${needsNewline ? '\n' : ''}true;`;
  ctx.report({
    severity: 'warning',
    code: 'script-not-true',
    message: `${verdict.why}, not \`true\`: the scanner counts every object as failed, leaves its completed field unset and rescans it next run. End the script with \`true;\``,
    ...range,
    fixes: [{ title: 'Append `true;` to the script', edits: [script.append(tail)] }],
  });
}
