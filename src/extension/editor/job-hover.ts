// Hover in job files: a filter word's meaning, a macro's value right now, the cron schedule in
// words with its next five fire times in the user's time zone, and each field's documentation.
import type { Node } from 'jsonc-parser';
import { getNodePath } from 'jsonc-parser';
import * as vscode from 'vscode';
import { describeCron, nextFireTimes } from '../../core/job/cron';
import { keyOf, nodeAt, type JobEntry } from '../../core/job/document';
import { jobSchema } from '../../core/job/schema';
import { JOB_SCHEMA_FILE_PATTERNS } from '../../core/job/layout';
import { JOB_LANGUAGE } from './job-language';
import { expandMacros, findMacros } from '../../core/queryfilter/macros';
import { tokenize, TokenKind } from '../../core/queryfilter/tokenizer';
import { filterAt } from './filter-at';
import { CONNECTIVE_DOCS, MACRO_DOCS, OPERATOR_DOCS } from './filter-docs';
import { rangeOf, type JobDocuments } from './job-documents';
import { findNodeAtOffset } from 'jsonc-parser';

const userTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The schedule hover: idm-api.md §3.3 (Quartz), §2.1 (`timeZone`, UTC when absent). */
export function cronHover(
  expr: string,
  jobTimeZone: string | undefined,
  now = new Date(),
): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${describeCron(expr)}**`);
  try {
    const zone = userTimeZone();
    const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'long', timeZone: zone });
    const times = nextFireTimes(expr, now, 5, jobTimeZone ?? 'UTC');
    md.appendMarkdown(
      `\n\nNext fire times (${zone}${jobTimeZone ? `; the job runs in ${jobTimeZone}` : ''}):\n`,
    );
    for (const t of times) md.appendMarkdown(`\n- ${fmt.format(t)}`);
  } catch (e) {
    md.appendMarkdown(`\n\n${e instanceof Error ? e.message : String(e)}`);
  }
  return md;
}

type SchemaNode = {
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SchemaNode>;
  $ref?: string;
  allOf?: SchemaNode[];
  then?: SchemaNode;
};

/**
 * The schema's documentation for a property path. A property can be described in `properties`, behind
 * a local `$ref`, or inside `allOf` branches (`then`), as the task-scanner `invokeContext` is.
 */
function fieldDoc(path: (string | number)[]): string | undefined {
  const root = jobSchema as unknown as SchemaNode & { definitions?: Record<string, SchemaNode> };
  const expand = (n: SchemaNode | undefined): SchemaNode[] => {
    const d = n?.$ref?.startsWith('#/definitions/')
      ? root.definitions?.[n.$ref.slice('#/definitions/'.length)]
      : n;
    if (!d) return [];
    const branches = (d.allOf ?? []).flatMap((b) => [b, ...(b.then ? [b.then] : [])]);
    return [d, ...branches.flatMap(expand)];
  };
  let level: SchemaNode[] = [root];
  for (const seg of path) {
    if (typeof seg !== 'string') return undefined;
    level = level.flatMap(expand).flatMap((n) => (n.properties?.[seg] ? [n.properties[seg]] : []));
    if (level.length === 0) return undefined;
  }
  const documented = level.flatMap(expand).find((n) => n.markdownDescription ?? n.description);
  return documented?.markdownDescription ?? documented?.description;
}

export class JobHover implements vscode.HoverProvider {
  constructor(private readonly jobs: JobDocuments) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const parsed = this.jobs.parsed(doc);
    if (!parsed?.root) return undefined;
    const offset = doc.offsetAt(pos);
    const filter = filterAt(parsed, offset);
    if (filter) return this.filterHover(doc, filter.str, filter.index);
    const node = findNodeAtOffset(parsed.root, offset);
    const job = parsed.jobs.find(
      (j) => node && offset >= j.node.offset && offset < j.node.offset + j.node.length,
    );
    if (!node || !job) return undefined;
    const schedule = nodeAt(job.node, ['schedule']);
    if (node === schedule && typeof schedule.value === 'string' && job.value.type !== 'simple') {
      const tz = typeof job.value.timeZone === 'string' ? job.value.timeZone : undefined;
      return new vscode.Hover(
        cronHover(schedule.value, tz),
        rangeOf(doc, node.offset, node.offset + node.length),
      );
    }
    // The schema's text is shown already: by the job language's JSON service (json-service.ts), or
    // by VS Code's JSON support where the jsonValidation contribution applies to a file kept as JSON.
    if (
      doc.languageId === JOB_LANGUAGE ||
      JOB_SCHEMA_FILE_PATTERNS.some((pattern) => vscode.languages.match({ pattern }, doc) > 0)
    )
      return undefined;
    return this.fieldHover(doc, job, node);
  }

  private filterHover(
    doc: vscode.TextDocument,
    str: { value: string; offsetOf(i: number): number },
    index: number,
  ) {
    const range = (s: number, e: number) => rangeOf(doc, str.offsetOf(s), str.offsetOf(e));
    for (const m of findMacros(str.value)) {
      if (index >= m.start && index < m.end) {
        const macro = str.value.slice(m.start, m.end);
        const { text, problems } = expandMacros(macro, new Date());
        const md = new vscode.MarkdownString();
        if (problems.length) md.appendMarkdown(`\`${macro}\`: ${problems.map((p) => p.message).join('; ')}`);
        else md.appendMarkdown(`\`${macro}\` is now \`${text}\``);
        md.appendMarkdown(`\n\n${MACRO_DOCS}`);
        return new vscode.Hover(md, range(m.start, m.end));
      }
    }
    for (const t of tokenize(str.value)) {
      if (t.kind !== TokenKind.Word || index < t.start || index >= t.end) continue;
      const word = t.text.toLowerCase();
      const d = OPERATOR_DOCS[word] ?? CONNECTIVE_DOCS[word];
      if (d) return new vscode.Hover(new vscode.MarkdownString(d), range(t.start, t.end));
    }
    return undefined;
  }

  private fieldHover(doc: vscode.TextDocument, job: JobEntry, node: Node) {
    // On a key or its value: document the property.
    const valueNode = node.parent?.type === 'property' ? node.parent.children?.[1] : undefined;
    const target = valueNode && node.parent?.children?.[0] === node ? valueNode : node;
    const key = keyOf(target);
    if (!key) return undefined;
    const path = getNodePath(target).slice(job.path.length);
    const d = fieldDoc(path);
    return d
      ? new vscode.Hover(new vscode.MarkdownString(d), rangeOf(doc, key.offset, key.offset + key.length))
      : undefined;
  }
}
