// Chart geometry for the details and history views: hand-drawn SVG, laid out here (so it is tested in
// plain Node) and only written out by the webview. A charting library would bring 50-200 kB and its
// own colours into a page that has to follow the editor's theme; two kinds of chart (a line over time,
// bars per run) need a scale, ticks and a path, which is what this file does.
import { formatDuration } from '../watch/progress';

export interface ChartTick {
  /** Position in the chart's viewBox units. */
  at: number;
  label: string;
}

export interface ChartLine {
  kind: 'line';
  name: string;
  /** A CSS class the view colours from the theme. */
  cls: string;
  /** The SVG `points` attribute, in viewBox units. */
  points: string;
}

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Shown on hover: what the bar is. */
  title: string;
  cls: string;
}

export interface ChartBars {
  kind: 'bars';
  name: string;
  bars: ChartBar[];
}

export interface ChartModel {
  title: string;
  /** One sentence saying what the chart shows, for screen readers and as its caption. */
  summary: string;
  width: number;
  height: number;
  /** The plot area inside the viewBox (axes sit outside it). */
  plot: { left: number; top: number; right: number; bottom: number };
  series: (ChartLine | ChartBars)[];
  xTicks: ChartTick[];
  yTicks: ChartTick[];
}

const WIDTH = 600;
const HEIGHT = 180;
const PLOT = { left: 56, top: 10, right: WIDTH - 12, bottom: HEIGHT - 26 };

/** Round steps (1, 2, 5 × 10^n) from 0 to at least `max`, about `count` of them. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** `1,234`, `12.5k`, `3.2M`: short numbers for an axis. */
export function shortNumber(n: number): string {
  if (Math.abs(n) >= 1e6) return `${trim(n / 1e6)}M`;
  if (Math.abs(n) >= 1e4) return `${trim(n / 1e3)}k`;
  return Number.isInteger(n) ? String(n) : trim(n);
}

const trim = (n: number) => String(Number(n.toFixed(n < 10 ? 2 : 1)));
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface TimeSample {
  /** Milliseconds since the run started. */
  tMs: number;
  processed: number;
  failures: number;
}

/** A point of a line, in the data's own units (time, count). */
export interface DataPoint {
  x: number;
  y: number;
}

/**
 * A line thinned to what `columns` columns can show: in each column, its first, lowest, highest and
 * last point (in their order), so a spike or a dip as narrow as one sample stays visible however many
 * samples the line has. `points` are in order of x; a line that fits is returned as it is.
 */
export function downsampleMinMax(points: readonly DataPoint[], columns: number): DataPoint[] {
  const cols = Math.max(1, Math.floor(columns));
  if (points.length <= cols * 4) return points.slice();
  const x0 = points[0].x;
  const span = points[points.length - 1].x - x0;
  const out: DataPoint[] = [];
  let i = 0;
  while (i < points.length) {
    const col = span > 0 ? Math.min(cols - 1, Math.floor(((points[i].x - x0) / span) * cols)) : 0;
    let lo = i;
    let hi = i;
    let j = i + 1;
    for (; j < points.length; j++) {
      const c = span > 0 ? Math.min(cols - 1, Math.floor(((points[j].x - x0) / span) * cols)) : 0;
      if (c !== col) break;
      if (points[j].y < points[lo].y) lo = j;
      if (points[j].y > points[hi].y) hi = j;
    }
    // first, lowest, highest, last of the column, each once, in the line's order.
    for (const k of [...new Set([i, lo, hi, j - 1])].sort((a, b) => a - b)) out.push(points[k]);
    i = j;
  }
  return out;
}

/**
 * Processed and failed objects over the run's time, with the total as the top of the scale. Each line
 * is thinned to the plot's width (downsampleMinMax), so the page's size does not grow with the run.
 */
export function progressChart(samples: TimeSample[], total: number): ChartModel {
  const last = samples[samples.length - 1];
  const tMax = Math.max(1000, last?.tMs ?? 0);
  const yMax = niceTicks(samples.reduce((m, s) => Math.max(m, s.processed), Math.max(total, 1)));
  const top = yMax[yMax.length - 1];
  const x = (t: number) => round1(PLOT.left + ((PLOT.right - PLOT.left) * t) / tMax);
  const y = (v: number) => round1(PLOT.bottom - ((PLOT.bottom - PLOT.top) * v) / top);
  const line = (name: string, cls: string, value: (s: TimeSample) => number): ChartLine => ({
    kind: 'line',
    name,
    cls,
    points: downsampleMinMax(
      samples.map((s) => ({ x: s.tMs, y: value(s) })),
      PLOT.right - PLOT.left,
    )
      .map((p) => `${x(p.x)},${y(p.y)}`)
      .join(' '),
  });
  const xTicks = niceTicks(tMax / 1000, 5)
    .filter((sec) => sec * 1000 <= tMax)
    .map((sec) => ({ at: x(sec * 1000), label: formatDuration(sec * 1000) }));
  return {
    title: 'Progress',
    summary: last
      ? `${last.processed} of ${total} objects processed and ${last.failures} failed after ${formatDuration(last.tMs)}, from ${samples.length} polls by this client.`
      : 'No progress seen yet.',
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    series: [line('processed', 'processed', (s) => s.processed), line('failed', 'failed', (s) => s.failures)],
    xTicks,
    yTicks: yMax.map((v) => ({ at: y(v), label: shortNumber(v) })),
  };
}

export interface BarValue {
  /** What the bar stands for (a run), shown on hover. */
  label: string;
  /** Its label on the axis (a start time); every few bars get one. */
  tick: string;
  /** Null: unknown (drawn as nothing, said in the title). */
  value: number | null;
  cls: string;
}

/** One bar per value, oldest on the left; `unit` formats the axis and the hover text. */
export function barChart(
  title: string,
  values: BarValue[],
  unit: (v: number) => string,
  summary: string,
): ChartModel {
  const known = values.map((v) => v.value).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.max(...known, 0) || 1);
  const top = ticks[ticks.length - 1];
  const slot = (PLOT.right - PLOT.left) / Math.max(1, values.length);
  const width = round1(Math.max(1, Math.min(40, slot * 0.7)));
  const bars: ChartBar[] = values.map((v, i) => {
    const h = v.value === null ? 0 : ((PLOT.bottom - PLOT.top) * v.value) / top;
    return {
      x: round1(PLOT.left + slot * i + (slot - width) / 2),
      y: round1(PLOT.bottom - h),
      width,
      height: round1(h),
      title: `${v.label}: ${v.value === null ? 'unknown' : unit(v.value)}`,
      cls: v.cls,
    };
  });
  const every = Math.max(1, Math.ceil(values.length / 6));
  return {
    title,
    summary,
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    series: [{ kind: 'bars', name: title, bars }],
    xTicks: values
      .map((v, i) => ({ at: round1(PLOT.left + slot * (i + 0.5)), label: v.tick }))
      .filter((_, i) => i % every === 0 || i === values.length - 1),
    yTicks: ticks.map((v) => ({
      at: round1(PLOT.bottom - ((PLOT.bottom - PLOT.top) * v) / top),
      label: unit(v),
    })),
  };
}
