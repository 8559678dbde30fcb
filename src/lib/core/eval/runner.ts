// The evaluation loop, pure logic over injected functions: retrieve the documents, acquire the model,
// answer through the shared answer step, score, optionally judge, save. The app (corpus worker,
// model workers, IndexedDB) and the CLI (in-process corpus and models, files) run this same loop, so
// the same inputs, settings and seed give the same numbers in both.
import { answerQuestion, type GenerateFn } from '../inference/answer';
import { judgeAnswer } from './judge';
import { buildPlan, type PlanItem } from './plan';
import { retrievalOutcome, scoreAnswer } from './score';
import type { Arm, EvalQuestion, EvalRecord, EvalRole, EvalSettings, RetrieveParams, RetrievedContext } from './types';

export interface RunnerDeps {
  /** The documents for one question (the corpus worker's `retrieveContext`). */
  retrieve(params: RetrieveParams): Promise<RetrievedContext>;
  /** The model of `role`, acquired for one answer only: never kept across questions. */
  acquire(role: EvalRole): Promise<GenerateFn>;
  /** The remote judge, when the run asks for one. */
  judge?: GenerateFn;
  /** Persists one record; the loop waits for it, so a reload never loses a saved answer. */
  save(record: EvalRecord): Promise<void>;
  onProgress?(progress: RunProgress): void;
  /** Streamed text of the answer being written. */
  onToken?(text: string): void;
  /** Aborting stops at once; the answer being written is dropped (it is asked again on resume). */
  signal?: AbortSignal;
}

export interface RunProgress {
  done: number;
  total: number;
  /** The item just finished, or the one starting (record null). */
  item: PlanItem;
  record: EvalRecord | null;
}

export interface RunInput {
  settings: EvalSettings;
  arms: Arm[];
  questions: EvalQuestion[];
  /** Keys of the records already saved: not asked again. */
  done: ReadonlySet<string>;
}

export interface RunOutcome {
  /** Records written by this call. */
  written: number;
  /** Every planned answer has a record. */
  complete: boolean;
}

/** Answers every planned item without a record, in plan order; resolves early (complete false) when aborted. */
export async function runEvaluation(input: RunInput, deps: RunnerDeps): Promise<RunOutcome> {
  const plan = buildPlan(input.arms, input.questions);
  const done = new Set(input.done);
  const cache = new Map<string, RetrievedContext>();
  let written = 0;
  const total = plan.length;
  for (const item of plan) {
    if (done.has(item.key)) continue;
    if (deps.signal?.aborted) return { written, complete: false };
    deps.onProgress?.({ done: done.size, total, item, record: null });
    const record = await answerItem(item, input.settings, deps, cache);
    if (!record) return { written, complete: false };
    await deps.save(record);
    done.add(item.key);
    written++;
    deps.onProgress?.({ done: done.size, total, item, record });
  }
  return { written, complete: plan.every((item) => done.has(item.key)) };
}

/** One answer; null when the run was aborted meanwhile (a partial answer is never scored). */
export async function answerItem(item: PlanItem, settings: EvalSettings, deps: RunnerDeps, cache = new Map<string, RetrievedContext>()): Promise<EvalRecord | null> {
  const { arm, question } = item;
  // 1. Documents: shared by every model at the same distractor count, so retrieved once per question.
  let context: RetrievedContext | null = null;
  if (arm.retrieval) {
    const cacheKey = `${question.pairId}|${arm.k}|${arm.extraDistractors}`;
    context = cache.get(cacheKey) ?? null;
    if (!context) {
      context = await deps.retrieve({
        question: question.question,
        mode: settings.mode,
        options: { k: arm.k, oracle: settings.oracle, extraDistractors: arm.extraDistractors },
        oracleChunkIds: question.oracleChunkIds,
        answer: question.answer,
      });
      cache.set(cacheKey, context);
    }
  }
  const documents = context?.documents ?? [];
  // 2. The model, for this answer only.
  const generate = await deps.acquire(arm.role);
  if (deps.signal?.aborted) return null;
  // 3. The shared answer step: the training template, generation, analysis of quotes and format.
  const answer = await answerQuestion(generate, {
    question: question.question,
    documents,
    template: settings.template,
    settings: settings.generation,
    signal: deps.signal,
    onToken: deps.onToken ? (t) => deps.onToken!(t.text) : undefined,
  });
  if (deps.signal?.aborted) return null;
  const score = scoreAnswer(answer.result.text, answer.analysis, question.answer, settings.missingAnswer);
  // 4. The judge, when asked for: a failure stops the run (the answer is asked again on resume).
  const judge = settings.judge && deps.judge && question.answer.trim() ? await judgeAnswer(deps.judge, { question: question.question, reference: question.answer, answer: score.scored }, deps.signal) : null;
  if (deps.signal?.aborted) return null;
  return {
    key: item.key,
    armId: arm.id,
    pairId: question.pairId,
    documents: documents.map(({ text: _text, ...doc }) => doc),
    retrieval: context ? retrievalOutcome(question, context) : null,
    reply: answer.result,
    analysis: answer.analysis,
    score,
    judge,
  };
}
