// The Arena page's state: one question for both models (typed, or a test question whose oracle is known),
// retrieval with the chosen mode, k and distractor stress, the training template, shared generation
// settings, and the newest run's two answers streaming side by side. The form and the last run are kept in
// localStorage; a new question cancels the answers in flight (newest request wins).
import { LANGUAGE_MODEL_ROLES, type LanguageModelRole } from '../config/models';
import { SAVE_WHILE_STREAMING_MS } from '../config/tunables';
import { messageOf, NotReadyError } from '../core/errors';
import { answerQuestion, type GenerateFn } from '../core/inference/answer';
import type { ContextOptions } from '../core/inference/context';
import type { GenerationSettings } from '../core/generation';
import type { PromptTemplate } from '../core/raft/prompt';
import type { QAPair } from '../core/questions/types';
import type { RetrievalMode } from '../core/retrieval/types';
import type { ContextParams, ContextResponse } from '../core/corpus/reports';
import { ARENA_KEY, DEFAULT_FORM, mergeContext, mergeSettings, parseArena, serialiseArena, type ArenaForm, type LinkedPair } from './arena-form';
import { ArenaAnswer, ArenaRun } from './arena-run.svelte';
import type { Corpus } from './corpus.svelte';
import type { DatasetState } from './dataset.svelte';
import type { ModelsState } from './models.svelte';
import { safeLocalStorage } from './storage';

/** What another stage passes to open a question in the arena (then it navigates to `#/arena`). */
export interface ArenaRequest {
  question: string;
  /** A pair of the question set: its oracle chunk is known and marked. */
  pairId?: string;
  mode?: RetrievalMode;
  context?: Partial<ContextOptions>;
}

/** What the arena needs from the rest of the app (fakes in tests). */
export interface ArenaDeps {
  retrieve: (params: ContextParams) => Promise<ContextResponse>;
  listQuestions: () => Promise<QAPair[]>;
  /** The language model of `role`, ready to generate; throws a NotReadyError saying what to load. Asked before each answer. */
  acquire: (role: LanguageModelRole) => Promise<{ generate: GenerateFn }>;
  /** Label of the model loaded in `role`, or null. */
  modelLabel: (role: LanguageModelRole) => string | null;
  /** The prompt template the training examples are built with, and what is wrong with it (null: nothing). */
  template: () => PromptTemplate;
  templateError: () => string | null;
  /** Only one language model may be held at a time: the two answers run one after the other. */
  oneAtATime?: () => boolean;
  storage?: Storage | null;
}

export class ArenaState {
  question = $state('');
  pair = $state.raw<LinkedPair | null>(null);
  mode = $state<RetrievalMode>(DEFAULT_FORM.mode);
  context = $state.raw<ContextOptions>(DEFAULT_FORM.context);
  settings = $state.raw<GenerationSettings>(DEFAULT_FORM.settings);
  /** The newest run (restored from the last visit until a new question is asked). */
  run = $state.raw<ArenaRun | null>(null);
  /** Test-split pairs with an oracle chunk, for "pick a test question". */
  testQuestions = $state.raw<QAPair[]>([]);
  questionsError = $state('');
  #runs = 0;
  readonly #storage: Storage | null;

  constructor(private readonly deps: ArenaDeps) {
    this.#storage = deps.storage === undefined ? safeLocalStorage() : deps.storage;
    const stored = parseArena(this.#storage?.getItem(ARENA_KEY) ?? null);
    this.#apply(stored.form);
    if (stored.last) this.run = ArenaRun.restore(++this.#runs, stored.last);
  }

  get form(): ArenaForm {
    return { question: this.question, pair: this.pair, mode: this.mode, context: this.context, settings: this.settings };
  }

  /** The box holds something other than the linked pair's own question. */
  get edited(): boolean {
    return !!this.pair && this.question.trim() !== this.pair.question.trim();
  }

  setQuestion(question: string): void {
    this.question = question;
    if (!question.trim()) this.pair = null;
    this.save();
  }

  /** Fills the box with a test question (its oracle is then known), or unlinks with null. */
  pick(pairId: string | null): void {
    const pair = pairId ? this.testQuestions.find((p) => p.id === pairId) : undefined;
    this.pair = pair ? { id: pair.id, question: pair.question, answer: pair.answer } : null;
    if (pair) this.question = pair.question;
    this.save();
  }

  setMode(mode: RetrievalMode): void {
    this.mode = mode;
    this.save();
  }

  setContext(change: Partial<ContextOptions>): void {
    this.context = mergeContext(this.context, change);
    this.save();
  }

  setSettings(change: Partial<GenerationSettings>): void {
    this.settings = mergeSettings(this.settings, change);
    this.save();
  }

  /** Opens a question in the arena (from another stage): fills the form; the user asks. */
  show(request: ArenaRequest): void {
    this.question = request.question;
    this.pair = request.pairId ? { id: request.pairId, question: request.question, answer: '' } : null;
    if (request.mode) this.mode = request.mode;
    if (request.context) this.context = mergeContext(this.context, request.context);
    this.save();
    if (request.pairId) void this.#fillPair(request.pairId);
  }

  async #fillPair(id: string): Promise<void> {
    try {
      const pair = (await this.deps.listQuestions()).find((p) => p.id === id);
      if (pair && this.pair?.id === id) this.pair = { id, question: pair.question, answer: pair.answer };
      this.save();
    } catch (error) {
      this.questionsError = `Could not read the question set: ${messageOf(error)}`;
    }
  }

  /** Reads the test split (pairs tied to an oracle chunk) for the picker. */
  async refreshQuestions(): Promise<void> {
    try {
      const pairs = await this.deps.listQuestions();
      this.testQuestions = pairs.filter((p) => p.split === 'test' && p.status === 'ok');
      this.questionsError = '';
    } catch (error) {
      this.questionsError = `Could not read the question set: ${messageOf(error)}`;
    }
  }

  /** Asks both models the question in the box; a run still in flight is stopped first. */
  async ask(): Promise<void> {
    const question = this.question.trim();
    if (!question) return;
    this.run?.stop();
    const run = new ArenaRun(++this.#runs, { ...this.form, question, template: { ...this.deps.template() } });
    this.run = run;
    try {
      // 1. The prompt template must be usable, and a linked pair must still be there with its oracle.
      const templateError = this.deps.templateError();
      if (templateError) throw new NotReadyError(`The prompt template on the Dataset page has a problem: ${templateError}`);
      const linked = await this.#oracleOf(run);
      if (run !== this.run) return;
      // 2. Retrieval, with the distractor stress applied (added distractors never hold the pair's answer or quote).
      const response = await this.deps.retrieve({ question, mode: run.request.mode, options: run.request.context, ...linked });
      if (run !== this.run) return;
      run.documents = response.documents;
      run.retrieval = { searchMs: response.searchMs, embedMs: response.embedMs };
      run.phase = 'answering';
    } catch (error) {
      if (run !== this.run) return;
      run.error = messageOf(error);
      run.phase = 'error';
      this.save();
      return;
    }
    this.save();
    // 3. Both answers: side by side, or one after the other when only one model may be held.
    for (const role of LANGUAGE_MODEL_ROLES) run.answers[role].status = 'waiting';
    if (this.deps.oneAtATime?.()) {
      for (const role of LANGUAGE_MODEL_ROLES) await this.#answer(run, run.answers[role]);
    } else {
      await Promise.all(LANGUAGE_MODEL_ROLES.map((role) => this.#answer(run, run.answers[role])));
    }
    if (run.phase === 'answering') run.phase = 'done';
    if (run === this.run) this.save();
  }

  /** The linked pair's oracle chunk ids, answer and quote; unlinks (with a notice) a pair that is gone or lost its oracle. */
  async #oracleOf(run: ArenaRun): Promise<{ oracleChunkIds: string[]; answer?: string; quote?: string }> {
    const linked = run.request.pair;
    if (!linked) return { oracleChunkIds: [] };
    const pair = (await this.deps.listQuestions()).find((p) => p.id === linked.id);
    if (pair?.status === 'ok' && pair.oracleChunkIds.length > 0) return { oracleChunkIds: pair.oracleChunkIds, answer: pair.answer, ...(pair.quote ? { quote: pair.quote } : {}) };
    run.unlink(
      pair
        ? 'The linked question lost its oracle chunk (the corpus changed): it was asked as a free question. Fix the pair on the Questions page.'
        : 'The linked question is no longer in the question set: it was asked as a free question.',
    );
    if (this.pair?.id === linked.id) this.pair = null;
    return { oracleChunkIds: [] };
  }

  async #answer(run: ArenaRun, answer: ArenaAnswer): Promise<void> {
    if (answer.status !== 'waiting') return; // stopped before its turn
    const signal = answer.begin(run.signal);
    try {
      const generator = await this.deps.acquire(answer.role);
      if (answer.stopped) {
        answer.status = 'stopped';
        return;
      }
      answer.model = this.deps.modelLabel(answer.role);
      answer.status = 'running';
      const started = performance.now();
      let saved = started;
      const result = await answerQuestion(generator.generate.bind(generator), {
        ...run.request,
        documents: run.documents,
        signal,
        onToken: (t) => {
          const now = performance.now();
          answer.firstTokenMs ??= now - started;
          answer.text += t.text;
          answer.tokens = t.tokens;
          // Keep the text so far now and then, so a reload mid-answer shows it (as interrupted).
          if (now - saved > SAVE_WHILE_STREAMING_MS && run === this.run) {
            saved = now;
            this.save();
          }
        },
      });
      answer.text = result.result.text;
      answer.result = result.result;
      answer.tokens = result.result.tokens;
      answer.status = result.result.stoppedBy === 'user' ? 'stopped' : 'done';
    } catch (error) {
      answer.error = messageOf(error);
      answer.status = error instanceof NotReadyError ? 'unavailable' : 'error';
    } finally {
      if (run === this.run) this.save();
    }
  }

  /** Stops one model's answer (its text so far is kept). */
  stop(role: LanguageModelRole): void {
    this.run?.answers[role].stop();
  }

  stopAll(): void {
    this.run?.stop();
  }

  /** Re-asks the same question with another distractor stress (oracle removed or forced, extra distractors). */
  async stress(change: Partial<ContextOptions>): Promise<void> {
    this.setContext(change);
    await this.ask();
  }

  save(): void {
    try {
      this.#storage?.setItem(ARENA_KEY, serialiseArena({ form: this.form, last: this.run?.toStored() ?? null }));
    } catch {
      // Storage full or blocked: the arena still works for this visit.
    }
  }

  #apply(form: ArenaForm): void {
    this.question = form.question;
    this.pair = form.pair;
    this.mode = form.mode;
    this.context = form.context;
    this.settings = form.settings;
  }
}

/** The arena's dependencies in the app: the corpus worker, the two language models, the dataset's template. */
export function appArenaDeps({ corpus, models, dataset, oneAtATime }: { corpus: Corpus; models: ModelsState; dataset: DatasetState; oneAtATime?: () => boolean }): ArenaDeps {
  const opened = async () => {
    if (!(await corpus.open())) throw new Error(`The corpus could not be opened: ${corpus.error || 'reload the page to try again.'}`);
    return corpus.client;
  };
  return {
    retrieve: async (params) => (await opened()).call('retrieveContext', params),
    listQuestions: async () => (await opened()).call('listQuestions', undefined),
    acquire: (role) => models.acquire(role),
    modelLabel: (role) => models.languageModel(role).loaded?.label ?? null,
    template: () => dataset.template,
    templateError: () => dataset.templateError,
    oneAtATime,
  };
}
