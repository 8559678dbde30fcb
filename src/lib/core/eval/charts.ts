// The evaluation's plots as inline SVG text: grouped bars with bootstrap whiskers (one bar per arm in
// each metric group) and lines of a metric against the number of distractors. One drawing for the page
// and the self-contained report; colours come from CSS classes (ev-s0…ev-s5) each side styles.
// Every text is escaped: labels come from model names and user files.
import { formatInterval, formatValue } from './format';
import type { MetricKind } from './aggregate';
import type { MetricSummary } from './types';

export const SERIES_COLOURS = 6;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const W = 640;
const CHAR_W = 6.6;

interface Legend {
  svg: string;
  height: number;
}

/** Swatch + name per series (colour index given, else its position), wrapped into rows that fit the width. */
function legend(names: string[], top: number, left: number, width: number, colours: number[] = names.map((_, i) => i)): Legend {
  let x = left;
  let row = 0;
  const items = names.map((name, i) => {
    const w = 18 + name.length * CHAR_W + 16;
    if (x + w > width - 8 && x > left) {
      x = left;
      row++;
    }
    const y = top + row * 18;
    const item = `<g class="ev-legend-item"><rect class="ev-s${colours[i] % SERIES_COLOURS}" x="${x}" y="${y}" width="12" height="12" rx="2"/><text class="ev-tick" x="${x + 17}" y="${y + 10}">${escapeXml(name)}</text></g>`;
    x += w;
    return item;
  });
  return { svg: items.join(''), height: names.length ? (row + 1) * 18 + 6 : 0 };
}

function frame(id: string, title: string, description: string, width: number, height: number, body: string): string {
  return `<svg class="ev-chart" id="${escapeXml(id)}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(id)}-t ${escapeXml(id)}-d" xmlns="http://www.w3.org/2000/svg"><title id="${escapeXml(id)}-t">${escapeXml(title)}</title><desc id="${escapeXml(id)}-d">${escapeXml(description)}</desc>${body}</svg>`;
}

function yScale(kind: MetricKind, values: MetricSummary[]): { max: number; ticks: number[] } {
  if (kind === 'share' || kind === 'score') return { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  const top = Math.max(1e-9, ...values.map((v) => v.high ?? v.mean ?? 0));
  const step = niceStep(top / 4);
  const max = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(t);
  return { max, ticks };
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function tickLabel(value: number, kind: MetricKind): string {
  if (kind === 'share') return `${Math.round(value * 100)}%`;
  if (kind === 'score') return value.toFixed(2);
  return kind === 'ms' ? `${value >= 1000 ? `${value / 1000} s` : `${value} ms`}` : String(Math.round(value * 10) / 10);
}

function axes(kind: MetricKind, scale: { max: number; ticks: number[] }, y: (v: number) => number, left: number, width = W): string {
  return scale.ticks
    .map((t) => `<line class="ev-grid" x1="${left}" x2="${width - 8}" y1="${y(t)}" y2="${y(t)}"/><text class="ev-tick" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${escapeXml(tickLabel(t, kind))}</text>`)
    .join('');
}

function whisker(x: number, summary: MetricSummary, y: (v: number) => number): string {
  if (summary.low === null || summary.high === null) return '';
  const y1 = y(summary.low);
  const y2 = y(summary.high);
  return `<path class="ev-whisker" d="M${x} ${y1}V${y2}M${x - 4} ${y1}h8M${x - 4} ${y2}h8"/>`;
}

/** Two lines at most under a group: "Citation accuracy" → "Citation" / "accuracy". */
function groupLabel(label: string, x: number, y: number): string {
  const words = label.split(' ');
  const lines = words.length > 1 && label.length > 12 ? [words.slice(0, Math.ceil(words.length / 2)).join(' '), words.slice(Math.ceil(words.length / 2)).join(' ')] : [label];
  return `<text class="ev-tick" x="${x}" y="${y}" text-anchor="middle">${lines.map((l, i) => `<tspan x="${x}" dy="${i ? 13 : 0}">${escapeXml(l)}</tspan>`).join('')}</text>`;
}

export interface BarGroup {
  label: string;
  /** One value per series, in legend order (null: the arm has no figure for it). */
  values: (MetricSummary | null)[];
}

/** Grouped bars; `legend: false` leaves the legend out (when another chart beside it has one); `width` in SVG units. */
export function barChart(input: { id: string; title: string; description: string; series: string[]; groups: BarGroup[]; kind: MetricKind; legend?: boolean; width?: number }): string {
  const { id, title, description, series, groups, kind } = input;
  const width = input.width ?? W;
  const left = 48;
  const lg = input.legend === false ? { svg: '', height: 0 } : legend(series, 8, left, width);
  const top = 8 + lg.height + 8;
  const plotH = 170;
  const height = top + plotH + 40;
  const scale = yScale(kind, groups.flatMap((g) => g.values.filter((v): v is MetricSummary => v !== null)));
  const y = (v: number) => Math.round((top + plotH - (Math.min(v, scale.max) / scale.max) * plotH) * 10) / 10;
  const groupW = (width - 8 - left) / Math.max(1, groups.length);
  const barW = Math.min(34, (groupW * 0.8) / Math.max(1, series.length));
  const bars = groups
    .map((g, gi) => {
      const start = left + gi * groupW + (groupW - barW * series.length) / 2;
      const cells = g.values
        .map((v, si) => {
          if (!v || v.mean === null) return '';
          const x = Math.round((start + si * barW) * 10) / 10;
          const tip = `${series[si]}, ${g.label}: ${formatValue(v.mean, kind)} ${formatInterval(v, kind)} (n = ${v.n})`;
          // NOTE: a zero still shows as a thin bar, so it is not mistaken for a missing figure ("—": no bar).
          const h = Math.max(1.5, top + plotH - y(v.mean));
          return `<rect class="ev-bar ev-s${si % SERIES_COLOURS}" x="${x + 1}" y="${top + plotH - h}" width="${Math.max(1, barW - 2)}" height="${h}"><title>${escapeXml(tip)}</title></rect>${whisker(x + barW / 2, v, y)}`;
        })
        .join('');
      return cells + groupLabel(g.label, left + gi * groupW + groupW / 2, top + plotH + 16);
    })
    .join('');
  const axis = `<line class="ev-axis" x1="${left}" x2="${width - 8}" y1="${top + plotH}" y2="${top + plotH}"/>`;
  return frame(id, title, description, width, height, lg.svg + axes(kind, scale, y, left, width) + bars + axis);
}

export interface LineSeries {
  label: string;
  /** Colour index (the arm's series index, so a model keeps its colour across plots). */
  colour: number;
  points: { x: number; value: MetricSummary }[];
}

export function lineChart(input: { id: string; title: string; description: string; xLabel: string; series: LineSeries[]; kind: MetricKind }): string {
  const { id, title, description, xLabel, series, kind } = input;
  const left = 48;
  const lg = legend(
    series.map((s) => s.label),
    8,
    left,
    W,
    series.map((s) => s.colour),
  );
  const top = 8 + lg.height + 8;
  const plotH = 170;
  const height = top + plotH + 44;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  // The counts measured, with a margin either side (one count alone sits in the middle).
  const low = Math.min(...xs, Infinity);
  const high = Math.max(...xs, -Infinity);
  const pad = Number.isFinite(low) ? Math.max(0.5, (high - low) * 0.08) : 1;
  const minX = Number.isFinite(low) ? Math.max(0, low - pad) : 0;
  const maxX = Number.isFinite(high) ? high + pad : 1;
  const plotLeft = left + 12;
  const plotW = W - 20 - plotLeft;
  const x = (v: number) => Math.round((plotLeft + ((v - minX) / (maxX - minX)) * plotW) * 10) / 10;
  const scale = yScale(kind, series.flatMap((s) => s.points.map((p) => p.value)));
  const y = (v: number) => Math.round((top + plotH - (Math.min(v, scale.max) / scale.max) * plotH) * 10) / 10;
  const lines = series
    .map((s, si) => {
      const dodge = (si - (series.length - 1) / 2) * 4;
      const pts = s.points.filter((p) => p.value.mean !== null);
      const path = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.x) + dodge} ${y(p.value.mean!)}`).join('');
      const c = `ev-s${s.colour % SERIES_COLOURS}`;
      const marks = pts
        .map((p) => {
          const tip = `${s.label}, ${p.x.toFixed(1)} distractors: ${formatValue(p.value.mean, kind)} ${formatInterval(p.value, kind)} (n = ${p.value.n})`;
          return `${whisker(x(p.x) + dodge, p.value, y)}<circle class="ev-dot ${c}" cx="${x(p.x) + dodge}" cy="${y(p.value.mean!)}" r="4"><title>${escapeXml(tip)}</title></circle>`;
        })
        .join('');
      return `<path class="ev-line ${c}" d="${path}"/>${marks}`;
    })
    .join('');
  const xTicks = [...new Set(xs.map((v) => Math.round(v * 10) / 10))]
    .sort((a, b) => a - b)
    .map((v) => `<text class="ev-tick" x="${x(v)}" y="${top + plotH + 16}" text-anchor="middle">${v}</text>`)
    .join('');
  const axis = `<line class="ev-axis" x1="${left}" x2="${W - 8}" y1="${top + plotH}" y2="${top + plotH}"/><text class="ev-label" x="${plotLeft + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>`;
  return frame(id, title, description, W, height, lg.svg + axes(kind, scale, y, left) + lines + xTicks + axis);
}
