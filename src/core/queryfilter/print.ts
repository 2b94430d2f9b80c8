// Two printers: the canonical QueryFilter.toString form (queryfilter.md §6), for comparing with the
// reference, and a readable form that always re-parses to the same AST, for the formatter.

import type { FilterNode, FilterValue } from './ast';
import { javaDoubleToString } from './java-number';
import { canonicalPointer, readablePointer } from './pointer';

/** QueryFilter.toString [QF L799-898]: every and/or parenthesised, NOT as `! (…)`, strings unescaped. */
export function printCanonical(ast: FilterNode): string {
  switch (ast.kind) {
    case 'literal':
      return ast.value ? 'true' : 'false';
    case 'and':
    case 'or':
      return '(' + ast.children.map(printCanonical).join(ast.kind === 'and' ? ' and ' : ' or ') + ')';
    case 'not':
      return '! (' + printCanonical(ast.operand) + ')';
    case 'presence':
      return canonicalPointer(ast.pointer.segments) + ' pr';
    case 'comparison':
      return `${canonicalPointer(ast.pointer.segments)} ${ast.operator.name} ${canonicalValue(ast.value)}`;
  }
}

function canonicalValue(v: FilterValue): string {
  switch (v.kind) {
    case 'string':
      return '"' + v.value + '"';
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'integer':
      return integerText(v.value, v.lexeme);
    case 'float':
      return javaDoubleToString(v.value);
  }
}

/**
 * Long.toString of the value. A lexeme that is already canonical (ASCII digits, no `+`, no leading
 * zero, not `-0`) is returned as it is, which spares a BigInt-to-string conversion per value.
 */
function integerText(value: bigint, lexeme: string): string {
  const n = lexeme.length;
  const from = lexeme.charCodeAt(0) === 45 ? 1 : 0;
  let plain = n > from && n - from <= 19 && (lexeme.charCodeAt(from) !== 48 || (n === 1 && from === 0));
  for (let i = from; plain && i < n; i++) {
    const c = lexeme.charCodeAt(i);
    if (c < 48 || c > 57) plain = false;
  }
  return plain ? lexeme : value.toString();
}

/**
 * Readable form: minimal parentheses (a nested and/or of the same kind keeps its own, because the
 * parser does not flatten across parentheses), strings in `"` with `"` and `\` escaped, pointers
 * re-encoded so they stay single tokens.
 */
export function printReadable(ast: FilterNode): string {
  return readable(ast, 0);
}

// Context precedence: 0 top or inside or, 1 inside and, 2 operand of `!`.
function readable(ast: FilterNode, context: number): string {
  switch (ast.kind) {
    case 'literal':
      return ast.value ? 'true' : 'false';
    case 'or':
    case 'and': {
      if (ast.children.length === 0) return ast.kind === 'and' ? 'true' : 'false';
      if (ast.children.length === 1) return readable(ast.children[0]!, context);
      const inner = ast.kind === 'or' ? 0 : 1;
      const body = ast.children
        .map((c) => {
          const text = readable(c, inner);
          return c.kind === ast.kind && c.children.length > 1 ? `(${text})` : text;
        })
        .join(ast.kind === 'or' ? ' or ' : ' and ');
      const needsParens = ast.kind === 'or' ? context >= 1 : context >= 2;
      return needsParens ? `(${body})` : body;
    }
    case 'not': {
      const operand = readable(ast.operand, 2);
      const bare =
        ast.operand.kind === 'literal' ||
        ast.operand.kind === 'presence' ||
        ast.operand.kind === 'comparison';
      return bare ? `! ${operand}` : ast.operand.kind === 'not' ? `! (${operand})` : `! ${operand}`;
    }
    case 'presence':
      return readablePointer(ast.pointer.segments) + ' pr';
    case 'comparison':
      return `${readablePointer(ast.pointer.segments)} ${ast.operator.name} ${readableValue(ast.value)}`;
  }
}

function readableValue(v: FilterValue): string {
  switch (v.kind) {
    case 'string':
      return v.value.indexOf('"') < 0 && v.value.indexOf('\\') < 0
        ? '"' + v.value + '"'
        : '"' + v.value.replace(/[\\"]/g, '\\$&') + '"';
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'integer':
      return integerText(v.value, v.lexeme);
    case 'float':
      // Infinity has no re-parseable spelling in Java's Double.toString; an overflowing literal does.
      if (v.value === Infinity) return '1.0e999';
      if (v.value === -Infinity) return '-1.0e999';
      return javaDoubleToString(v.value);
  }
}
