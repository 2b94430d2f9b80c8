// The run details page as HTML, written from core's RunDetails (src/core/run-view): no decision is
// made here, only markup. Every value from a tenant is escaped; the page runs one nonce'd script and
// loads nothing (panel.ts sets the Content-Security-Policy). Colours come from the editor's theme.
import {
  PAGE_SIZES,
  MAX_FILTER_LENGTH,
  failureText,
  logLineText,
  matching,
  pageLabel,
  pageOf,
  type ChartModel,
  type FailedObject,
  type PageOf,
  type Part,
  type RunDetails,
  type RunLogLine,
} from '../../../core/run-view';
import { formatDuration } from '../../../core/watch';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const time = (iso: string | null | undefined) =>
  iso ? esc(new Date(iso).toISOString().slice(0, 19).replace('T', ' ')) + ' UTC' : '—';
const rate = (r: number | undefined) =>
  r === undefined ? '—' : `${r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString('en')} objects/s`;
const num = (n: number) => n.toLocaleString('en');

function actions(d: RunDetails): string {
  const b = (action: string, label: string, primary = false) =>
    `<button type="button" data-action="${action}"${primary ? '' : ' class="secondary"'}>${label}</button>`;
  return [
    b('copyRunId', 'Copy Run ID'),
    d.actions.cancel ? b('cancel', 'Cancel Run', true) : '',
    d.actions.runAgain ? b('runAgain', 'Run Again') : '',
    d.actions.openJob ? b('openJob', 'Open Job') : '',
    d.job ? b('history', 'Job History') : '',
  ].join('');
}

function facts(d: RunDetails): string {
  const c = d.counts;
  const ended = d.ended
    ? `${time(d.ended.at)}${d.ended.source === 'seen' ? ' <span class="note">(seen by this client: the platform records no end for a ' + esc(d.state) + ' run)</span>' : ''}`
    : d.active
      ? 'running'
      : `— <span class="note">(the platform records no end for a ${esc(d.state)} run, and this client did not see it end)</span>`;
  const row = (k: string, v: string) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`;
  return `<table class="facts">${[
    row('Job', d.job ? esc(d.job) : '—'),
    row('Tenant', esc(d.tenant)),
    row('Run', `<code>${esc(d.runId)}</code>`),
    row('State', `<span class="state ${esc(d.outcome)}">${esc(d.headline)}</span>`),
    row('Started', time(d.started)),
    row('Ended', ended),
    row('Duration', d.durationMs === undefined ? '—' : esc(formatDuration(d.durationMs))),
    row(
      'Objects',
      `${num(c.processed)} of ${num(c.total)} processed · ${num(c.successes)} succeeded · ` +
        `<span class="${c.failures ? 'bad' : ''}">${num(c.failures)} failed</span>` +
        (c.skipped ? ` · ${num(c.skipped)} skipped or claimed by another run` : ''),
    ),
    row('Rate', rate(d.rate)),
  ].join('')}</table>
  <progress max="${Math.max(1, c.total)}" value="${Math.min(c.processed, Math.max(1, c.total))}" aria-label="processed"></progress>`;
}

/** An SVG chart from core's geometry; the classes take their colours from the theme. */
export function chartSvg(c: ChartModel): string {
  const p = c.plot;
  const grid = c.yTicks
    .map(
      (t) =>
        `<line class="grid" x1="${p.left}" x2="${p.right}" y1="${t.at}" y2="${t.at}"/>` +
        `<text class="tick" x="${p.left - 6}" y="${t.at + 4}" text-anchor="end">${esc(t.label)}</text>`,
    )
    .join('');
  const xs = c.xTicks
    .map(
      (t) =>
        `<text class="tick" x="${t.at}" y="${p.bottom + 16}" text-anchor="middle">${esc(t.label)}</text>`,
    )
    .join('');
  const series = c.series
    .map((s) =>
      s.kind === 'line'
        ? `<polyline class="line ${esc(s.cls)}" points="${s.points}"><title>${esc(s.name)}</title></polyline>`
        : s.bars
            .map(
              (b) =>
                `<rect class="bar ${esc(b.cls)}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}"><title>${esc(b.title)}</title></rect>`,
            )
            .join(''),
    )
    .join('');
  const legend = c.series
    .filter((s) => s.kind === 'line')
    .map((s) => `<span class="key ${esc((s as { cls: string }).cls)}">${esc(s.name)}</span>`)
    .join(' ');
  return `<figure class="chart"><figcaption><strong>${esc(c.title)}</strong> ${legend}</figcaption>
<svg viewBox="0 0 ${c.width} ${c.height}" role="img" aria-label="${esc(c.summary)}">${grid}
<line class="axis" x1="${p.left}" x2="${p.right}" y1="${p.bottom}" y2="${p.bottom}"/>${xs}${series}</svg>
<p class="note">${esc(c.summary)}</p></figure>`;
}

/** Which page of each list the view shows: the index of its first item (paging.ts rounds it). */
export interface DetailsPages {
  failures: number;
  log: number;
}

export type PagedPart = keyof DetailsPages;

/** The text each list is filtered by ('' for none). */
export type DetailsFilters = Record<PagedPart, string>;

export const NO_FILTERS: DetailsFilters = { failures: '', log: '' };

/** "showing 101–200 of 15,000" and the buttons to the other pages (none when one page holds all). */
function pager(id: PagedPart, title: string, p: PageOf<unknown>): string {
  if (p.total <= p.size) return '';
  const b = (label: string, from: number | undefined) =>
    `<button type="button" class="secondary" data-page="${id}" data-from="${from ?? ''}"${
      from === undefined ? ' disabled' : ''
    } aria-label="${label} page of ${title.toLowerCase()}">${label}</button>`;
  return `<nav class="pager" aria-label="${title} pages"><span class="range">${esc(pageLabel(p))}</span>${b('First', p.first)}${b('Previous', p.previous)}${b('Next', p.next)}${b('Last', p.last)}</nav>`;
}

/** The search box of a list: its text is kept by the extension, so it survives each redraw. */
function filterBox(id: PagedPart, title: string, query: string): string {
  const label = `Filter ${title.toLowerCase()}`;
  return `<input type="search" class="filter" data-filter="${id}" value="${esc(query)}" maxlength="${MAX_FILTER_LENGTH}" placeholder="${label}: object, word, level…" aria-label="${label}" spellcheck="false">`;
}

function part<T>(
  id: PagedPart,
  title: string,
  p: Part<T>,
  from: number,
  size: number,
  rows: (items: T[]) => string,
  query: string,
  text: (item: T) => string,
): string {
  if (p.state !== 'ready') {
    // An unavailable part the user can fix (no log API key) carries its button.
    const fix =
      p.state === 'unavailable' && p.fix
        ? `<p><button type="button" data-action="${esc(p.fix.action)}">${esc(p.fix.label)}</button></p>`
        : '';
    return `<section id="${id}"><h2>${title}</h2><p class="${p.state === 'loading' ? 'note' : 'unavailable'}">${esc(p.message)}</p>${fix}</section>`;
  }
  const shown = matching(p.items, query, text);
  const filtered = shown !== p.items;
  const page = pageOf(shown, from, size);
  const nav = pager(id, title, page);
  const none = filtered
    ? `<p class="note">Nothing here matches “${esc(query.trim())}”.</p>`
    : '<p class="note">None.</p>';
  return `<section id="${id}"><h2>${title} <span class="count">${num(p.items.length + p.more)}</span></h2>${
    p.note ? `<p class="note">${esc(p.note)}</p>` : ''
  }${
    p.items.length || filtered
      ? `<div class="find">${filterBox(id, title, query)}${
          filtered
            ? `<span class="note matches">${num(shown.length)} of ${num(p.items.length)} match</span>`
            : ''
        }</div>`
      : ''
  }${nav}${page.items.length ? rows(page.items) : none}${nav}${
    p.more ? `<p class="note">… and ${num(p.more)} more not shown.</p>` : ''
  }</section>`;
}

const failureRows = (items: FailedObject[]) =>
  `<table class="list"><thead><tr><th>Object</th><th>Reason</th></tr></thead><tbody>${items
    .map(
      (f) =>
        `<tr class="${esc(f.level)}"><td><code>${esc(f.objectId)}</code></td><td>${esc(f.reason)}</td></tr>`,
    )
    .join('')}</tbody></table>`;

const logRows = (items: RunLogLine[]) =>
  `<pre class="log">${items
    .map(
      (l) =>
        `<span class="lvl ${esc(l.level.toLowerCase())}">${esc(l.time.slice(11, 23))} ${esc(l.level.padEnd(5))}</span> ${
          l.objectId ? `<span class="obj">${esc(l.objectId)}</span> ` : ''
        }${esc(l.message)}`,
    )
    .join('\n')}</pre>`;

/**
 * The page's body: everything that changes while the run is active. Of the failed objects and the
 * log lines it writes one page each (`pages`), so its size does not grow with the run.
 */
export function detailsBody(
  d: RunDetails,
  pages: DetailsPages = { failures: 0, log: 0 },
  filters: DetailsFilters = NO_FILTERS,
): string {
  return `<header><h1>${esc(d.job ?? 'Run')} <span class="short">${esc(d.shortId)}</span></h1>
<div class="actions">${actions(d)}</div></header>
${facts(d)}
<section><h2>Progress over time</h2>${'unavailable' in d.chart ? `<p class="note">${esc(d.chart.unavailable)}</p>` : chartSvg(d.chart)}</section>
${part('failures', 'Failed objects', d.failures, pages.failures, PAGE_SIZES.failures, failureRows, filters.failures, failureText)}
${part('log', 'Log lines', d.log, pages.log, PAGE_SIZES.log, logRows, filters.log, logLineText)}`;
}

/** The whole document; `body` is rendered again into #root on each update. */
export function detailsPage(o: {
  nonce: string;
  cspSource: string;
  title: string;
  body: string;
  /** The number of the body, which the page reports back once it shows it. */
  seq: number;
}): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${o.cspSource} data:; style-src 'nonce-${o.nonce}'; script-src 'nonce-${o.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<style nonce="${o.nonce}">${STYLE}</style></head>
<body><main id="root">${o.body}</main>
<script nonce="${o.nonce}">${script(o.seq)}</script></body></html>`;
}

// The page's only script: swap in a new body (and, after a page change, bring that list into view),
// pass button clicks to the extension (actions, and pages of a list), and a list's filter text once
// typing pauses (250 ms; Escape clears it at once). A filter box being typed in keeps its focus, its
// caret and what was typed since the last message across a swap. A body is reported shown after
// the next frame (laid out and painted, what a person waits for), not when its markup is merely set;
// a frame that never comes (a throttled, hidden frame) still reports after 1 s.
const script = (
  seq: number,
) => `(function(){const vscode=acquireVsCodeApi();const root=document.getElementById('root');
function shown(seq){let sent=false;const send=function(){if(!sent){sent=true;vscode.postMessage({type:'rendered',seq:seq});}};requestAnimationFrame(function(){setTimeout(send,0);});setTimeout(send,1000);}
window.addEventListener('message',function(e){const m=e.data;if(m&&m.type==='render'){const a=document.activeElement;const typing=a&&a.getAttribute&&a.getAttribute('data-filter')?{part:a.getAttribute('data-filter'),value:a.value,start:a.selectionStart,end:a.selectionEnd}:null;root.innerHTML=m.html;if(typing){const f=root.querySelector('[data-filter="'+typing.part+'"]');if(f){f.value=typing.value;f.focus();try{f.setSelectionRange(typing.start,typing.end);}catch(x){}}}if(m.reveal){const s=document.getElementById(m.reveal);if(s)s.scrollIntoView({block:'start'});}shown(m.seq);}});
const timers={};function sendFilter(f){clearTimeout(timers[f.getAttribute('data-filter')]);vscode.postMessage({type:'filter',part:f.getAttribute('data-filter'),text:f.value});}
document.addEventListener('input',function(e){const f=e.target;if(!f.getAttribute||!f.getAttribute('data-filter'))return;const part=f.getAttribute('data-filter');clearTimeout(timers[part]);timers[part]=setTimeout(function(){sendFilter(f);},250);});
document.addEventListener('keydown',function(e){const f=e.target;if(e.key==='Escape'&&f.getAttribute&&f.getAttribute('data-filter')&&f.value){f.value='';sendFilter(f);e.preventDefault();}});
document.addEventListener('click',function(e){if(!e.target.closest)return;const p=e.target.closest('[data-page]');if(p&&!p.disabled){vscode.postMessage({type:'page',part:p.getAttribute('data-page'),from:Number(p.getAttribute('data-from'))});return;}const b=e.target.closest('[data-action]');if(b){vscode.postMessage({type:'action',action:b.getAttribute('data-action')});}});
shown(${Math.floor(seq)});})();`;

const STYLE = `
body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);background:var(--vscode-editor-background);padding:0 20px 24px;max-width:980px}
header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px}
h1{font-size:1.4em;font-weight:600;margin:16px 0 8px}h2{font-size:1.1em;font-weight:600;margin:20px 0 6px;border-bottom:1px solid var(--vscode-panel-border);padding-bottom:4px}
.short,.count,.note{color:var(--vscode-descriptionForeground);font-weight:normal}
.unavailable{color:var(--vscode-descriptionForeground);border-left:3px solid var(--vscode-editorInfo-foreground);padding:4px 8px;margin:4px 0}
.actions{display:flex;gap:6px;flex-wrap:wrap}
button{font-family:inherit;font-size:inherit;border:1px solid var(--vscode-button-border,transparent);border-radius:2px;padding:4px 12px;cursor:pointer;color:var(--vscode-button-foreground);background:var(--vscode-button-background)}
button:hover{background:var(--vscode-button-hoverBackground)}
button.secondary{color:var(--vscode-button-secondaryForeground);background:var(--vscode-button-secondaryBackground)}
button.secondary:hover{background:var(--vscode-button-secondaryHoverBackground)}
button.link{background:none;border:none;padding:0;color:var(--vscode-textLink-foreground);font-family:var(--vscode-editor-font-family)}button.link:hover{text-decoration:underline;background:none}
button:focus-visible{outline:1px solid var(--vscode-focusBorder);outline-offset:2px}
table{border-collapse:collapse}
.facts th{text-align:left;font-weight:normal;color:var(--vscode-descriptionForeground);padding:2px 16px 2px 0;vertical-align:top}.facts td{padding:2px 0}
.list{width:100%}.list th{text-align:left;font-weight:600;padding:3px 8px;border-bottom:1px solid var(--vscode-panel-border)}.list td{padding:3px 8px;vertical-align:top;border-bottom:1px solid var(--vscode-panel-border)}
.list code{white-space:nowrap}.list tr.error td:last-child{color:var(--vscode-errorForeground)}.list tr.warn td:last-child{color:var(--vscode-editorWarning-foreground)}
code,pre{font-family:var(--vscode-editor-font-family);font-size:var(--vscode-editor-font-size)}
pre.log{background:var(--vscode-textCodeBlock-background);padding:8px;overflow:auto;max-height:480px;white-space:pre-wrap;word-break:break-word}
.lvl{color:var(--vscode-descriptionForeground)}.lvl.warn,.lvl.warning{color:var(--vscode-editorWarning-foreground)}.lvl.error,.lvl.severe{color:var(--vscode-errorForeground)}.obj{color:var(--vscode-textLink-foreground)}
.state.completed{color:var(--vscode-testing-iconPassed)}.state.completed-with-failures{color:var(--vscode-editorWarning-foreground)}
.state.error{color:var(--vscode-errorForeground)}.state.cancelled,.state.cancelling{color:var(--vscode-charts-orange)}.state.active,.state.initialized{color:var(--vscode-charts-blue)}
.bad{color:var(--vscode-errorForeground)}
.find{display:flex;align-items:center;gap:8px;margin:6px 0}
input.filter{flex:0 1 360px;font-family:inherit;font-size:inherit;padding:3px 6px;color:var(--vscode-input-foreground);background:var(--vscode-input-background);border:1px solid var(--vscode-input-border,transparent);border-radius:2px}
input.filter:focus{outline:1px solid var(--vscode-focusBorder);outline-offset:-1px}input.filter::placeholder{color:var(--vscode-input-placeholderForeground)}
.pager{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:6px 0}.pager .range{color:var(--vscode-descriptionForeground);margin-right:6px}
button:disabled{opacity:.5;cursor:default}button.secondary:disabled:hover{background:var(--vscode-button-secondaryBackground)}
progress{width:100%;max-width:600px;height:6px;margin-top:8px;accent-color:var(--vscode-progressBar-background)}
figure.chart{margin:0}figcaption{margin-bottom:4px}svg{width:100%;max-width:720px;height:auto;display:block}
svg .grid{stroke:var(--vscode-panel-border);stroke-width:1}svg .axis{stroke:var(--vscode-descriptionForeground);stroke-width:1}
svg .tick{fill:var(--vscode-descriptionForeground);font-size:11px;font-family:var(--vscode-font-family)}
svg .line{fill:none;stroke-width:2;stroke-linejoin:round}
svg .line.processed{stroke:var(--vscode-charts-blue)}svg .line.failed{stroke:var(--vscode-charts-red)}
svg .bar{fill:var(--vscode-charts-blue)}svg .bar.failed{fill:var(--vscode-charts-red)}svg .bar.cancelled{fill:var(--vscode-charts-orange)}svg .bar.warn{fill:var(--vscode-charts-yellow)}
.key::before{content:'';display:inline-block;width:10px;height:3px;margin:0 4px 3px 8px;vertical-align:middle}
.key.processed::before{background:var(--vscode-charts-blue)}.key.failed::before{background:var(--vscode-charts-red)}
`;
