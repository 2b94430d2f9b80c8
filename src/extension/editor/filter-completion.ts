// Completion inside `_queryFilter` values: what may come next is decided by filterPositionAt; the
// pointers come from the job's own taskState fields, the pointers already in the filter, and the
// pointer sources the tenant side registers (a connected tenant's managed-object schema).
import * as vscode from 'vscode';
import { nodeAt } from '../../core/job/document';
import { tokenize, TokenKind } from '../../core/queryfilter/tokenizer';
import type { Shell } from '../shell';
import { filterAt, type FilterString } from './filter-at';
import { CONNECTIVE_DOCS, MACRO_DOCS, OPERATOR_DOCS } from './filter-docs';
import { filterPositionAt } from './filter-position';
import type { JobDocuments } from './job-documents';

/** Characters inserted into a JSON string must be escaped as JSON. */
const inJson = (text: string) => JSON.stringify(text).slice(1, -1);

const MACROS = [
  '${Time.now}',
  '${Time.now - 1d}',
  '${Time.now - 1h}',
  '${Time.now + 1d}',
  '${Time.now - 30m}',
];

function item(
  label: string,
  kind: vscode.CompletionItemKind,
  range: vscode.Range,
  doc?: string,
  sort?: string,
) {
  const it = new vscode.CompletionItem(label, kind);
  it.range = range;
  it.insertText = inJson(label);
  if (doc) it.documentation = new vscode.MarkdownString(doc);
  if (sort) it.sortText = sort;
  return it;
}

/** Pointers named by the job: taskState fields and those already in the filter. */
function jobPointers(f: FilterString): string[] {
  const found = new Set<string>();
  const taskState = nodeAt(f.job.node, ['invokeContext', 'scan', 'taskState']);
  for (const key of ['started', 'completed']) {
    const v = nodeAt(taskState, [key])?.value;
    // The leading `/` is optional on the platform (idm-api.md §5.1); offer the usual form.
    if (typeof v === 'string' && v) found.add(v.startsWith('/') ? v : `/${v}`);
  }
  const tokens = tokenize(f.str.value);
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.kind === TokenKind.Word && t.text.startsWith('/') && next?.kind === TokenKind.Word)
      found.add(t.text);
  });
  return [...found];
}

/** A slow tenant must not hold the completion list: what has not come within two seconds is left out
 * (the schemas are read on the first completion in a filter, then kept per tenant). */
function withinTime(pointers: Promise<string[]> | string[], ms = 2000): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), ms)));
  return Promise.race([Promise.resolve(pointers).catch(() => []), late]).finally(() => clearTimeout(timer));
}

export class FilterCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly shell: Shell,
    private readonly jobs: JobDocuments,
  ) {}

  async provideCompletionItems(
    doc: vscode.TextDocument,
    pos: vscode.Position,
  ): Promise<vscode.CompletionItem[] | undefined> {
    const parsed = this.jobs.parsed(doc);
    const at = parsed && filterAt(parsed, doc.offsetAt(pos));
    if (!at) return undefined;
    const where = filterPositionAt(at.str.value, at.index);
    const range = new vscode.Range(doc.positionAt(at.str.offsetOf(where.from)), pos);
    const K = vscode.CompletionItemKind;
    switch (where.slot) {
      case 'primary': {
        const pointers = new Set(jobPointers(at));
        for (const p of await withinTime(this.shell.pointers(at.job.value))) pointers.add(p);
        return [
          ...[...pointers].map((p) => item(p, K.Field, range, undefined, `0${p}`)),
          item('!', K.Operator, range, CONNECTIVE_DOCS['!'], '1!'),
          item('true', K.Constant, range, 'Matches every object.', '2true'),
          item('false', K.Constant, range, 'Matches no object.', '2false'),
        ];
      }
      case 'operator':
        return Object.entries(OPERATOR_DOCS).map(([op, d], i) =>
          item(op, K.Operator, range, d, String(i).padStart(2, '0')),
        );
      case 'connective':
        return ['and', 'or'].map((c) => item(c, K.Keyword, range, CONNECTIVE_DOCS[c]));
      case 'value':
        return MACROS.map((m, i) => item(`"${m}"`, K.Value, range, MACRO_DOCS, String(i).padStart(2, '0')));
      case 'string':
        return MACROS.map((m, i) => item(m, K.Value, range, MACRO_DOCS, String(i).padStart(2, '0')));
    }
  }
}
