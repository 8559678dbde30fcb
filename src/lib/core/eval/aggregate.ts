// Per-arm aggregates of the per-question records: each metric's mean over the questions it applies to,
// with a seeded bootstrap interval, and the retriever's recall@k and MRR. Records are taken in the
// canonical question order, so the same records give the same intervals in the app and the CLI.
import { bootstrapMean } from '../metrics/bootstrap';
import { reciprocalRank } from '../metrics/retrieval';
import { orderQuestions } from './plan';
import type { Arm, ArmComparison, ArmSummary, EvalQuestion, EvalRecord, EvalSettings, MetricId, MetricSummary, RetrievalSummary, RunSummary } from './types';

/** share: 0..1 shown as a percentage; score: 0..1 shown as a decimal (MRR); ms; rate: tokens/s. */
export type MetricKind = 'share' | 'score' | 'ms' | 'rate';

export interface MetricInfo {
  label: string;
  kind: MetricKind;
  /** Higher is better (false for the distracted rate and latency). */
  higherIsBetter: boolean;
  /** What it measures and over which questions. */
  description: string;
}

export const METRICS: Record<MetricId, MetricInfo> = {
  em: { label: 'Exact match', kind: 'share', higherIsBetter: true, description: 'Final answer equals the reference after SQuAD normalisation; questions with a reference answer.' },
  f1: { label: 'Token F1', kind: 'share', higherIsBetter: true, description: 'Word overlap of the final answer with the reference (SQuAD F1); questions with a reference answer.' },
  citation: { label: 'Citation accuracy', kind: 'share', higherIsBetter: true, description: 'A quote comes verbatim from the oracle chunk; questions whose oracle was among the documents.' },
  fidelity: { label: 'Quote fidelity', kind: 'share', higherIsBetter: true, description: 'Share of quotes that are verbatim in a provided document (mean per answer); answers with quotes.' },
  distracted: { label: 'Distracted rate', kind: 'share', higherIsBetter: false, description: 'Every verbatim quote comes from a distractor, none from the oracle; answers given documents.' },
  format: { label: 'Format valid', kind: 'share', higherIsBetter: true, description: 'The reply ends with an <ANSWER>: line; every answer.' },
  judge: { label: 'Judge (remote)', kind: 'share', higherIsBetter: true, description: 'The remote LLM judge called the answer correct; answers it graded. Not reproducible like the other metrics.' },
  latency: { label: 'Latency', kind: 'ms', higherIsBetter: false, description: 'Generation time per answer, first token included (retrieval excluded).' },
  tps: { label: 'Tokens/s', kind: 'rate', higherIsBetter: true, description: 'Decoding speed after the first token.' },
};

export const METRIC_IDS = Object.keys(METRICS) as MetricId[];
/** The answer-quality metrics, in the order tables and bar charts show them. */
export const QUALITY_METRICS: MetricId[] = ['em', 'f1', 'citation', 'fidelity', 'distracted', 'format', 'judge'];

/** One record's value for a metric, or null when the metric does not apply to it. */
export function metricValue(record: EvalRecord, metric: MetricId): number | null {
  const { analysis, score, reply } = record;
  switch (metric) {
    case 'em':
      return score.em;
    case 'f1':
      return score.f1;
    case 'citation':
      return analysis.citedOracle === null ? null : Number(analysis.citedOracle);
    case 'fidelity':
      return analysis.quoteFidelity;
    case 'distracted':
      return record.documents.length ? Number(analysis.distracted) : null;
    case 'format':
      return Number(analysis.formatValid);
    case 'judge':
      return record.judge?.correct == null ? null : Number(record.judge.correct);
    case 'latency':
      return reply.totalMs;
    case 'tps':
      return reply.tokens > 0 ? reply.tokensPerSecond : null;
  }
}

/** Mean and seeded percentile-bootstrap interval of the values that apply (nulls left out). */
export function summariseValues(values: (number | null)[], seed: number, resamples: number): MetricSummary {
  const counted = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (counted.length === 0) return { mean: null, low: null, high: null, n: 0 };
  const { mean, low, high } = bootstrapMean(counted, seed, resamples);
  return { mean, low, high, n: counted.length };
}

export interface RunData {
  settings: Pick<EvalSettings, 'seed' | 'resamples' | 'mode'>;
  arms: Arm[];
  questions: EvalQuestion[];
  records: Iterable<EvalRecord>;
}

/** Each arm's records in canonical question order (questions without a record yet are skipped). */
export function recordsByArm(data: RunData): Map<string, EvalRecord[]> {
  const byKey = new Map<string, EvalRecord>();
  for (const record of data.records) byKey.set(record.key, record);
  const ordered = orderQuestions(data.questions);
  return new Map(data.arms.map((arm) => [arm.id, ordered.flatMap((q) => byKey.get(`${arm.id}|${q.pairId}`) ?? [])]));
}

export function summariseRun(data: RunData): RunSummary {
  const { seed, resamples } = data.settings;
  const byArm = recordsByArm(data);
  const arms = data.arms.map((arm): ArmSummary => {
    const records = byArm.get(arm.id) ?? [];
    const metrics = Object.fromEntries(METRIC_IDS.map((m) => [m, summariseValues(records.map((r) => metricValue(r, m)), seed, resamples)])) as Record<MetricId, MetricSummary>;
    const distractors = records.map((r) => r.documents.filter((d) => d.role === 'distractor').length);
    return {
      armId: arm.id,
      label: arm.label,
      role: arm.role,
      retrieval: arm.retrieval,
      extraDistractors: arm.extraDistractors,
      answered: records.length,
      meanDistractors: distractors.length ? distractors.reduce((s, d) => s + d, 0) / distractors.length : 0,
      metrics,
    };
  });
  const first = data.arms.find((a) => a.retrieval);
  return { arms, retrieval: first ? summariseRetrieval(byArm.get(first.id) ?? [], first.k, data) : null, comparisons: compareArms(data.arms, byArm, seed, resamples) };
}

/**
 * Each fine-tuned arm against the base arm with the same retrieval and distractors: the per-question
 * difference of each quality metric, over the questions where both have a value (a paired bootstrap, so
 * question difficulty cancels out and the interval is narrower than the two arms' intervals suggest).
 */
function compareArms(arms: Arm[], byArm: Map<string, EvalRecord[]>, seed: number, resamples: number): ArmComparison[] {
  const out: ArmComparison[] = [];
  for (const tuned of arms.filter((a) => a.role === 'tuned')) {
    const base = arms.find((a) => a.role === 'base' && a.retrieval === tuned.retrieval && a.k === tuned.k && a.extraDistractors === tuned.extraDistractors);
    if (!base) continue;
    const baseRecords = new Map((byArm.get(base.id) ?? []).map((r) => [r.pairId, r]));
    const pairs = (byArm.get(tuned.id) ?? []).flatMap((r) => (baseRecords.has(r.pairId) ? [[r, baseRecords.get(r.pairId)!] as const] : []));
    const metrics: ArmComparison['metrics'] = {};
    for (const m of QUALITY_METRICS) {
      const diffs = pairs.map(([t, b]) => {
        const [x, y] = [metricValue(t, m), metricValue(b, m)];
        return x === null || y === null ? null : x - y;
      });
      metrics[m] = summariseValues(diffs, seed, resamples);
    }
    const where = tuned.label.replace(/^Fine-tuned model/, '').replace(/^, /, '');
    out.push({ armId: tuned.id, baseArmId: base.id, label: `Fine-tuned − base${where ? ` (${where})` : ''}`, metrics });
  }
  return out;
}

/** recall@k and MRR of the oracle chunk, and recall@k of its article, from the records' rankings. */
function summariseRetrieval(records: EvalRecord[], k: number, data: RunData): RetrievalSummary | null {
  const ranked = records.filter((r) => r.retrieval !== null);
  if (ranked.length === 0) return null;
  const oracles = new Map(data.questions.map((q) => [q.pairId, new Set(q.oracleChunkIds)]));
  const { seed, resamples, mode } = data.settings;
  const rr = ranked.map((r) => reciprocalRank(r.retrieval!.ranking, oracles.get(r.pairId) ?? new Set(), k));
  return {
    n: ranked.length,
    k,
    mode,
    recall_at_k: summariseValues(rr.map((v) => (v > 0 ? 1 : 0)), seed, resamples),
    mrr: summariseValues(rr, seed, resamples),
    article_recall_at_k: summariseValues(ranked.map((r) => (r.retrieval!.articleRank !== null && r.retrieval!.articleRank <= k ? 1 : 0)), seed, resamples),
  };
}

export interface SweepPoint {
  armId: string;
  /** Extra distractors added beyond the k retrieved (the "+N" in the arm's label): the x of the plot. */
  x: number;
  /** Mean distractor documents in the context (retrieved non-oracle ones included), for the tooltip. */
  meanDistractors: number;
  extraDistractors: number;
  value: MetricSummary;
}

export interface SweepSeries {
  /** The system: `base` or `tuned` (with retrieval). */
  role: ArmSummary['role'];
  label: string;
  points: SweepPoint[];
}

/** A metric against the number of distractors, one series per model with retrieval (arms with answers only). */
export function sweepSeries(summary: RunSummary, metric: MetricId): SweepSeries[] {
  const series: SweepSeries[] = [];
  for (const arm of summary.arms) {
    if (!arm.retrieval || arm.answered === 0) continue;
    let s = series.find((x) => x.role === arm.role);
    if (!s) series.push((s = { role: arm.role, label: arm.label.replace(/, \+\d+ distractors$/, ''), points: [] }));
    s.points.push({ armId: arm.armId, x: arm.extraDistractors, meanDistractors: arm.meanDistractors, extraDistractors: arm.extraDistractors, value: arm.metrics[metric] });
  }
  for (const s of series) s.points.sort((a, b) => a.extraDistractors - b.extraDistractors);
  return series;
}
