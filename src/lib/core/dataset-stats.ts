// Statistics of a built RAFT dataset, for the Dataset page's table and charts: per-example figures
// (prompt tokens, oracle position, top distractor similarity), histograms with shared bin edges, and the
// candidate distractors left out for holding the answer.
import { approximateTokenCount } from './chunking/tokens';
import type { SkipReason } from './raft/distractor-check';
import { renderUserPrompt, type PromptTemplate } from './raft/prompt';
import type { RaftExample } from './raft/types';

/** One bar of a histogram: values in [start, end), the last bin also holding its `end`. */
export interface Bin {
  start: number;
  end: number;
  count: number;
}

export interface Histogram {
  bins: Bin[];
  /** Values that were not finite numbers (null, NaN), left out of the bins. */
  missing: number;
}

export interface BinOptions {
  /** Number of equal-width bins, integer ≥ 1. Default 10. */
  bins?: number;
  /** Lower edge; default the smallest value. */
  min?: number;
  /** Upper edge; default the largest value. */
  max?: number;
}

/** Equal-width edges over [min, max]; an empty or zero-width range still gives `count` bins of width 1. */
export function binEdges(min: number, max: number, count: number): number[] {
  const n = Math.max(1, Math.floor(count));
  const width = max > min ? (max - min) / n : 1;
  return Array.from({ length: n + 1 }, (_, i) => (i === n && max > min ? max : min + i * width));
}

/** Index of the bin holding `value` for `edges`, or -1 outside [first, last]; the last bin is closed. */
export function binIndex(value: number, edges: readonly number[]): number {
  const n = edges.length - 1;
  if (n < 1 || value < edges[0] || value > edges[n]) return -1;
  if (value === edges[n]) return n - 1;
  const width = edges[1] - edges[0];
  // Equal widths: compute, then correct for rounding at the edges.
  let i = Math.min(n - 1, Math.floor((value - edges[0]) / width));
  while (i > 0 && value < edges[i]) i--;
  while (i < n - 1 && value >= edges[i + 1]) i++;
  return i;
}

/** Counts of `values` in the bins between `edges`; non-finite values are counted as missing. */
export function countInBins(values: readonly (number | null)[], edges: readonly number[]): Histogram {
  const bins: Bin[] = edges.slice(0, -1).map((start, i) => ({ start, end: edges[i + 1], count: 0 }));
  let missing = 0;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) {
      missing++;
      continue;
    }
    const i = binIndex(value, edges);
    if (i >= 0) bins[i].count++;
  }
  return { bins, missing };
}

function finiteRange(values: readonly (number | null)[]): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : null;
}

/** Histogram of `values` in equal-width bins; the range defaults to the values' own (0..1 when there are none). */
export function histogram(values: readonly (number | null)[], options: BinOptions = {}): Histogram {
  const range = finiteRange(values) ?? [0, 1];
  const min = options.min ?? range[0];
  const max = Math.max(min, options.max ?? range[1]);
  return countInBins(values, binEdges(min, max, options.bins ?? 10));
}

/**
 * Several series binned on the same edges (so their bars line up), over the range of all of them.
 * Returns the edges and one histogram per series, in the order given.
 */
export function sharedHistograms(series: readonly (readonly (number | null)[])[], options: BinOptions = {}): { edges: number[]; histograms: Histogram[] } {
  const range = finiteRange(series.flat()) ?? [0, 1];
  const min = options.min ?? range[0];
  const max = Math.max(min, options.max ?? range[1]);
  const edges = binEdges(min, max, options.bins ?? 10);
  return { edges, histograms: series.map((values) => countInBins(values, edges)) };
}

/** How many values equal each integer 0..max (values outside are ignored). */
export function integerCounts(values: readonly number[], max: number): number[] {
  const counts = new Array<number>(Math.max(0, Math.floor(max)) + 1).fill(0);
  for (const v of values) if (Number.isInteger(v) && v >= 0 && v < counts.length) counts[v]++;
  return counts;
}

/**
 * Approximate prompt length in tokens: the system message plus the rendered user turn (documents and question),
 * counted with the model-free {@link approximateTokenCount}.
 */
export function promptTokens(example: Pick<RaftExample, 'documents' | 'question'>, template: PromptTemplate): number {
  const system = template.system ? approximateTokenCount(template.system) : 0;
  return system + approximateTokenCount(renderUserPrompt(template, example.documents, example.question));
}

/** Highest similarity among an example's distractors, or null when none was scored. */
export function topDistractorSimilarity(example: Pick<RaftExample, 'documents'>): number | null {
  let top: number | null = null;
  for (const d of example.documents) {
    if (d.role !== 'distractor' || d.similarity === null) continue;
    if (top === null || d.similarity > top) top = d.similarity;
  }
  return top;
}

/** Per-example figures shown in the examples table. */
export interface ExampleFigures {
  /** Position (0-based) of the first oracle among the documents, or null when it was left out. */
  oraclePosition: number | null;
  topSimilarity: number | null;
  tokens: number;
  overBudget: boolean;
}

export function exampleFigures(example: RaftExample, template: PromptTemplate, budget: number): ExampleFigures {
  const tokens = promptTokens(example, template);
  return { oraclePosition: example.oraclePositions[0] ?? null, topSimilarity: topDistractorSimilarity(example), tokens, overBudget: tokens > budget };
}

/** What the summary charts show, computed once per build. */
export interface DatasetStats {
  total: number;
  withoutOracle: number;
  /** Share of examples without their oracle, 0..1 (0 when there are none). */
  withoutOracleShare: number;
  overBudget: number;
  withProblems: number;
  /** Examples whose (first) oracle is at each position 0..k (index = position; longer with several oracles). */
  oraclePositions: number[];
  /** Distractor similarities, hard and random, binned on shared edges. */
  similarity: { edges: number[]; hard: Histogram; random: Histogram };
  /** Prompt tokens from 0 to max(longest prompt, budget). */
  tokens: Histogram;
  maxTokens: number;
  skipped: SkipCounts;
}

/** Candidate distractors the builder left out (they held the answer, the quote or a copy of the oracle). */
export interface SkipCounts {
  total: number;
  byReason: Record<SkipReason, number>;
  /** Examples with at least one candidate left out. */
  examples: number;
}

export function skipCounts(examples: readonly Pick<RaftExample, 'skippedDistractors'>[]): SkipCounts {
  const byReason: Record<SkipReason, number> = { answer: 0, quote: 0, 'near-copy': 0 };
  let total = 0;
  let withSkips = 0;
  for (const e of examples) {
    const skipped = e.skippedDistractors ?? [];
    if (skipped.length) withSkips++;
    for (const s of skipped) {
      byReason[s.reason]++;
      total++;
    }
  }
  return { total, byReason, examples: withSkips };
}

export interface StatsOptions {
  /** Distractors per example (k): the oracle position axis runs 0..k. */
  distractors: number;
  /** Context budget in tokens. */
  budget: number;
  /** Bins of the similarity and token histograms. Default 12. */
  bins?: number;
}

export function datasetStats(examples: readonly RaftExample[], figures: readonly ExampleFigures[], options: StatsOptions): DatasetStats {
  const bins = options.bins ?? 12;
  const withoutOracle = examples.filter((e) => !e.oraclePresent).length;
  const hard: (number | null)[] = [];
  const random: (number | null)[] = [];
  for (const e of examples) for (const d of e.documents) if (d.role === 'distractor') (d.source === 'hard' ? hard : random).push(d.similarity);
  const similarity = sharedHistograms([hard, random], { bins });
  const positions = figures.flatMap((f) => (f.oraclePosition === null ? [] : [f.oraclePosition]));
  const maxTokens = figures.reduce((m, f) => Math.max(m, f.tokens), 0);
  return {
    total: examples.length,
    withoutOracle,
    withoutOracleShare: examples.length ? withoutOracle / examples.length : 0,
    overBudget: figures.filter((f) => f.tokens > options.budget).length,
    withProblems: examples.filter((e) => e.problems.length > 0).length,
    oraclePositions: integerCounts(positions, Math.max(options.distractors, ...positions)),
    similarity: { edges: similarity.edges, hard: similarity.histograms[0], random: similarity.histograms[1] },
    tokens: histogram(
      figures.map((f) => f.tokens),
      { bins, min: 0, max: Math.max(maxTokens, options.budget) },
    ),
    maxTokens,
    skipped: skipCounts(examples),
  };
}
