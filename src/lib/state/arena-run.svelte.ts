// One question asked in the arena: the documents retrieved for it, the prompt both models get, and each
// model's answer as it streams in, analysed as it grows (quotes, their documents, the final answer, the verdict).
import type { LanguageModelRole } from '../config/models';
import { analyseReply, answerMessages } from '../core/inference/answer';
import type { ContextDocument } from '../core/inference/context';
import type { ChatMessage, GenerationResult } from '../core/generation';
import { answerVerdict, type AnswerAnalysis, type Verdict } from '../core/metrics/citations';
import type { AnswerStatus, LinkedPair, StoredAnswer, StoredRun } from './arena-form';

export type RunPhase = 'retrieving' | 'answering' | 'done' | 'error';

/** One model's answer to the run's question. */
export class ArenaAnswer {
  status = $state<AnswerStatus>('idle');
  text = $state('');
  /** Tokens streamed so far. */
  tokens = $state(0);
  /** Milliseconds from the request to the first token, while streaming (the result has the worker's figure). */
  firstTokenMs = $state<number | null>(null);
  result = $state.raw<GenerationResult | null>(null);
  error = $state('');
  model = $state<string | null>(null);
  /** What the answer so far did with the documents. */
  readonly analysis: AnswerAnalysis;
  readonly verdict: Verdict;
  #controller: AbortController | null = null;

  constructor(
    readonly role: LanguageModelRole,
    run: ArenaRun,
  ) {
    this.analysis = $derived(analyseReply(this.text, run.documents));
    this.verdict = $derived(
      answerVerdict(this.analysis, {
        oracleKnown: run.oracleKnown,
        oracle: run.documents.map((d) => d.role === 'oracle'),
        answerBearing: run.documents.map((d) => !!d.answerBearing),
        empty: this.text.trim() === '',
      }),
    );
  }

  get active(): boolean {
    return this.status === 'waiting' || this.status === 'running';
  }

  /** The signal that stops this answer; a new one for each attempt. */
  begin(parent: AbortSignal): AbortSignal {
    const controller = new AbortController();
    this.#controller = controller;
    if (parent.aborted) controller.abort();
    else parent.addEventListener('abort', () => controller.abort(), { once: true });
    return controller.signal;
  }

  get stopped(): boolean {
    return this.#controller?.signal.aborted ?? false;
  }

  /** Stops streaming (the partial answer is kept), or cancels an answer still waiting for its turn. */
  stop(): void {
    this.#controller?.abort();
    if (this.status === 'waiting') this.status = 'stopped';
  }

  restore(stored: StoredAnswer): void {
    this.status = stored.status;
    this.text = stored.text;
    this.result = stored.result;
    this.tokens = stored.result?.tokens ?? 0;
    this.error = stored.error;
    this.model = stored.model;
  }

  toStored(): StoredAnswer {
    return { status: this.status, text: this.text, result: this.result, error: this.error, model: this.model };
  }
}

export class ArenaRun {
  phase = $state<RunPhase>('retrieving');
  documents = $state.raw<ContextDocument[]>([]);
  retrieval = $state.raw<StoredRun['retrieval']>(null);
  /** Why the run could not retrieve (shown instead of the answers). */
  error = $state('');
  /** Something the user should know about how the question was asked (e.g. its pair was deleted). */
  notice = $state('');
  /** The question-set pair the question was asked as (null: a free question). */
  pair = $state.raw<LinkedPair | null>(null);
  readonly answers: Record<LanguageModelRole, ArenaAnswer>;
  /** The chat both models get: exactly the training template's layout. */
  readonly messages: ChatMessage[];
  readonly #controller = new AbortController();

  constructor(
    readonly id: number,
    /** The question, pair, retrieval, stress and settings as they were when asked. */
    readonly request: Omit<StoredRun, 'documents' | 'retrieval' | 'answers'>,
  ) {
    this.messages = $derived(answerMessages(request.template, this.documents, request.question));
    this.answers = { base: new ArenaAnswer('base', this), tuned: new ArenaAnswer('tuned', this) };
    this.pair = request.pair;
  }

  /** The question comes from the question set, so its oracle is known (and marked when shown). */
  get oracleKnown(): boolean {
    return this.pair !== null;
  }

  /** The pair could not be used: the question is asked as a free one, and the user is told why. */
  unlink(notice: string): void {
    this.pair = null;
    this.notice = notice;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get active(): boolean {
    return this.phase === 'retrieving' || this.answers.base.active || this.answers.tuned.active;
  }

  /** Stops both answers (and any still waiting): the newest question replaces this run. */
  stop(): void {
    this.#controller.abort();
    this.answers.base.stop();
    this.answers.tuned.stop();
  }

  static restore(id: number, stored: StoredRun): ArenaRun {
    const { documents, retrieval, answers, ...request } = stored;
    const run = new ArenaRun(id, request);
    run.documents = documents;
    run.retrieval = retrieval;
    run.answers.base.restore(answers.base);
    run.answers.tuned.restore(answers.tuned);
    run.phase = 'done';
    return run;
  }

  toStored(): StoredRun {
    return { ...this.request, pair: this.pair, documents: this.documents, retrieval: this.retrieval, answers: { base: this.answers.base.toStored(), tuned: this.answers.tuned.toStored() } };
  }
}
