// The one chart module (core/charts) that both the app and the HTML report draw with: bars and their
// figures, labels in words beside colours, escaped text, an accessible frame, and empty data.
import { describe, expect, test } from 'vitest';
import { barChart, barTable, type BarChartInput } from '../../src/lib/core/charts/bar-chart';
import { lineChart } from '../../src/lib/core/charts/line-chart';
import { escapeXml, niceScale } from '../../src/lib/core/charts/svg';
import { oraclePositionChart, similarityChart, tokenChart } from '../../src/lib/core/dataset-charts';
import type { DatasetStats } from '../../src/lib/core/dataset-stats';

const base = (over: Partial<BarChartInput> = {}): BarChartInput => ({
  id: 'c',
  title: 'Answers <per> model',
  description: 'Two models & one metric.',
  series: [
    { name: 'Base', tone: 0 },
    { name: 'Tuned <v2>', tone: 1 },
  ],
  groups: [{ label: 'Exact match', values: [{ value: 0.5, low: 0.25, high: 0.75, text: '50%' }, { value: 0.8, text: '80%' }] }],
  scale: { max: 1, ticks: [0, 0.5, 1] },
  tickLabel: (v) => `${v * 100}%`,
  ...over,
});

const attr = (svg: string, name: string) => [...svg.matchAll(new RegExp(`<rect class="chart-bar"[^>]* ${name}="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('bar chart', () => {
  test('an image named by its title and described in words', () => {
    const svg = barChart(base());
    expect(svg).toMatch(/^<svg class="chart" id="c" viewBox="0 0 640 [\d.]+" role="img" aria-labelledby="c-t" aria-describedby="c-d"/);
    expect(svg).toContain('<title id="c-t">Answers &lt;per&gt; model</title>');
    expect(svg).toContain('<desc id="c-d">Two models &amp; one metric.</desc>');
  });

  test('a bar per figure, taller for the larger one, each with its figure in words; whiskers only where an interval is known', () => {
    const svg = barChart(base());
    const heights = attr(svg, 'height');
    expect(heights).toHaveLength(2);
    expect(heights[1] / heights[0]).toBeCloseTo(0.8 / 0.5, 1);
    expect(svg).toContain('<title>Base, Exact match: 50%</title>');
    expect(svg).toContain('<title>Tuned &lt;v2&gt;, Exact match: 80%</title>');
    expect(svg.match(/class="chart-whisker"/g)).toHaveLength(1);
  });

  test('the legend names every series beside its swatch, so colour is not the only cue; each series in its own colour', () => {
    const svg = barChart(base());
    expect(svg.match(/<g class="chart-legend-item">/g)).toHaveLength(2);
    expect(svg).toContain('>Base</text>');
    expect(svg).toContain('>Tuned &lt;v2&gt;</text>');
    expect(svg).toContain('fill:var(--chart-s0,');
    expect(svg).toContain('fill:var(--chart-s1,');
    expect(barChart(base({ legend: false }))).not.toContain('chart-legend-item');
  });

  test('tick labels, group labels, the x label and a marker are drawn as text; nothing user-given escapes unescaped', () => {
    const svg = barChart(base({ xLabel: 'Model <&> size', marker: { at: 0.5, label: 'budget "4,096"' }, groups: [{ label: '<b>bold</b>', values: [{ value: 0.1, text: '"10%"' }, null] }] }));
    expect(svg).toContain('>50%</text>');
    expect(svg).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(svg).toContain('>Model &lt;&amp;&gt; size</text>');
    expect(svg).toContain('class="chart-marker"');
    expect(svg).toContain('>budget &quot;4,096&quot;</text>');
    expect(svg).not.toMatch(/<b>|<&>/);
  });

  test('a zero is a thin bar unless asked otherwise; a missing figure has none', () => {
    const zero = base({ groups: [{ label: 'g', values: [{ value: 0, text: '0' }, null] }] });
    expect(attr(barChart(zero), 'height')).toEqual([1.5]);
    expect(attr(barChart({ ...zero, thinZero: false }), 'height')).toEqual([]);
  });

  test('empty data still draws a frame, its axis and its legend, and no bar', () => {
    const svg = barChart(base({ groups: [] }));
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(svg).not.toContain('chart-bar');
    expect(svg).toContain('class="chart-axis"');
    expect(barChart(base({ groups: [], series: [] }))).not.toContain('chart-legend-item');
  });

  test('the figures as a table for screen readers: a row per group, a column per series, "—" for none', () => {
    const table = barTable(base({ xLabel: 'Metric', groups: [{ label: 'EM', values: [{ value: 1, text: '100%' }, null] }] }));
    expect(table).toBe(
      '<table class="visually-hidden"><caption>Answers &lt;per&gt; model</caption><thead><tr><th scope="col">Metric</th><th scope="col">Base</th><th scope="col">Tuned &lt;v2&gt;</th></tr></thead><tbody><tr><th scope="row">EM</th><td>100%</td><td>—</td></tr></tbody></table>',
    );
  });
});

describe('line chart', () => {
  test('a line per series and a dot per point, the series keeping the tone it was given', () => {
    const point = (x: number, value: number) => ({ x, value, low: value - 0.1, high: value + 0.1, tip: `${x} distractors: ${value}` });
    const svg = lineChart({ id: 'l', title: 't', description: 'd', xLabel: 'distractors', scale: { max: 1, ticks: [0, 1] }, tickLabel: String, series: [{ name: 'Base', tone: 0, points: [point(0, 0.5), point(2, 0.3)] }, { name: 'Tuned', tone: 2, points: [point(0, 0.8), point(2, 0.7)] }] });
    expect(svg.match(/<path class="chart-line"/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toMatch(/class="chart-line"[^>]*stroke:var\(--chart-s2,/);
    expect(svg).toContain('<title>2 distractors: 0.7</title>');
    expect(svg).toContain('>distractors</text>');
  });

  test('no points: a frame with no line', () => {
    const svg = lineChart({ id: 'l', title: 't', description: 'd', xLabel: 'x', scale: { max: 1, ticks: [0, 1] }, tickLabel: String, series: [] });
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(svg).not.toContain('chart-line');
  });
});

describe('dataset charts', () => {
  const bins = (counts: number[], width: number) => counts.map((count, i) => ({ start: i * width, end: (i + 1) * width, count }));
  const stats = (over: Partial<DatasetStats> = {}): DatasetStats => ({
    total: 10,
    withoutOracle: 2,
    withoutOracleShare: 0.2,
    overBudget: 1,
    withProblems: 0,
    oraclePositions: [3, 0, 5],
    similarity: { edges: [0, 0.5, 1], hard: { bins: bins([1, 6], 0.5), missing: 0 }, random: { bins: bins([4, 0], 0.5), missing: 0 } },
    tokens: { bins: bins([2, 7, 1], 500), missing: 0 },
    maxTokens: 1400,
    skipped: { total: 0, byReason: { answer: 0, quote: 0, 'near-copy': 0 }, examples: 0 },
    ...over,
  });

  test('oracle positions: a bar per non-empty position, its count in words, one series without a legend', () => {
    const chart = oraclePositionChart(stats());
    const svg = barChart(chart);
    expect(svg.match(/<rect class="chart-bar"/g)).toHaveLength(2);
    expect(svg).toContain('<title>examples, 2: 5</title>');
    expect(svg).not.toContain('chart-legend-item');
    expect(chart.description).toContain('position 1: 0');
    expect(barTable(chart)).toContain('<tr><th scope="row">1</th><td>0</td></tr>');
  });

  test('similarity: hard and random side by side with a legend in words; none scored gives no chart', () => {
    const svg = barChart(similarityChart(stats(), 'dense')!);
    expect(svg).toContain('>hard distractors</text>');
    expect(svg).toContain('>random distractors</text>');
    expect(svg).toContain('fill:var(--chart-hard,');
    const empty = { bins: bins([0, 0], 0.5), missing: 3 };
    expect(similarityChart(stats({ similarity: { edges: [0, 0.5, 1], hard: empty, random: empty } }), 'dense')).toBeNull();
  });

  test('prompt lengths: the budget is a labelled marker inside the bins it falls in', () => {
    const svg = barChart(tokenChart(stats(), 1200));
    expect(svg).toContain('>budget 1,200</text>');
    const x = Number(/<line class="chart-marker" x1="([\d.]+)"/.exec(svg)![1]);
    const [, left, right] = [.../<line class="chart-axis" x1="([\d.]+)" x2="([\d.]+)"/.exec(svg)!].map(Number);
    expect(x).toBeCloseTo(left + ((right - left) * 1200) / 1500, 0);
  });
});

describe('helpers', () => {
  test('escapeXml covers both quote kinds', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test('niceScale: round steps up to at least the top; whole steps for counts', () => {
    expect(niceScale(37)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceScale(3, true)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(0.9).max).toBeGreaterThanOrEqual(0.9);
  });
});
