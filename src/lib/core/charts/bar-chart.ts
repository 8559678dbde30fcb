// Bar charts as SVG text: groups along x, one bar per series in each group, optional interval whiskers,
// labels under the groups or at chosen positions (histogram edges), an optional marker line (a budget),
// and the same figures as a visually hidden table for screen readers. Used by the evaluation's plots,
// the self-contained report and the Dataset page's histograms.
import { baseline, escapeXml, frame, ink, legend, round, text, toneInk, whisker, yAxis, yMapper, type Scale, type Tone } from './svg';

/** A series: its name (legend, tooltips, table header) and its colour. */
export interface ChartSeries {
  name: string;
  tone: Tone;
}

/** One bar: its height on the scale, an optional interval, and the figure in words (tooltip and table). */
export interface BarDatum {
  value: number;
  low?: number | null;
  high?: number | null;
  text: string;
}

export interface BarGroup {
  label: string;
  /** One per series, in series order; null: no figure, no bar ("—" in the table). */
  values: (BarDatum | null)[];
}

export interface BarChartInput {
  id: string;
  title: string;
  /** The chart in words, for screen readers. */
  description: string;
  series: ChartSeries[];
  groups: BarGroup[];
  scale: Scale;
  /** Label of a y tick. */
  tickLabel: (value: number) => string;
  /** Draw the legend (default true); off when another chart beside it has one, or for one series. */
  legend?: boolean;
  /** Width in SVG units, default 640. */
  width?: number;
  /** Height of the plot area, default 170. */
  plotHeight?: number;
  /** Labels at positions in group units (0 = left edge of the first group) instead of one under each group. */
  xTicks?: { at: number; label: string }[];
  /** The x axis in words, under the ticks. */
  xLabel?: string;
  /** A dashed vertical line at a position in group units, with its label. */
  marker?: { at: number; label: string };
  /** Draw a zero as a thin bar so it is not mistaken for a missing figure (default true; off for histograms). */
  thinZero?: boolean;
  /** Widest bar in SVG units, default 34. */
  maxBarWidth?: number;
}

const LEFT = 48;
const RIGHT_GAP = 8;

/** Two lines at most under a group: "Citation accuracy" → "Citation" / "accuracy". */
function labelLines(label: string): string[] {
  const words = label.split(' ');
  const half = Math.ceil(words.length / 2);
  return words.length > 1 && label.length > 12 ? [words.slice(0, half).join(' '), words.slice(half).join(' ')] : [label];
}

function groupLabel(label: string, x: number, y: number): string {
  const lines = labelLines(label);
  return text(x, y, lines.map((l, i) => `<tspan x="${round(x)}" dy="${i ? 13 : 0}">${escapeXml(l)}</tspan>`).join(''), { anchor: 'middle' }, true);
}

/** The chart as one `<svg>` element. */
export function barChart(input: BarChartInput): string {
  const { id, title, description, series, groups, scale } = input;
  const width = input.width ?? 640;
  const plotH = input.plotHeight ?? 170;
  const right = width - RIGHT_GAP;
  const lg = input.legend === false ? { svg: '', height: 0 } : legend(series, 8, LEFT, width);
  const top = 8 + lg.height + 8;
  const bottom = top + plotH;
  const twoLines = !input.xTicks && groups.some((g) => labelLines(g.label).length > 1);
  const height = bottom + (twoLines ? 40 : 26) + (input.xLabel ? 16 : 0);
  const y = yMapper(scale, top, plotH);
  const groupW = (right - LEFT) / Math.max(1, groups.length);
  const barW = Math.min(input.maxBarWidth ?? 34, (groupW * 0.84) / Math.max(1, series.length));
  const at = (position: number) => LEFT + position * groupW;

  const bars = groups
    .map((g, gi) => {
      const start = at(gi) + (groupW - barW * series.length) / 2;
      return g.values
        .map((v, si) => {
          if (!v || !Number.isFinite(v.value)) return '';
          if (v.value === 0 && input.thinZero === false) return '';
          const x = round(start + si * barW);
          const h = round(Math.max(input.thinZero === false ? 0 : 1.5, bottom - y(v.value)));
          const tip = `${series[si]?.name ?? ''}, ${g.label}: ${v.text}`;
          return `<rect class="chart-bar" x="${round(x + 1)}" y="${round(bottom - h)}" width="${round(Math.max(1, barW - 2))}" height="${h}" style="fill:${toneInk(series[si]?.tone ?? si)}"><title>${escapeXml(tip)}</title></rect>${whisker(x + barW / 2, v.low, v.high, y)}`;
        })
        .join('');
    })
    .join('');
  const xTicks = input.xTicks
    ? input.xTicks.map((t) => text(at(t.at), bottom + 15, t.label, { anchor: 'middle' })).join('')
    : groups.map((g, gi) => groupLabel(g.label, at(gi) + groupW / 2, bottom + 16)).join('');
  const xLabel = input.xLabel ? text(LEFT + (right - LEFT) / 2, height - 6, input.xLabel, { anchor: 'middle', size: 12 }) : '';
  let marker = '';
  if (input.marker) {
    const mx = round(at(input.marker.at));
    // The label sits on the side with more room.
    const onLeft = input.marker.at > groups.length / 3;
    marker =
      `<line class="chart-marker" x1="${mx}" x2="${mx}" y1="${top - 4}" y2="${bottom}" style="stroke:${ink('marker')};stroke-width:2;stroke-dasharray:5 3"/>` +
      text(mx + (onLeft ? -5 : 5), top + 6, input.marker.label, { anchor: onLeft ? 'end' : 'start', colour: ink('marker'), weight: 600 });
  }
  const body = lg.svg + yAxis(scale, y, LEFT, right, input.tickLabel) + bars + baseline(LEFT, right, bottom) + xTicks + xLabel + marker;
  return frame(id, title, description, width, height, body);
}

/** The chart's figures as an HTML table for screen readers (class `visually-hidden`): a row per group, a column per series. */
export function barTable(input: Pick<BarChartInput, 'title' | 'series' | 'groups' | 'xLabel'>): string {
  const head = `<tr><th scope="col">${escapeXml(input.xLabel ?? '')}</th>${input.series.map((s) => `<th scope="col">${escapeXml(s.name)}</th>`).join('')}</tr>`;
  const rows = input.groups.map((g) => `<tr><th scope="row">${escapeXml(g.label)}</th>${input.series.map((_, si) => `<td>${escapeXml(g.values[si]?.text ?? '—')}</td>`).join('')}</tr>`).join('');
  return `<table class="visually-hidden"><caption>${escapeXml(input.title)}</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}
