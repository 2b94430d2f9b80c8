// A job's history page as HTML, from core's JobHistoryView (src/core/run-view/history.ts): the three
// charts and the runs, each of which opens its details. Markup only; values escaped.
import type { JobHistoryView } from '../../../core/run-view';
import { shortRunId } from '../../../core/run-view';
import { formatDuration } from '../../../core/watch';
import { chartSvg, esc } from './html';

export function historyBody(v: JobHistoryView): string {
  const head = `<header><h1>${esc(v.job)} <span class="short">history on ${esc(v.tenant)}</span></h1>
<div class="actions"><button type="button" class="secondary" data-action="refresh">Refresh</button></div></header>`;
  if ('unavailable' in v.charts) return `${head}<p class="unavailable">${esc(v.charts.unavailable)}</p>`;
  const rows = [...v.runs]
    .reverse()
    .map(
      (p) =>
        `<tr><td><button type="button" class="link" data-action="open:${esc(p.runId)}">${esc(shortRunId(p.runId))}</button></td>` +
        `<td>${esc(p.started ? p.started.slice(0, 19).replace('T', ' ') : '—')}</td><td>${esc(p.state)}</td>` +
        `<td>${p.durationMs === null ? '—' : esc(formatDuration(p.durationMs))}</td>` +
        `<td>${p.throughput === null ? '—' : esc(p.throughput)}</td>` +
        `<td>${p.processed}/${p.total}</td><td class="${p.failures ? 'bad' : ''}">${p.failures}</td></tr>`,
    )
    .join('');
  return `${head}
<p class="note">The last ${v.runs.length} finished runs of ${v.kept} kept by this client (the tenant itself keeps only its newest 100 finished runs). Orange: cancelled; yellow: completed with failures; red: error.</p>
${v.charts.map(chartSvg).join('\n')}
<section><h2>Runs</h2><table class="list"><thead><tr><th>Run</th><th>Started (UTC)</th><th>State</th><th>Duration</th><th>Objects/s</th><th>Processed</th><th>Failed</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
