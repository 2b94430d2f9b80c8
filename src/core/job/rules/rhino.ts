// rhino-compat: what AIC and IDM's script engine (Rhino 1.7.14) does differently from a modern engine
// such as our emulator's QuickJS. Every check here comes from a difference measured on the live server
// (the corpus in test/fixtures/rhino: each script through `POST /openidm/script?_action=eval` and
// through our sandbox); docs/rules.md lists them by class. Syntax Rhino rejects is an error (the job
// cannot run anywhere but the emulator); a construct that runs with another result is a warning.
import * as acorn from 'acorn';
import { RuleContext } from './context';

type AnyNode = acorn.AnyNode;

const MAX_PARSED = 512 * 1024;

interface Finding {
  node: { start: number; end: number };
  error: boolean;
  what: string;
}

/** Methods Rhino 1.7.14 lacks: calling one throws `TypeError: Cannot find function …`. */
const MISSING_METHODS = new Set([
  'flat',
  'flatMap',
  'at',
  'findLast',
  'findLastIndex',
  'replaceAll',
  'matchAll',
]);
/** Output depends on the JVM's locale, not the arguments (a locale argument even throws). */
const LOCALE_METHODS = new Set(['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']);

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

function walk(
  node: AnyNode,
  visit: (n: AnyNode, parent: AnyNode | undefined) => void,
  parent?: AnyNode,
): void {
  visit(node, parent);
  for (const c of children(node)) walk(c, visit, node);
}

const containsFunction = (node: AnyNode): boolean => {
  let found = false;
  walk(node, (n) => {
    if (
      n.type === 'FunctionExpression' ||
      n.type === 'ArrowFunctionExpression' ||
      n.type === 'FunctionDeclaration'
    )
      found = true;
  });
  return found;
};

/** Names declared with `const` anywhere in the script (Rhino ignores assignments to them). */
function constNames(program: acorn.Program): Set<string> {
  const names = new Set<string>();
  walk(program, (n) => {
    if (n.type !== 'VariableDeclaration' || n.kind !== 'const') return;
    for (const d of n.declarations) if (d.id.type === 'Identifier') names.add(d.id.name);
  });
  return names;
}

function checks(program: acorn.Program, source: string): Finding[] {
  const out: Finding[] = [];
  const add = (node: { start: number; end: number }, error: boolean, what: string) =>
    out.push({ node, error, what });
  const consts = constNames(program);
  walk(program, (n, parent) => {
    switch (n.type) {
      case 'ClassDeclaration':
      case 'ClassExpression':
        return add(
          n,
          true,
          '`class` is a reserved word in Rhino (use a constructor function and its prototype)',
        );
      case 'SpreadElement':
        return add(
          n,
          true,
          'spread `...` is not supported by Rhino (use `apply`, `concat` or `Object.assign`)',
        );
      case 'RestElement':
        return add(
          n,
          true,
          'rest `...` (parameters or destructuring) is not supported by Rhino (use `arguments` or `slice`)',
        );
      case 'AssignmentPattern':
        return add(
          n,
          true,
          'default values (parameters or destructuring) are not supported by Rhino (test for `undefined` instead)',
        );
      case 'ChainExpression':
        return add(n, true, 'optional chaining `?.` is not supported by Rhino (test each step with `&&`)');
      case 'LogicalExpression':
        if (n.operator === '??')
          return add(
            n,
            true,
            'the nullish operator `??` is not supported by Rhino (use `x != null ? x : y`)',
          );
        return;
      case 'AssignmentExpression':
        if (n.operator === '??=' || n.operator === '||=' || n.operator === '&&=')
          return add(n, true, `\`${n.operator}\` is not supported by Rhino (write the assignment out)`);
        if (n.left.type === 'Identifier' && consts.has(n.left.name))
          return add(
            n,
            false,
            `Rhino ignores an assignment to the const \`${n.left.name}\` without an error (QuickJS throws a TypeError)`,
          );
        return;
      case 'UpdateExpression':
        if (n.argument.type === 'Identifier' && consts.has(n.argument.name))
          return add(
            n,
            false,
            `Rhino ignores \`${n.operator}\` on the const \`${n.argument.name}\` without an error`,
          );
        return;
      case 'Property':
        if (n.computed && (parent?.type === 'ObjectExpression' || parent?.type === 'ObjectPattern'))
          return add(
            n,
            true,
            'computed property names `[expr]:` are not supported by Rhino (assign `o[expr] = …` after)',
          );
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        if (n.async) return add(n, true, '`async` functions are not supported by Rhino');
        const last = n.params[n.params.length - 1];
        if (last && /^\s*,\s*\)/.test(source.slice(last.end, n.body.start)))
          return add(last, true, 'a trailing comma after the last parameter is a syntax error in Rhino');
        if (n.body.type === 'BlockStatement') {
          const first = n.body.body[0];
          if (
            first?.type === 'ExpressionStatement' &&
            (first as { directive?: string }).directive === 'use strict'
          )
            return add(
              first,
              false,
              'Rhino does not apply "use strict" (e.g. `this` in a plain call stays the global object)',
            );
        }
        return;
      }
      case 'MetaProperty':
        return add(n, true, '`new.target` is not supported by Rhino');
      case 'CatchClause':
        if (!n.param)
          return add(n, true, '`catch` without a binding is not supported by Rhino (write `catch (e)`)');
        return;
      case 'ForOfStatement':
      case 'ForInStatement':
      case 'ForStatement': {
        const decl = n.type === 'ForStatement' ? n.init : n.left;
        if (decl?.type !== 'VariableDeclaration') return;
        if (decl.kind === 'const' && n.type !== 'ForStatement')
          return add(
            decl,
            true,
            `\`const\` in a \`for…${n.type === 'ForOfStatement' ? 'of' : 'in'}\` head is a syntax error in Rhino (use \`var\` or \`let\`)`,
          );
        if (decl.kind !== 'var' && containsFunction(n.body))
          return add(
            decl,
            false,
            `Rhino gives a \`${decl.kind}\` in a loop head one binding for all iterations: functions made in the loop all see its last value (QuickJS gives each iteration its own)`,
          );
        return;
      }
      case 'Literal': {
        const regex = (n as { regex?: { pattern: string; flags: string } }).regex;
        if (regex) {
          const bad = [...regex.flags].filter((f) => 'suy'.includes(f));
          if (bad.length)
            return add(
              n,
              true,
              `Rhino rejects the regular-expression flag${bad.length > 1 ? 's' : ''} ${bad.join(', ')}`,
            );
          if (/\(\?<[=!]?/.test(regex.pattern))
            return add(
              n,
              true,
              'lookbehind `(?<=…)`, `(?<!…)` and named groups `(?<name>…)` throw a SyntaxError in Rhino',
            );
          return;
        }
        if (typeof n.value === 'string' && /\\u\{/.test(n.raw ?? ''))
          return add(
            n,
            false,
            '`\\u{…}` escapes are not read by Rhino: the string holds the letters `u{…}` (write the UTF-16 pair `\\uD83D\\uDE00`)',
          );
        return;
      }
      case 'TemplateElement':
        if (/\\u\{/.test(n.value.raw)) return add(n, false, '`\\u{…}` escapes are not read by Rhino');
        return;
      case 'NewExpression':
        if (n.callee.type === 'Identifier' && /Error$/.test(n.callee.name) && n.arguments.length > 1)
          return add(
            n,
            false,
            'Rhino ignores the options of `new Error(message, { cause })`: `cause` stays undefined',
          );
        if (
          n.callee.type === 'Identifier' &&
          n.callee.name === 'RegExp' &&
          n.arguments[1]?.type === 'Literal'
        ) {
          const flags = String((n.arguments[1] as acorn.Literal).value);
          if (/[suy]/.test(flags))
            return add(n.arguments[1], true, 'Rhino rejects the regular-expression flags s, u and y');
        }
        return;
      case 'Identifier':
        if (
          n.name === 'Intl' &&
          !(parent?.type === 'MemberExpression' && parent.property === n && !parent.computed)
        )
          return add(n, true, '`Intl` does not exist in Rhino (format numbers and dates by hand)');
        return;
      case 'MemberExpression': {
        if (n.computed || n.property.type !== 'Identifier') return;
        const name = n.property.name;
        const called = parent?.type === 'CallExpression' && parent.callee === n;
        if (called && MISSING_METHODS.has(name))
          return add(
            n.property,
            true,
            `Rhino has no \`${name}()\`: the call throws "TypeError: Cannot find function ${name}"`,
          );
        if (called && LOCALE_METHODS.has(name))
          return add(
            n.property,
            false,
            `\`${name}()\` in Rhino formats for the server's Java locale and ignores the options; with a locale argument \`toLocaleString\` throws`,
          );
        if (name === 'flags' && !called)
          return add(
            n.property,
            false,
            'Rhino has no `flags` on regular expressions (it is undefined); read `global`, `ignoreCase`, `multiline`',
          );
        return;
      }
    }
  });
  return out;
}

/** The findings for one script text, for the rule and for tests that hold a corpus against it. */
export function rhinoFindings(
  source: string,
): { start: number; end: number; severity: 'error' | 'warning'; message: string }[] {
  // A full parse per check; past this size (scripts are rarely over a few KB) the check is skipped.
  if (source.length > MAX_PARSED) return [];
  let program: acorn.Program;
  try {
    program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return []; // script-syntax reports it
  }
  return checks(program, source).map((f) => ({
    start: f.node.start,
    end: Math.max(f.node.end, f.node.start + 1),
    severity: f.error ? 'error' : 'warning',
    message: `${f.what} (AIC and IDM run job scripts in Rhino 1.7.14)`,
  }));
}

export function rhinoRules(ctx: RuleContext): void {
  const script = ctx.script;
  if (!script) return;
  const type = ctx.job.value.invokeContext as { task?: { script?: { type?: unknown } } } | undefined;
  if (type?.task?.script?.type === 'groovy') return;
  for (const f of rhinoFindings(script.text)) {
    ctx.report({
      severity: f.severity,
      code: 'rhino-compat',
      message: f.message,
      ...script.range(f.start, f.end),
    });
  }
}
