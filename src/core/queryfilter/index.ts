// The query-filter engine (shared/spec/queryfilter.md): parser, printers, evaluator, macros, lints.

export type { Span, Pointer, Operator, FilterValue, FilterNode } from './ast';
export { CORE_OPERATORS } from './ast';
export { FilterError, ErrorCode, type UpstreamKind } from './errors';
export { parseFilter, type ParseResult } from './parser';
export { printCanonical, printReadable } from './print';
export { evaluateFilter, resolvePointer, resolveValue } from './evaluate';
export {
  expandMacros,
  findMacros,
  formatMacroTime,
  MacroCode,
  originalOffset,
  type MacroExpansion,
  type MacroProblem,
  type MacroSite,
} from './macros';
export { lintFilter, LintCode, LINT_DOCS, type FilterLint } from './lint';
export { filtersEqual } from './equal';
export { textAfterLastMacro, wrapTail, unwrapTail, type MacroTail, type UnwrappedTail } from './truncation';
export { tokenize, TokenKind, type Token } from './tokenizer';
export { canonicalPointer, readablePointer, parsePointerToken } from './pointer';
