// Evaluation metrics against hand-computed cases.
import { describe, expect, test } from 'vitest';
import { exactMatch, normaliseAnswer, tokenF1 } from '../../src/lib/core/metrics/answer';
import { bootstrapMean } from '../../src/lib/core/metrics/bootstrap';
import { analyseAnswer } from '../../src/lib/core/metrics/citations';

describe('SQuAD-style normalisation, exact match and F1', () => {
  test('normalisation drops case, punctuation, articles and extra spaces', () => {
    expect(normaliseAnswer('  The  Free plan: 3 devices! ')).toBe('free plan 3 devices');
    expect(normaliseAnswer('Résumé')).toBe('resume');
  });
  test('exact match after normalisation', () => {
    expect(exactMatch('14 days.', 'the 14 Days')).toBe(1);
    expect(exactMatch('14 days', '30 days')).toBe(0);
  });
  test.each([
    ['14 days', '14 days', 1],
    ['within 14 days', '14 days', 0.8], // p = 2/3, r = 1 → 0.8
    ['30 days', '14 days', 0.5], // p = 1/2, r = 1/2
    ['nothing alike', '14 days', 0],
    ['', '', 1],
    ['', '14 days', 0],
    ['days days', 'days', 2 / 3], // multiset: one common token; p = 1/2, r = 1
  ])('F1(%j, %j) = %d', (prediction, reference, f1) => {
    expect(tokenF1(prediction, reference)).toBeCloseTo(f1, 10);
  });
});

describe('answer analysis', () => {
  const docs = ['Refunds are available within 14 days.', 'Annual plans: 30 days. Refunds are available'];
  const oracle = [true, false];

  test('a verbatim quote from the oracle is a correct citation', () => {
    const a = analyseAnswer('##begin_quote##available within 14 days##end_quote## <ANSWER>: 14 days', docs, oracle);
    expect(a).toMatchObject({ finalAnswer: '14 days', formatValid: true, quoteFidelity: 1, citedOracle: true, distracted: false });
  });
  test('quotes only from a distractor mean the model was distracted', () => {
    const a = analyseAnswer('##begin_quote##Annual plans: 30 days.##end_quote## <ANSWER>: 30 days', docs, oracle);
    expect(a).toMatchObject({ citedOracle: false, distracted: true, quoteFidelity: 1 });
  });
  test('a quote found in two documents (overlapping chunks) counts for both', () => {
    const a = analyseAnswer('##begin_quote##Refunds are available##end_quote##', docs, oracle);
    expect(a.quotes[0].documentIndexes).toEqual([0, 1]);
    expect(a.citedOracle).toBe(true);
    expect(a.formatValid).toBe(false);
  });
  test('a paraphrased quote lowers fidelity; no quotes give null fidelity', () => {
    expect(analyseAnswer('##begin_quote##refunds within 14 days##end_quote## ##begin_quote##Annual plans##end_quote##', docs, oracle).quoteFidelity).toBe(0.5);
    expect(analyseAnswer('<ANSWER>: 14 days', docs, oracle)).toMatchObject({ quoteFidelity: null, citedOracle: false, distracted: false });
  });
  test('without an oracle in context, citation is not applicable', () => {
    expect(analyseAnswer('<ANSWER>: 14 days', docs, [false, false]).citedOracle).toBeNull();
  });
  test('a quote in quotation marks is verbatim when its inner text is; the exact text found is kept for highlighting', () => {
    const a = analyseAnswer('##begin_quote##"Annual plans: 30 days."##end_quote##', docs, oracle);
    expect(a.quotes[0]).toMatchObject({ verbatim: true, found: 'Annual plans: 30 days.', documentIndexes: [1], fromOracle: false });
  });
  test('a quote that differs only in case and spacing is not verbatim, but its near match is named', () => {
    const a = analyseAnswer('##begin_quote##refunds are  AVAILABLE within 14 days.##end_quote##', docs, oracle);
    expect(a.quotes[0]).toMatchObject({ verbatim: false, found: null, nearDocumentIndexes: [0], spansDocuments: null });
    expect(a).toMatchObject({ quoteFidelity: 0, citedOracle: false, distracted: false });
  });
  test('an empty answer is invalid, with nothing quoted', () => {
    expect(analyseAnswer('', docs, oracle)).toMatchObject({ formatValid: false, quotes: [], distracted: false });
  });
});

describe('bootstrap', () => {
  const values = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // mean 0.25
  test('the interval contains the mean and is seeded', () => {
    const a = bootstrapMean(values, 1);
    expect(a.mean).toBe(0.25);
    expect(a.low).toBeLessThan(0.25);
    expect(a.high).toBeGreaterThan(0.25);
    // The standard error is sqrt(.25 × .75 / 200) ≈ 0.031: a 95% interval is about ±0.06.
    expect(a.high - a.low).toBeGreaterThan(0.08);
    expect(a.high - a.low).toBeLessThan(0.16);
    expect(bootstrapMean(values, 1)).toEqual(a);
  });
  test('constant scores give a zero-width interval; no scores give NaN', () => {
    expect(bootstrapMean([1, 1, 1], 3)).toEqual({ mean: 1, low: 1, high: 1 });
    expect(Number.isNaN(bootstrapMean([], 3).mean)).toBe(true);
  });
});
