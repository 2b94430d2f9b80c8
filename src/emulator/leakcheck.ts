/**
 * Whether a script might create globals (an implicit global, `this.x = …`, eval, …). The sandbox
 * removes such globals after each object; a script that provably cannot create any is spared that
 * cleanup, which is a large part of the cost of a trivial script. Conservative: anything unclear,
 * including source acorn cannot parse, counts as "might".
 *
 * Without `this`, `globalThis`, eval, Function, constructors or property-descriptor tricks a script
 * has no reference to the global object, so the only way left to create a global is assigning to a
 * name that no enclosing function declares.
 */
import { parse } from 'acorn';

type Node = { type: string; [key: string]: unknown };

/** Names whose mere use could reach the global object or evaluate code. */
const RISKY_NAMES = new Set([
  'globalThis',
  'eval',
  'Function',
  'Reflect',
  'Object',
  'self',
  'window',
  'global',
  'constructor',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  'setPrototypeOf',
  'defineProperty',
  'defineProperties',
  'call',
  'apply',
  'bind',
]);

/** The bindings every script has without declaring them (sandbox.ts: the evalIn parameters). */
const PREDECLARED = ['input', 'objectID', '__source', '__globals', 'arguments'];

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as Node).type === 'string';
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) for (const v of value) if (isNode(v)) out.push(v);
    if (isNode(value)) out.push(value);
  }
  return out;
}

/** Identifier names bound by a pattern (`a`, `{a, b: [c]}`, `...d`, `e = 1`). */
function patternNames(node: unknown, into: Set<string>): void {
  if (!isNode(node)) return;
  if (node.type === 'Identifier') into.add(node.name as string);
  else if (node.type === 'ObjectPattern') {
    for (const p of node.properties as Node[])
      patternNames(p.type === 'RestElement' ? p.argument : p.value, into);
  } else if (node.type === 'ArrayPattern') for (const e of node.elements as Node[]) patternNames(e, into);
  else if (node.type === 'RestElement') patternNames(node.argument, into);
  else if (node.type === 'AssignmentPattern') patternNames(node.left, into);
}

/**
 * The names a function (or the script) declares for its whole body: `var`s and function
 * declarations anywhere in it (not in nested functions), and let/const/class at its top level.
 */
function declarations(body: Node, into: Set<string>): void {
  const visit = (node: Node, top: boolean): void => {
    if (node.type === 'VariableDeclaration') {
      if (node.kind === 'var' || top) for (const d of node.declarations as Node[]) patternNames(d.id, into);
    } else if (node.type === 'FunctionDeclaration' || (node.type === 'ClassDeclaration' && top)) {
      patternNames(node.id, into);
    }
    if (FUNCTIONS.has(node.type)) return;
    for (const child of children(node)) visit(child, false);
  };
  for (const statement of (body.body as Node[] | undefined) ?? []) visit(statement, true);
}

export function mayLeakGlobals(source: string, globals: string[] = []): boolean {
  let program: Node;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as Node;
  } catch {
    return true;
  }
  const top = new Set<string>([...PREDECLARED, ...globals]);
  declarations(program, top);
  let leak = false;
  const declaredIn = (name: string, scopes: Set<string>[]): boolean => scopes.some((s) => s.has(name));
  const visit = (node: Node, scopes: Set<string>[]): void => {
    if (leak) return;
    switch (node.type) {
      case 'ThisExpression':
      case 'WithStatement':
      case 'ImportExpression':
      case 'MetaProperty':
        leak = true;
        return;
      case 'Identifier':
      case 'PrivateIdentifier':
        if (RISKY_NAMES.has(node.name as string)) leak = true;
        return;
      case 'Literal':
        if (typeof node.value === 'string' && RISKY_NAMES.has(node.value)) leak = true;
        return;
      case 'AssignmentExpression':
      case 'UpdateExpression':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const targets = new Set<string>();
        patternNames(node.type === 'UpdateExpression' ? node.argument : node.left, targets);
        for (const name of targets) if (!declaredIn(name, scopes)) leak = true;
        break;
      }
      case 'CatchClause': {
        const scope = new Set<string>();
        patternNames(node.param, scope);
        for (const child of children(node)) visit(child, [...scopes, scope]);
        return;
      }
      default:
        if (FUNCTIONS.has(node.type) || node.type === 'ClassExpression' || node.type === 'ClassDeclaration') {
          const scope = new Set<string>();
          patternNames(node.id, scope);
          for (const p of (node.params as Node[] | undefined) ?? []) patternNames(p, scope);
          if (isNode(node.body) && node.body.type === 'BlockStatement') declarations(node.body, scope);
          for (const child of children(node)) visit(child, [...scopes, scope]);
          return;
        }
    }
    for (const child of children(node)) visit(child, scopes);
  };
  visit(program, [top]);
  return leak;
}
