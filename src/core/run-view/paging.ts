// Pages of a run's failed objects and log lines for the details view. A run of 100,000 objects can
// have tens of thousands of both; the view draws one page of each (so opening it and each live redraw
// cost the same whatever the run's size) and moves through the rest on request, saying which part of
// how many it shows.

/** How many failed objects and log lines one page of the details view shows. */
export const PAGE_SIZES = { failures: 100, log: 200 } as const;

export interface PageOf<T> {
  items: T[];
  /** The index of the first item shown (0-based). */
  from: number;
  /** How many items there are in all. */
  total: number;
  size: number;
  /** The starts of the neighbouring and outer pages; undefined where that page is this one. */
  first?: number;
  previous?: number;
  next?: number;
  last?: number;
}

/**
 * The page that holds item `from`: its start rounded down to a whole page and kept within the items
 * (a start past the end, as after the list shrank, is the last page; a non-number is the first).
 */
export function pageOf<T>(items: readonly T[], from: number, size: number): PageOf<T> {
  const total = items.length;
  const step = Math.max(1, Math.floor(size));
  const lastStart = total > 0 ? Math.floor((total - 1) / step) * step : 0;
  const wanted = Number.isFinite(from) ? Math.max(0, Math.floor(from / step) * step) : 0;
  const start = Math.min(wanted, lastStart);
  const page: PageOf<T> = { items: items.slice(start, start + step), from: start, total, size: step };
  if (start > 0) {
    page.first = 0;
    page.previous = start - step;
  }
  if (start < lastStart) {
    page.next = start + step;
    page.last = lastStart;
  }
  return page;
}

const num = (n: number) => n.toLocaleString('en');

/** `showing 201–400 of 12,345`; `all 12` when one page holds them all. */
export function pageLabel(p: PageOf<unknown>): string {
  if (p.total === 0) return 'none';
  if (p.items.length === p.total) return `all ${num(p.total)}`;
  return `showing ${num(p.from + 1)}–${num(p.from + p.items.length)} of ${num(p.total)}`;
}

/** The longest filter text the details view takes (longer input is cut here). */
export const MAX_FILTER_LENGTH = 200;

/**
 * A test for "this text holds `query`", ignoring case, every character of the query literal; undefined
 * for an empty (or all-space) query, which every text passes.
 */
export function textMatcher(query: string): ((text: string) => boolean) | undefined {
  const q = query.slice(0, MAX_FILTER_LENGTH).trim();
  if (!q) return undefined;
  const pattern = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  return (text) => pattern.test(text);
}

/**
 * The items whose text holds `query` (textMatcher); the list itself for an empty query. The details
 * view filters each list with this before it pages it, so a search finds items on every page, not
 * only on the page shown (a webview's own find, Ctrl+F, sees only the page drawn). 100,000 log lines
 * filter in about 20 ms here: cheap enough to do again on each redraw of a live run.
 */
export function matching<T>(items: readonly T[], query: string, text: (item: T) => string): readonly T[] {
  const holds = textMatcher(query);
  return holds ? items.filter((item) => holds(text(item))) : items;
}

/** What a log line is searched by: its time, level, object and message. */
export const logLineText = (l: { time: string; level: string; objectId?: string; message: string }): string =>
  `${l.time} ${l.level} ${l.objectId ?? ''} ${l.message}`;

/** What a failed object is searched by: its id and the reason it failed. */
export const failureText = (f: { objectId: string; reason: string }): string => `${f.objectId} ${f.reason}`;
