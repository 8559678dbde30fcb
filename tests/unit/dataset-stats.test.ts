// The Dataset page's numbers: bins that cover every value once, oracle positions 0..k, prompt tokens
// and the over-budget count, and similarity histograms of hard and random distractors on shared edges.
import { describe, expect, test } from 'vitest';
import { approximateTokenCount } from '../../src/lib/core/chunking';
import {
  binEdges,
  binIndex,
  datasetStats,
  exampleFigures,
  histogram,
  integerCounts,
  promptTokens,
  sharedHistograms,
  topDistractorSimilarity,
} from '../../src/lib/core/dataset-stats';
import { DEFAULT_TEMPLATE, renderUserPrompt } from '../../src/lib/core/raft/prompt';
import type { RaftDocument, RaftExample } from '../../src/lib/core/raft/types';

function doc(role: RaftDocument['role'], source: RaftDocument['source'], similarity: number | null, text = 'Some words here.'): RaftDocument {
  return { chunkId: `c_${text}`, articlePath: 'a.md', title: 'A', headingPath: ['A'], text, role, source, similarity, rank: source === 'hard' ? 1 : null };
}

function example(documents: RaftDocument[], over: Partial<RaftExample> = {}): RaftExample {
  const oraclePositions = documents.flatMap((d, i) => (d.role === 'oracle' ? [i] : []));
  return {
    id: 'ex',
    pairId: 'p',
    question: 'What is it?',
    answer: 'It.',
    split: 'train',
    documents,
    oraclePresent: oraclePositions.length > 0,
    oraclePositions,
    oracleChunkIds: ['c_o'],
    cotAnswer: '<ANSWER>: It.',
    quotes: [],
    problems: [],
    ...over,
  };
}

describe('bins', () => {
  test('edges are equal-width and end exactly at max', () => {
    expect(binEdges(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(binEdges(0, 0.3, 3).at(-1)).toBe(0.3);
  });

  test('a zero-width range still gives the bins asked for', () => {
    expect(binEdges(5, 5, 2)).toEqual([5, 6, 7]);
    expect(histogram([5, 5, 5], { bins: 2 }).bins.map((b) => b.count)).toEqual([3, 0]);
  });

  test('every value lands in exactly one bin; the maximum goes in the last bin', () => {
    const values = [0, 0.1, 0.25, 0.5, 0.74, 0.75, 1];
    const h = histogram(values, { bins: 4 });
    expect(h.bins.map((b) => b.count)).toEqual([2, 1, 2, 2]);
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(values.length);
  });

  test('edge values go to the bin they start, despite floating-point widths', () => {
    const edges = binEdges(0, 0.3, 3);
    expect(binIndex(0.1, edges)).toBe(1);
    expect(binIndex(0.2, edges)).toBe(2);
    expect(binIndex(-0.01, edges)).toBe(-1);
    expect(binIndex(0.31, edges)).toBe(-1);
  });

  test('null and NaN are counted as missing, not binned', () => {
    const h = histogram([1, null, Number.NaN, 2], { bins: 2 });
    expect(h.missing).toBe(2);
    expect(h.bins.map((b) => b.count)).toEqual([1, 1]);
  });

  test('no values: an empty 0..1 histogram', () => {
    const h = histogram([], { bins: 3 });
    expect(h.bins).toHaveLength(3);
    expect(h.bins[0].start).toBe(0);
    expect(h.bins.at(-1)!.end).toBe(1);
    expect(h.bins.every((b) => b.count === 0)).toBe(true);
  });

  test('shared histograms bin every series on the range of all of them', () => {
    const { edges, histograms } = sharedHistograms([[0.8, 0.9], [0.1, null]], { bins: 4 });
    expect(edges[0]).toBe(0.1);
    expect(edges.at(-1)).toBe(0.9);
    expect(histograms[0].bins.map((b) => b.count)).toEqual([0, 0, 0, 2]);
    expect(histograms[1].bins.map((b) => b.count)).toEqual([1, 0, 0, 0]);
    expect(histograms[1].missing).toBe(1);
  });

  test('integer counts run 0..max and ignore what is outside', () => {
    expect(integerCounts([0, 2, 2, 4, 7, -1, 1.5], 4)).toEqual([1, 0, 2, 0, 1]);
  });
});

describe('per-example figures', () => {
  const docs = [doc('distractor', 'hard', 0.62, 'alpha beta'), doc('oracle', 'oracle', 0.9, 'gamma'), doc('distractor', 'random', 0.1, 'delta')];

  test('prompt tokens are the system message plus the rendered user turn', () => {
    const e = example(docs);
    const expected = approximateTokenCount(DEFAULT_TEMPLATE.system) + approximateTokenCount(renderUserPrompt(DEFAULT_TEMPLATE, e.documents, e.question));
    expect(promptTokens(e, DEFAULT_TEMPLATE)).toBe(expected);
    expect(promptTokens(e, { ...DEFAULT_TEMPLATE, system: '' })).toBe(expected - approximateTokenCount(DEFAULT_TEMPLATE.system));
  });

  test('the top distractor similarity ignores the oracle and unscored distractors', () => {
    expect(topDistractorSimilarity(example(docs))).toBe(0.62);
    expect(topDistractorSimilarity(example([doc('oracle', 'oracle', 0.9), doc('distractor', 'random', null)]))).toBeNull();
  });

  test('oracle position and over-budget flag', () => {
    const figures = exampleFigures(example(docs), DEFAULT_TEMPLATE, 10);
    expect(figures.oraclePosition).toBe(1);
    expect(figures.overBudget).toBe(true);
    expect(exampleFigures(example(docs.filter((d) => d.role !== 'oracle')), DEFAULT_TEMPLATE, 10_000)).toMatchObject({ oraclePosition: null, overBudget: false });
  });
});

describe('dataset stats', () => {
  const examples = [
    example([doc('oracle', 'oracle', null), doc('distractor', 'hard', 0.7), doc('distractor', 'random', null)]),
    example([doc('distractor', 'hard', 0.5), doc('distractor', 'hard', 0.6), doc('oracle', 'oracle', null)]),
    example([doc('distractor', 'hard', 0.3), doc('distractor', 'random', 0.1), doc('distractor', 'random', 0.2)], {
      problems: ['x'],
      skippedDistractors: [
        { chunkId: 'e413', title: 'Error codes', headingPath: ['Error codes', 'E-413'], reason: 'answer' },
        { chunkId: 'notes', title: 'Release notes', headingPath: ['Release notes'], reason: 'answer' },
        { chunkId: 'copy', title: 'Old page', headingPath: ['Old page'], reason: 'near-copy' },
      ],
    }),
  ];
  const figures = examples.map((e) => exampleFigures(e, DEFAULT_TEMPLATE, 60));
  const stats = datasetStats(examples, figures, { distractors: 2, budget: 60, bins: 4 });

  test('counts examples without oracle, over budget and with problems', () => {
    expect(stats.total).toBe(3);
    expect(stats.withoutOracle).toBe(1);
    expect(stats.withoutOracleShare).toBeCloseTo(1 / 3);
    expect(stats.withProblems).toBe(1);
    expect(stats.overBudget).toBe(figures.filter((f) => f.tokens > 60).length);
  });

  test('candidates left out are counted in all and per reason, with the examples they come from', () => {
    expect(stats.skipped).toEqual({ total: 3, byReason: { answer: 2, quote: 0, 'near-copy': 1 }, examples: 1 });
  });

  test('oracle positions run 0..k and count only examples that kept their oracle', () => {
    expect(stats.oraclePositions).toEqual([1, 0, 1]);
  });

  test('hard and random similarities share edges; unscored ones are missing', () => {
    const { hard, random, edges } = stats.similarity;
    expect(edges[0]).toBe(0.1);
    expect(edges.at(-1)).toBe(0.7);
    expect(hard.bins.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(random.bins.reduce((s, b) => s + b.count, 0)).toBe(2);
    expect(random.missing).toBe(1);
  });

  test('the token axis reaches the budget even when every prompt is shorter', () => {
    const wide = datasetStats(examples, figures, { distractors: 2, budget: 10_000, bins: 4 });
    expect(wide.tokens.bins[0].start).toBe(0);
    expect(wide.tokens.bins.at(-1)!.end).toBe(10_000);
    expect(wide.tokens.bins[0].count).toBe(3);
    expect(wide.overBudget).toBe(0);
  });
});
