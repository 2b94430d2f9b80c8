// `scanjobs runs <id>`: a run's details as text, from core's RunDetails (the same model the editor's
// details view shows). The progress chart is the editor's: the CLI only knows the run's final counts.
import type { Part, RunDetails } from '../../core/run-view';
import { formatDuration } from '../../core/watch';

const time = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '-');

function part<T>(title: string, p: Part<T>, line: (item: T) => string): string[] {
  if (p.state !== 'ready') return [`${title}: ${p.message}`];
  const out = [`${title} (${p.items.length + p.more}):`];
  if (p.note) out.push(`  ${p.note}`);
  if (p.items.length === 0) out.push('  none');
  for (const item of p.items) out.push(`  ${line(item)}`);
  if (p.more) out.push(`  … and ${p.more} more`);
  return out;
}

export function runDetailsText(d: RunDetails): string {
  const c = d.counts;
  const ended = d.ended
    ? `${time(d.ended.at)}${d.ended.source === 'seen' ? ' (seen by this client)' : ''}`
    : d.active
      ? 'running'
      : `- (the platform records no end for a ${d.state} run)`;
  const rows: [string, string][] = [
    ['Job', d.job ?? '-'],
    ['Tenant', d.tenant],
    ['Run', d.runId],
    ['State', d.headline],
    ['Started', time(d.started)],
    ['Ended', ended],
    ['Duration', d.durationMs === undefined ? '-' : formatDuration(d.durationMs, { tenths: true })],
    [
      'Objects',
      `${c.processed}/${c.total} processed · ${c.successes} ok · ${c.failures} failed` +
        (c.skipped ? ` · ${c.skipped} skipped or claimed by another run` : ''),
    ],
    [
      'Rate',
      d.rate === undefined ? '-' : `${d.rate < 10 ? d.rate.toFixed(1) : Math.round(d.rate)} objects/s`,
    ],
  ];
  const lines = rows.map(([k, v]) => `${k.padEnd(9)} ${v}`);
  lines.push('', ...part('Failed objects', d.failures, (f) => `${f.objectId}  ${f.reason}`));
  lines.push(
    '',
    ...part(
      'Log lines',
      d.log,
      (l) =>
        `${l.time.slice(11, 23)} ${l.level.padEnd(5)} ${l.objectId ? `${l.objectId}: ` : ''}${l.message}`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** The JSON form: the details without the chart's drawing (its geometry is the editor's). */
export function runDetailsJson(d: RunDetails): Omit<RunDetails, 'chart'> {
  const { chart: _chart, ...rest } = d;
  return rest;
}
