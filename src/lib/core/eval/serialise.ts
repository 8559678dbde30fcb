// A run as files: evaluation.json (settings, manifest, arms, questions, summary, every record),
// a per-question CSV and a summary CSV. The app's downloads and the CLI's --out write these same texts.
import { METRIC_IDS, summariseRun } from './aggregate';
import { orderQuestions } from './plan';
import { csvRows as csv } from '../formats/csv-cell';
import type { EvalRecord, EvalRun, RunSummary } from './types';

export const EVAL_EXPORT_FORMAT = 'raft-playground-evaluation';
export const EVAL_EXPORT_VERSION = 1;

export interface EvalExport {
  format: typeof EVAL_EXPORT_FORMAT;
  version: number;
  run: Omit<EvalRun, 'questions'>;
  questions: EvalRun['questions'];
  summary: RunSummary;
  /** In plan order: arm after arm, questions by pair id. */
  records: EvalRecord[];
}

/** Records in plan order (arm after arm, questions by id); records of other arms or questions are left out. */
export function orderedRecords(run: Pick<EvalRun, 'arms' | 'questions'>, records: Iterable<EvalRecord>): EvalRecord[] {
  const byKey = new Map<string, EvalRecord>();
  for (const r of records) byKey.set(r.key, r);
  const questions = orderQuestions(run.questions);
  return run.arms.flatMap((arm) => questions.flatMap((q) => byKey.get(`${arm.id}|${q.pairId}`) ?? []));
}

export function buildExport(run: EvalRun, records: Iterable<EvalRecord>, summary?: RunSummary): EvalExport {
  const ordered = orderedRecords(run, records);
  const { questions, ...rest } = run;
  return {
    format: EVAL_EXPORT_FORMAT,
    version: EVAL_EXPORT_VERSION,
    run: rest,
    questions: orderQuestions(questions),
    summary: summary ?? summariseRun({ settings: run.settings, arms: run.arms, questions, records: ordered }),
    records: ordered,
  };
}

export function exportJson(data: EvalExport): string {
  return JSON.stringify(data, null, 2) + '\n';
}

/** One row per answer: the question, the reference, the final answer, every per-question figure and, last (it is long), the whole reply. */
export function recordsCsv(data: EvalExport): string {
  const arms = new Map(data.run.arms.map((a) => [a.id, a]));
  const questions = new Map(data.questions.map((q) => [q.pairId, q]));
  const header = ['arm', 'model', 'pair_id', 'question', 'reference', 'final_answer', 'scored_from', 'em', 'f1', 'format_valid', 'quotes', 'quote_fidelity', 'cited_oracle', 'distracted', 'documents', 'oracle_rank', 'article_rank', 'latency_ms', 'tokens', 'tokens_per_s', 'stopped_by', 'judge_remote', 'reply'];
  const rows = data.records.map((r) => {
    const q = questions.get(r.pairId);
    return [
      r.armId,
      arms.get(r.armId)?.label,
      r.pairId,
      q?.question,
      q?.answer,
      r.analysis.finalAnswer,
      r.score.from,
      r.score.em,
      r.score.f1,
      r.analysis.formatValid,
      r.analysis.quotes.length,
      r.analysis.quoteFidelity,
      r.analysis.citedOracle,
      r.analysis.distracted,
      r.documents.length,
      r.retrieval?.oracleRank,
      r.retrieval?.articleRank,
      Math.round(r.reply.totalMs),
      r.reply.tokens,
      Math.round(r.reply.tokensPerSecond * 10) / 10,
      r.reply.stoppedBy,
      r.judge ? (r.judge.correct === null ? 'unclear' : r.judge.correct) : null,
      r.reply.text,
    ];
  });
  return csv([header, ...rows]);
}

/** One row per arm and metric: mean, interval and the number of questions counted. */
export function summaryCsv(data: EvalExport): string {
  const rows: (string | number | null)[][] = [['arm', 'model', 'metric', 'mean', 'ci_low', 'ci_high', 'n']];
  for (const arm of data.summary.arms) {
    for (const id of METRIC_IDS) {
      const m = arm.metrics[id];
      rows.push([arm.armId, arm.label, id, m.mean, m.low, m.high, m.n]);
    }
  }
  for (const c of data.summary.comparisons) {
    for (const [id, m] of Object.entries(c.metrics)) rows.push([`${c.armId}-${c.baseArmId}`, c.label, `delta_${id}`, m.mean, m.low, m.high, m.n]);
  }
  const r = data.summary.retrieval;
  if (r) {
    for (const [id, m] of [['recall_at_k', r.recall_at_k], ['mrr', r.mrr], ['article_recall_at_k', r.article_recall_at_k]] as const) {
      rows.push([`retrieval@k${r.k}`, `retriever (${r.mode})`, id, m.mean, m.low, m.high, m.n]);
    }
  }
  return csv(rows);
}
