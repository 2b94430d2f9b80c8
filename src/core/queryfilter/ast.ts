// The filter AST (queryfilter.md §3–§5). Every node, pointer, operator and value carries its span:
// UTF-16 offsets into the ORIGINAL input (before the tokenizer deletes escape backslashes).

export interface Span {
  start: number;
  end: number;
}

/** A field reference in the draft-02 percent-encoded form (§5): decoded segments plus the token as written. */
export interface Pointer {
  segments: string[];
  raw: string;
  span: Span;
}

/** `core` is true for eq co sw lt le gt ge (name in lower case); otherwise an extended match, name as written. */
export interface Operator {
  name: string;
  core: boolean;
  span: Span;
}

export type FilterValue =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  // §4: 64-bit integers are kept exact; Long 1 and Double 1.0 are different values.
  | { kind: 'integer'; value: bigint; lexeme: string; span: Span }
  | { kind: 'float'; value: number; lexeme: string; span: Span };

export type FilterNode =
  | { kind: 'and'; children: FilterNode[]; span: Span }
  | { kind: 'or'; children: FilterNode[]; span: Span }
  | { kind: 'not'; operand: FilterNode; span: Span }
  | { kind: 'literal'; value: boolean; span: Span }
  | { kind: 'presence'; pointer: Pointer; span: Span }
  | { kind: 'comparison'; pointer: Pointer; operator: Operator; value: FilterValue; span: Span };

/** The seven core comparison operators (§3 core-op). */
export const CORE_OPERATORS = ['eq', 'co', 'sw', 'lt', 'le', 'gt', 'ge'] as const;
