// Markdown views of core's Preview and DryRunReport (no logic of their own: core decided everything).
import type { DryRunReport, DryRunResult, Preview } from '../../core/preview';

const n = (x: number) => x.toLocaleString('en-US');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (v: unknown) => {
  const text = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
};

export function previewMarkdown(p: Preview, tenant: string, job: string): string {
  const lines = [
    `# Preview Matches: ${job} on ${tenant}`,
    '',
    `${code(p.object)} at ${p.now}. Read with GET requests only; nothing was written.`,
    '',
    `- Filter: ${code(p.filter)}`,
    ...(p.expandedFilter !== p.filter ? [`- Expanded: ${code(p.expandedFilter)}`] : []),
    `- **Matched: ${n(p.matched)}** (${p.exact ? 'exact' : 'estimate'}: ${p.how})`,
    `  - would be processed now: **${n(p.wouldProcess)}**`,
    `  - claimed by a run in progress: **${n(p.claimed)}**`,
    `  - already completed (skipped): **${n(p.completed)}**`,
    ...p.notes.map((note) => `- Note: ${note}`),
  ];
  if (p.samples.length) {
    const fields = [...new Set(p.samples.flatMap((s) => Object.keys(s.fields)))];
    lines.push('', `## Sample (${p.samples.length} of ${n(p.matched)})`, '');
    lines.push(`| _id | state | ${fields.map(cell).join(' | ')} |`);
    lines.push(`|${' --- |'.repeat(fields.length + 2)}`);
    for (const s of p.samples)
      lines.push(`| ${cell(s._id)} | ${s.state} | ${fields.map((f) => cell(s.fields[f])).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function outcome(r: DryRunResult): string {
  switch (r.status) {
    case 'succeeded':
      return 'true';
    case 'failed':
      return `returned ${typeof r.result === 'string' ? r.result : JSON.stringify(r.result)}`;
    case 'error':
      return `error: ${r.error ?? ''}`;
    case 'skipped':
      return 'skipped (within recovery.timeout)';
    default:
      return 'not run';
  }
}

export function dryRunMarkdown(r: DryRunReport, job: string): string {
  const t = r.totals;
  const lines = [
    `# Dry Run: ${job}, ${r.sampled} object(s) of ${code(r.object)} from ${r.tenant}`,
    '',
    `Run on a private local copy: **${r.runState}**, ${t.processed} processed, ${t.successes} succeeded, ${t.failures} failed. ` +
      `${r.sourceReads} GET request(s) sent to ${r.tenant}; nothing written to it.`,
    '',
    '| _id | result | changed fields | log lines |',
    '| --- | --- | --- | --- |',
    ...r.results.map(
      (x) =>
        `| ${cell(x.id)} | ${cell(outcome(x))} | ${cell(x.changes.map((c) => c.path).join(', '))} | ${cell(x.logs.map((l) => `${l.level}: ${l.message}`).join('; '))} |`,
    ),
  ];
  if (r.touched.length) {
    lines.push('', '## Other objects the script touched (writes went to the copy only)', '');
    for (const o of r.touched)
      lines.push(
        `- ${code(o.resource)}: ${o.operations.join(', ')}${o.fromSource ? ' (read from the tenant on demand)' : ''}`,
      );
  }
  for (const note of r.notes) lines.push('', `Note: ${note}`);
  if (r.kept)
    lines.push(
      '',
      `The private tenant is kept in ${code(r.kept)}: open it with ${code(`scanjobs emulator --data ${r.kept}`)}.`,
    );
  return `${lines.join('\n')}\n`;
}
