// The task script: syntax, and its completion value. Only a script whose value is exactly Boolean
// `true` counts as a success and sets the completed field; any other value counts as a failure and
// leaves the object to be rescanned on the next run (idm-api.md §5.6). In Rhino the value of a
// script is the value of its last expression statement; declarations do not change it.
import * as acorn from 'acorn';
import { scriptSyntaxError } from '../script-syntax';
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
      // A handler that ends in `false;` counts the object as failed on purpose (rule script-throw).
      const end = [...last.handler.body.body].reverse().find((s) => !SKIPPED.has(s.type));
      if (
        end?.type === 'ExpressionStatement' &&
        end.expression.type === 'Literal' &&
        end.expression.value === false
      )
        return block;
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

/**
 * The last top-level statements of a script that V8 already found valid, without building the AST
 * of a 1 MB script: acorn parses growing tails (1, 2, 4 … lines) that start after a `;`, `}` or
 * comment end, until one parses and holds an expression statement. A tail that starts inside a
 * block leaves a closing brace unmatched and fails, so the first tail that parses starts at the
 * top level. Positions are relative to `offset`.
 */
function tailProgram(text: string): { program: acorn.Program; offset: number } | undefined {
  let lines = 1;
  for (;;) {
    let p = text.length;
    for (let i = 0; i < lines && p > 0; i++) p = text.lastIndexOf('\n', p - 2) + 1;
    const before = text.slice(Math.max(0, p - 200), p).trimEnd();
    const boundary = p === 0 || /(;|\}|\*\/)$/.test(before) || /\/\/[^\n]*$/.test(before);
    if (boundary) {
      try {
        const program = acorn.parse(text.slice(p), { ecmaVersion: 'latest', sourceType: 'script' });
        if (p === 0 || program.body.some((st) => !SKIPPED.has(st.type))) return { program, offset: p };
      } catch {
        // not a statement boundary after all: take more lines
      }
    }
    if (p === 0) return undefined; // acorn cannot read what V8 accepted: no verdict
    lines *= 2;
  }
}

export function scriptRules(ctx: RuleContext): void {
  const script = ctx.script;
  if (!script) return;
  const type = ctx.job.value.invokeContext as { task?: { script?: { type?: unknown } } } | undefined;
  if (type?.task?.script?.type === 'groovy') return; // only JavaScript is checked
  const syntax = scriptSyntaxError(script.text);
  if (syntax) {
    ctx.report({
      severity: 'error',
      code: 'script-syntax',
      message: `script syntax error: ${syntax.message}`,
      ...script.range(syntax.start, Math.max(syntax.end, syntax.start + 1)),
    });
    return;
  }
  const tail = tailProgram(script.text);
  if (!tail) return;
  const verdict = statementsVerdict(tail.program.body, script.text.slice(tail.offset));
  if (verdict.ok) return;
  const at = verdict.at ?? tail.program;
  const range = script.range(tail.offset + at.start, tail.offset + Math.max(at.end, at.start + 1));
  const needsNewline = script.text.length > 0 && !/\n\s*$/.test(script.text);
  const appended = `${needsNewline ? '\n' : ''}true;`;
  ctx.report({
    severity: 'warning',
    code: 'script-not-true',
    message: `${verdict.why}, not \`true\`: the scanner counts every object as failed, leaves its completed field unset and rescans it next run. End the script with \`true;\``,
    ...range,
    fixes: [{ title: 'Append `true;` to the script', edits: [script.append(appended)] }],
  });
}
