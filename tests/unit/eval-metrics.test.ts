// Evaluation metrics and their aggregation against hand-computed cases: answer scoring (with and without
// <ANSWER>:, empty replies, no reference), per-question metric values, per-arm means with seeded
// bootstrap intervals, and the retriever's recall@k and MRR.
import { describe, expect, test } from 'vitest';
import { metricValue, summariseRun, summariseValues } from '../../src/lib/core/eval/aggregate';
import { formatDelta, formatDeltaInterval } from '../../src/lib/core/eval/format';
import { buildArms, defaultEvalSettings } from '../../src/lib/core/eval/plan';
import { runEvaluation } from '../../src/lib/core/eval/runner';
import { replyAsAnswer, scoreAnswer } from '../../src/lib/core/eval/score';
import type { EvalRecord, EvalSettings } from '../../src/lib/core/eval/types';
import { analyseAnswer } from '../../src/lib/core/metrics/citations';
import { retrievalScores } from '../../src/lib/core/metrics/retrieval';
import { fakeRetrieve, QUESTIONS, result } from './eval-support';

describe('scoring the final answer', () => {
  test('the text after <ANSWER>: is scored, SQuAD-normalised', () => {
    expect(scoreAnswer('##Reason: … <ANSWER>: The 14 Days.', { finalAnswer: 'The 14 Days.' }, '14 days', 'reply')).toEqual({ em: 1, f1: 1, scored: 'The 14 Days.', from: 'answer-tag' });
    // "within 14 days" against "14 days": precision 2/3, recall 1, F1 0.8.
    expect(scoreAnswer('', { finalAnswer: 'within 14 days' }, '14 days', 'zero').f1).toBeCloseTo(0.8, 12);
  });

  test('without <ANSWER>: the whole reply is scored, or 0 under the strict policy', () => {
    const reply = '##Reason: ##begin_quote##The refund window##end_quote## is 14 days.';
    expect(replyAsAnswer(reply)).toBe('The refund window is 14 days.');
    expect(replyAsAnswer('## BEGIN QUOTE ##Refunds##end-quote## in 14 days<|im_end|>')).toBe('Refunds in 14 days');
    // "refund window is 14 days" (5 tokens) against "14 days": precision 2/5, recall 1, F1 = 0.8 / 1.4.
    const lenient = scoreAnswer(reply, { finalAnswer: null }, '14 days', 'reply');
    expect(lenient).toMatchObject({ em: 0, from: 'whole-reply' });
    expect(lenient.f1).toBeCloseTo(0.8 / 1.4, 12);
    expect(scoreAnswer(reply, { finalAnswer: null }, '14 days', 'zero')).toEqual({ em: 0, f1: 0, scored: '', from: 'none' });
  });

  test('an empty reply scores 0; a question without a reference gets no EM or F1', () => {
    expect(scoreAnswer('', { finalAnswer: null }, '14 days', 'reply')).toEqual({ em: 0, f1: 0, scored: '', from: 'none' });
    expect(scoreAnswer('  \n', { finalAnswer: null }, '14 days', 'reply')).toMatchObject({ em: 0, f1: 0 });
    expect(scoreAnswer('<ANSWER>: 14 days', { finalAnswer: '14 days' }, '  ', 'reply')).toMatchObject({ em: null, f1: null });
  });

  test('a reference of only articles and punctuation: an answer matches only when it normalises to nothing too', () => {
    expect(scoreAnswer('', { finalAnswer: 'The.' }, 'A', 'reply')).toMatchObject({ em: 1, f1: 1 });
    expect(scoreAnswer('', { finalAnswer: 'yes' }, 'The', 'reply')).toMatchObject({ em: 0, f1: 0 });
  });
});

describe('per-question metric values', () => {
  const docs = ['Refunds are available within 14 days of payment.', 'Annual plans renew every year.'];
  const record = (reply: string, documents = docs, oracle = [true, false], tokens = 10): EvalRecord => {
    const analysis = analyseAnswer(reply, documents, oracle);
    return {
      key: 'a|q',
      armId: 'a',
      pairId: 'q',
      documents: documents.map((_, i) => ({ chunkId: `c${i}`, articlePath: 'x.md', title: 'x', headingPath: [], score: null, rank: i + 1, role: oracle[i] ? 'oracle' : 'distractor', injected: false })),
      retrieval: null,
      reply: result(reply, 100, tokens),
      analysis,
      score: scoreAnswer(reply, analysis, '14 days', 'reply'),
      judge: null,
    };
  };

  test('a quote running across two documents is verbatim in neither: fidelity 0, no citation, not distracted', () => {
    const r = record('##begin_quote##within 14 days of payment. Annual plans renew##end_quote## <ANSWER>: 14 days');
    expect(r.analysis.quotes[0].spansDocuments).toEqual([0, 1]);
    expect([metricValue(r, 'fidelity'), metricValue(r, 'citation'), metricValue(r, 'distracted'), metricValue(r, 'format'), metricValue(r, 'em')]).toEqual([0, 0, 0, 1, 1]);
  });

  test('an empty answer: format invalid, no quotes (fidelity not applicable), EM and F1 zero', () => {
    const r = record('', docs, [true, false], 0);
    expect([metricValue(r, 'format'), metricValue(r, 'fidelity'), metricValue(r, 'citation'), metricValue(r, 'em'), metricValue(r, 'f1'), metricValue(r, 'tps')]).toEqual([0, null, 0, 0, 0, null]);
  });

  test('closed book (no documents): citation and distraction do not apply', () => {
    const r = record('<ANSWER>: 14 days', [], []);
    expect([metricValue(r, 'citation'), metricValue(r, 'distracted'), metricValue(r, 'em')]).toEqual([null, null, 1]);
  });
});

describe('aggregation per arm', () => {
  const REPLIES: Record<string, string> = {
    // q1: the oracle quoted verbatim, right answer.
    'Question q1?': '##begin_quote##Refunds are available within 14 days.##end_quote## <ANSWER>: 14 days',
    // q2: one distractor quote, one invented quote, answer with an extra word.
    'Question q2?': '##begin_quote##Team plans renew monthly.##end_quote## ##begin_quote##made up text##end_quote## <ANSWER>: within 30 days',
    // q3: no reference answer, no format; its oracle was not retrieved.
    'Question q3?': 'I do not know.',
  };
  const MS: Record<string, number> = { 'Question q1?': 100, 'Question q2?': 200, 'Question q3?': 300 };

  async function run(settings: EvalSettings) {
    const records: EvalRecord[] = [];
    const arms = buildArms(settings);
    await runEvaluation(
      { settings, arms, questions: QUESTIONS, done: new Set() },
      {
        retrieve: fakeRetrieve(),
        acquire: async () => async (messages) => {
          const q = messages.at(-1)!.content.split('\n').at(-1)!;
          return result(REPLIES[q], MS[q]);
        },
        save: async (r) => void records.push(r),
      },
    );
    return { arms, records, summary: summariseRun({ settings, arms, questions: QUESTIONS, records }) };
  }

  test('means over the questions each metric applies to, hand-computed', async () => {
    const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }] };
    const { summary } = await run(settings);
    const m = summary.arms[0].metrics;
    expect(summary.arms[0]).toMatchObject({ armId: 'base@k5+0', answered: 3 });
    expect([m.em.mean, m.em.n]).toEqual([0.5, 2]); // q3 has no reference
    expect(m.f1.mean).toBeCloseTo(0.9, 12); // (1 + 0.8) / 2
    expect([m.citation.mean, m.citation.n]).toEqual([0.5, 2]); // q3's oracle was not shown
    expect([m.fidelity.mean, m.fidelity.n]).toEqual([0.75, 2]); // (1 + 1/2) / 2; q3 quoted nothing
    expect(m.distracted.mean).toBeCloseTo(1 / 3, 12); // only q2
    expect(m.format.mean).toBeCloseTo(2 / 3, 12);
    expect(m.latency.mean).toBe(200);
    expect(m.judge).toEqual({ mean: null, low: null, high: null, n: 0 });
    expect(summary.arms[0].meanDistractors).toBeCloseTo((4 + 4 + 5) / 3, 12);
  });

  test('retrieval alone: recall@k and MRR of the oracle chunk and recall of its article, as retrievalScores gives', async () => {
    const { summary, records } = await run({ ...defaultEvalSettings(), systems: [{ role: 'base', retrieval: true }] });
    const r = summary.retrieval!;
    // Oracle ranks: q1 1st, q2 3rd, q3 absent.
    expect(r.recall_at_k.mean).toBeCloseTo(2 / 3, 12);
    expect(r.mrr.mean).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
    expect(r.article_recall_at_k.mean).toBeCloseTo(2 / 3, 12);
    const cases = records.map((rec) => {
      const q = QUESTIONS.find((x) => x.pairId === rec.pairId)!;
      return { retrieved: rec.retrieval!.ranking, retrievedArticles: rec.retrieval!.ranking.map((c) => `${c.split('#')[0]}.md`), oracleChunkIds: q.oracleChunkIds, oracleArticles: q.oracleArticles };
    });
    const reference = retrievalScores(cases, 5);
    expect([r.recall_at_k.mean, r.mrr.mean, r.article_recall_at_k.mean]).toEqual([reference.recall_at_k, reference.mrr, reference.article_recall_at_k]);
  });

  test('a model without retrieval reads no documents and has no retrieval figures of its own', async () => {
    const { summary } = await run({ ...defaultEvalSettings(), systems: [{ role: 'base', retrieval: false }] });
    expect(summary.retrieval).toBeNull();
    expect(summary.arms[0]).toMatchObject({ armId: 'base@closed', meanDistractors: 0 });
    expect(summary.arms[0].metrics.citation.n).toBe(0);
    expect(summary.arms[0].metrics.distracted.n).toBe(0);
  });

  test('the same records give the same intervals (seeded); another seed moves them', async () => {
    const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }] };
    const a = await run(settings);
    const b = await run(settings);
    expect(b.summary).toEqual(a.summary);
    const other = summariseRun({ settings: { ...settings, seed: 8 }, arms: a.arms, questions: QUESTIONS, records: a.records });
    expect(other.arms[0].metrics.latency.mean).toBe(200);
    // Three latencies (100, 200, 300 ms): every resampled mean lies between the smallest and the largest.
    expect(other.arms[0].metrics.latency.low!).toBeGreaterThanOrEqual(100);
    expect(other.arms[0].metrics.latency.high!).toBeLessThanOrEqual(300);
  });
});

describe('fine-tuned against base, paired over questions', () => {
  test('per-question differences, hand-computed; arms without a base counterpart are not compared', async () => {
    const settings: EvalSettings = { ...defaultEvalSettings(), systems: [{ role: 'base', retrieval: true }, { role: 'tuned', retrieval: true }, { role: 'tuned', retrieval: false }] };
    const arms = buildArms(settings);
    const records: EvalRecord[] = [];
    await runEvaluation(
      { settings, arms, questions: QUESTIONS, done: new Set() },
      { retrieve: fakeRetrieve(), acquire: async (role) => async () => result(role === 'tuned' ? '<ANSWER>: 14 days' : 'no idea'), save: async (r) => void records.push(r) },
    );
    const { comparisons } = summariseRun({ settings, arms, questions: QUESTIONS, records });
    expect(comparisons.map((c) => [c.armId, c.baseArmId, c.label])).toEqual([['tuned@k5+0', 'base@k5+0', 'Fine-tuned − base']]);
    const m = comparisons[0].metrics;
    // EM: q1 1 − 0, q2 0 − 0 (q3 has no reference): +0.5 over 2 questions. Format: 1 − 0 on all three.
    expect([m.em!.mean, m.em!.n]).toEqual([0.5, 2]);
    expect(m.format).toEqual({ mean: 1, low: 1, high: 1, n: 3 });
    expect(m.em!.low!).toBeGreaterThanOrEqual(0);
    expect(m.em!.high!).toBeLessThanOrEqual(1);
    expect(formatDelta(m.em!.mean)).toBe('+50.0 pts');
    expect([formatDelta(-0.125), formatDelta(0), formatDeltaInterval({ mean: 0, low: -0.031, high: 0.12, n: 3 })]).toEqual(['−12.5 pts', '±0.0 pts', '[−3.1, +12.0]']);
  });
});

describe('bootstrap intervals of a metric', () => {
  test('hand cases: constant values give a zero-width interval; nulls are left out; nothing gives nulls', () => {
    expect(summariseValues([1, 1, null, 1], 7, 500)).toEqual({ mean: 1, low: 1, high: 1, n: 3 });
    expect(summariseValues([null, null], 7, 500)).toEqual({ mean: null, low: null, high: null, n: 0 });
  });

  test('seeded: the same seed gives the same interval, which contains the mean', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const a = summariseValues(values, 7, 2000);
    expect(summariseValues(values, 7, 2000)).toEqual(a);
    expect(a.mean).toBeCloseTo(17 / 50, 12);
    expect(a.low!).toBeLessThan(a.mean!);
    expect(a.high!).toBeGreaterThan(a.mean!);
    // Standard error sqrt(.34 × .66 / 50) ≈ 0.067: a 95% interval is about ±0.13.
    expect(a.high! - a.low!).toBeGreaterThan(0.18);
    expect(a.high! - a.low!).toBeLessThan(0.34);
  });

  test('another seed draws other resamples: the interval of continuous values moves', () => {
    const values = Array.from({ length: 40 }, (_, i) => ((i * 37) % 41) / 41);
    const a = summariseValues(values, 7, 1000);
    const b = summariseValues(values, 8, 1000);
    expect(b.mean).toBe(a.mean);
    expect([b.low, b.high]).not.toEqual([a.low, a.high]);
  });
});
