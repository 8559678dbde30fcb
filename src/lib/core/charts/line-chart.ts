// Line charts as SVG text: a line per series over numeric x values, a dot per point with its interval
// as a whisker and its figure as a tooltip. Series sharing an x are nudged apart so their whiskers do not
// hide each other. Used by the evaluation's "metric against the number of distractors" plot.
import { baseline, escapeXml, frame, legend, round, text, toneInk, whisker, yAxis, yMapper, type Scale, type Tone } from './svg';

export interface LinePoint {
  x: number;
  value: number;
  low?: number | null;
  high?: number | null;
  /** The point in words (tooltip). */
  tip: string;
}

export interface LineSeries {
  name: string;
  /** Colour; give a series the tone it has in the other charts, so a model keeps its colour. */
  tone: Tone;
  points: LinePoint[];
}

export interface LineChartInput {
  id: string;
  title: string;
  description: string;
  xLabel: string;
  series: LineSeries[];
  scale: Scale;
  tickLabel: (value: number) => string;
  /** The label of an x tick (default: the number). */
  xTickLabel?: (value: number) => string;
  /** Width in SVG units, default 640. */
  width?: number;
}

const LEFT = 48;

/** The chart as one `<svg>` element; x runs over the values measured, with a margin either side. */
export function lineChart(input: LineChartInput): string {
  const { id, title, description, xLabel, series, scale } = input;
  const width = input.width ?? 640;
  const lg = legend(series, 8, LEFT, width);
  const top = 8 + lg.height + 8;
  const plotH = 170;
  const bottom = top + plotH;
  const height = bottom + 44;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  // One count alone sits in the middle.
  const low = Math.min(...xs, Infinity);
  const high = Math.max(...xs, -Infinity);
  const pad = Number.isFinite(low) ? Math.max(0.5, (high - low) * 0.08) : 1;
  const minX = Number.isFinite(low) ? Math.max(0, low - pad) : 0;
  const maxX = Number.isFinite(high) ? high + pad : 1;
  const plotLeft = LEFT + 12;
  const plotW = width - 20 - plotLeft;
  const x = (v: number) => round(plotLeft + ((v - minX) / (maxX - minX)) * plotW);
  const y = yMapper(scale, top, plotH);
  const lines = series
    .map((s, si) => {
      const dodge = (si - (series.length - 1) / 2) * 4;
      const colour = toneInk(s.tone);
      const pts = s.points.filter((p) => Number.isFinite(p.value));
      const path = pts.map((p, i) => `${i ? 'L' : 'M'}${round(x(p.x) + dodge)} ${y(p.value)}`).join('');
      const marks = pts
        .map((p) => `${whisker(x(p.x) + dodge, p.low, p.high, y)}<circle class="chart-dot" cx="${round(x(p.x) + dodge)}" cy="${y(p.value)}" r="4" style="fill:${colour}"><title>${escapeXml(p.tip)}</title></circle>`)
        .join('');
      return `<path class="chart-line" d="${path}" style="fill:none;stroke:${colour};stroke-width:2"/>${marks}`;
    })
    .join('');
  const xTicks = [...new Set(xs.map((v) => round(v)))]
    .sort((a, b) => a - b)
    .map((v) => text(x(v), bottom + 16, (input.xTickLabel ?? String)(v), { anchor: 'middle' }))
    .join('');
  const axis = baseline(LEFT, width - 8, bottom) + text(plotLeft + plotW / 2, height - 6, xLabel, { anchor: 'middle', size: 12 });
  return frame(id, title, description, width, height, lg.svg + yAxis(scale, y, LEFT, width - 8, input.tickLabel) + lines + xTicks + axis);
}
