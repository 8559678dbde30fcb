// The Dataset page's histograms as chart descriptions for core/charts: where the oracle lands, how similar
// the hard and random distractors are to the question, and how long the prompts are against the budget.
// Each says its figures in words too (description and table), so the chart is not the only way to read them.
import type { BarChartInput, BarGroup, ChartSeries } from './charts/bar-chart';
import { niceScale } from './charts/svg';
import type { Bin, DatasetStats } from './dataset-stats';
import type { RetrievalMode } from './retrieval/types';

const WIDTH = 480;
const PLOT_HEIGHT = 152;

/** One group per bin, one count per series; counts of 0 draw no bar. */
function countGroups(labels: string[], series: { name: string; counts: number[] }[]): BarGroup[] {
  return labels.map((label, bin) => ({ label, values: series.map((s) => ({ value: s.counts[bin] ?? 0, text: String(s.counts[bin] ?? 0) })) }));
}

/** Shared frame of a count histogram: whole-number ticks, no thin bar for an empty bin. */
function histogram(input: Omit<BarChartInput, 'scale' | 'tickLabel' | 'width' | 'plotHeight' | 'thinZero' | 'legend'> & { counts: number[][] }): BarChartInput {
  const { counts, ...chart } = input;
  return { ...chart, scale: niceScale(Math.max(1, ...counts.flat()), true), tickLabel: String, width: WIDTH, plotHeight: PLOT_HEIGHT, thinZero: false, legend: chart.series.length > 1 };
}

const range = (b: Bin, digits: number) => `${b.start.toFixed(digits)}–${b.end.toFixed(digits)}`;

/** A label at every third bin edge and at the last one. */
function edgeTicks(bins: Bin[], digits: number): { at: number; label: string }[] {
  const edges = [...bins.map((b, i) => ({ at: i, label: b.start.toFixed(digits) })), { at: bins.length, label: (bins.at(-1)?.end ?? 0).toFixed(digits) }];
  return edges.filter((_, i) => i % 3 === 0 || i === bins.length);
}

/** Examples per oracle position among the documents. */
export function oraclePositionChart(stats: DatasetStats): BarChartInput {
  const labels = stats.oraclePositions.map((_, i) => String(i));
  const series: ChartSeries[] = [{ name: 'examples', tone: 'oracle' }];
  return histogram({
    id: 'chart-oracle-position',
    title: 'Oracle position',
    description: `Number of examples whose oracle is at each position among the documents, 0 to ${stats.oraclePositions.length - 1}; ${stats.total - stats.withoutOracle} examples kept their oracle. Counts: ${stats.oraclePositions.map((c, i) => `position ${i}: ${c}`).join(', ')}.`,
    series,
    groups: countGroups(labels, [{ name: 'examples', counts: stats.oraclePositions }]),
    counts: [stats.oraclePositions],
    xLabel: 'Position of the oracle (0 = first document)',
  });
}

/** Hard and random distractors per similarity bin; null when no distractor was scored. */
export function similarityChart(stats: DatasetStats, mode: RetrievalMode): BarChartInput | null {
  const digits = mode === 'lexical' ? 1 : 2;
  const label = { lexical: 'BM25 score', dense: 'cosine similarity', hybrid: 'hard: fused rank score · random: cosine similarity' }[mode];
  const all = [
    { name: 'hard distractors', tone: 'hard' as const, counts: stats.similarity.hard.bins.map((b) => b.count) },
    { name: 'random distractors', tone: 'random' as const, counts: stats.similarity.random.bins.map((b) => b.count) },
  ];
  const shown = all.filter((s) => s.counts.some((c) => c > 0));
  if (!shown.length) return null;
  const bins = stats.similarity.hard.bins;
  return histogram({
    id: 'chart-similarity',
    title: 'Distractor similarity to the question',
    description: `Histogram of distractor similarity (${label}) for ${shown.map((s) => `${s.name}: ${s.counts.reduce((a, b) => a + b, 0)}`).join(', ')}, from ${stats.similarity.edges[0].toFixed(2)} to ${stats.similarity.edges.at(-1)?.toFixed(2)}.`,
    series: shown.map(({ name, tone }) => ({ name, tone })),
    groups: countGroups(
      bins.map((b) => range(b, digits)),
      shown,
    ),
    counts: shown.map((s) => s.counts),
    xLabel: label,
    xTicks: edgeTicks(bins, digits),
  });
}

/** Examples per prompt length, with the context budget as a marker. */
export function tokenChart(stats: DatasetStats, contextBudget: number): BarChartInput {
  const bins = stats.tokens.bins;
  const budgetAt = bins.length ? (contextBudget - bins[0].start) / (bins[0].end - bins[0].start) : 0;
  const counts = bins.map((b) => b.count);
  return histogram({
    id: 'chart-tokens',
    title: 'Prompt length (approximate tokens)',
    description: `Histogram of approximate prompt lengths from 0 to ${bins.at(-1)?.end.toFixed(0)} tokens; the longest is ${stats.maxTokens}; ${stats.overBudget} of ${stats.total} exceed the ${contextBudget}-token budget.`,
    series: [{ name: 'examples', tone: 'accent' }],
    groups: countGroups(
      bins.map((b) => range(b, 0)),
      [{ name: 'examples', counts }],
    ),
    counts: [counts],
    xLabel: 'Prompt tokens (system + user, approximate)',
    xTicks: edgeTicks(bins, 0),
    marker: { at: budgetAt, label: `budget ${contextBudget.toLocaleString('en')}` },
  });
}
