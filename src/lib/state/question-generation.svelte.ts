// The synthetic question job: for each chosen chunk, ask the language model (in the browser, or a remote endpoint)
// for N pairs, show its reply as it streams, save the pairs grounded in the chunk and list the rest as rejected.
// The plan (chunk ids, N, chunks done) is kept in localStorage, so a cancelled or interrupted job can resume.
import type { Generator } from '../clients/generator';
import { MAX_KEPT_REJECTIONS, PER_CHUNK } from '../config/tunables';
import { messageOf } from '../core/errors';
import { DEFAULT_GENERATION } from '../core/generation';
import { syntheticQuestionPrompt } from '../core/questions';
import type { Corpus } from './corpus.svelte';
import type { ModelsState } from './models.svelte';
import { chunksOfArticles, loadChunks } from './question-chunks';
import { ChunkPicker } from './question-picker.svelte';
import { RemoteSettings } from './question-remote.svelte';
import { chunkLabel, judgeOutput, type Rejection } from './question-synthetic';
import type { QuestionsState } from './questions.svelte';
import { safeLocalStorage } from './storage';
import { plural } from '../core/words';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: a stored plan is read back under this key. */
export const GENERATION_PLAN_KEY = 'raft-playground:question-generation:v1';

export type GenerationScope = 'all' | 'articles' | 'chunks';
export type GeneratorKind = 'local' | 'remote';

/** A job: which chunks, how many pairs each, and how far it got. */
export interface GenerationPlan {
  chunkIds: string[];
  perChunk: number;
  done: string[];
  saved: number;
  rejectedCount: number;
  /** The latest rejections, at most MAX_KEPT_REJECTIONS. */
  rejected: Rejection[];
  startedAt: number;
}

interface Deps {
  corpus: Corpus;
  models: ModelsState;
  questions: QuestionsState;
  storage?: Storage | null;
}

export class QuestionGeneration {
  scope = $state<GenerationScope>('all');
  articlePaths = $state.raw<string[]>([]);
  perChunk = $state(2);
  generatorKind = $state<GeneratorKind>('local');
  plan = $state.raw<GenerationPlan | null>(null);
  running = $state(false);
  /** The chunk being worked on: 1-based position in the plan, and where it is. */
  current = $state.raw<{ position: number; where: string } | null>(null);
  /** The model's reply so far, for the chunk in `previewFor`. */
  preview = $state('');
  previewFor = $state('');
  error = $state('');
  notice = $state('');
  readonly picker: ChunkPicker;
  readonly remote = new RemoteSettings();
  readonly #storage: Storage | null;
  #controller: AbortController | null = null;

  constructor(private readonly deps: Deps) {
    this.picker = new ChunkPicker(deps.corpus);
    this.#storage = deps.storage === undefined ? safeLocalStorage() : deps.storage;
    this.plan = readPlan(this.#storage);
  }

  /** A stopped job with chunks left: "Resume generation" continues it. */
  get canResume(): boolean {
    return !this.running && !!this.plan && this.plan.done.length < this.plan.chunkIds.length;
  }

  /** Why the chosen generator cannot run now, or null. */
  get unavailable(): string | null {
    if (this.generatorKind === 'remote') return this.remote.incomplete;
    const slot = this.deps.models.base;
    return slot.loaded && slot.status !== 'loading' ? null : 'No language model is loaded.';
  }

  /** Plans a new job over the chosen chunks (replacing any stopped one) and runs it. */
  async start(): Promise<void> {
    if (this.running) return;
    this.error = '';
    this.notice = '';
    const perChunk = Math.round(Number(this.perChunk));
    if (!(perChunk >= PER_CHUNK.min && perChunk <= PER_CHUNK.max)) return void (this.error = `Ask for ${PER_CHUNK.min} to ${PER_CHUNK.max} pairs per chunk.`);
    let chunkIds: string[];
    try {
      chunkIds = await this.#chosenChunkIds();
    } catch (error) {
      return void (this.error = `Could not read the chunks: ${messageOf(error)}`);
    }
    if (chunkIds.length === 0) return void (this.error = this.scope === 'all' ? 'The corpus has no chunks yet.' : `Choose at least one ${this.scope === 'articles' ? 'article' : 'chunk'}.`);
    this.#setPlan({ chunkIds, perChunk, done: [], saved: 0, rejectedCount: 0, rejected: [], startedAt: Date.now() });
    await this.#run();
  }

  /** Continues the stopped job with the chunks not done yet. */
  async resume(): Promise<void> {
    if (!this.canResume) return;
    this.error = '';
    this.notice = '';
    await this.#run();
  }

  /** Stops the current generation and the job; the plan stays for Resume. */
  cancel(): void {
    this.#controller?.abort();
  }

  /** Forgets the plan and its rejections. */
  discard(): void {
    if (this.running) return;
    this.#setPlan(null);
    this.notice = '';
    this.preview = '';
    this.previewFor = '';
  }

  async #chosenChunkIds(): Promise<string[]> {
    const { client, summary } = this.deps.corpus;
    if (this.scope === 'chunks') return this.picker.pickedIds;
    const paths = this.scope === 'all' ? (summary?.articles.map((a) => a.path) ?? []) : this.articlePaths;
    return (await chunksOfArticles(client, paths)).map((c) => c.id);
  }

  async #run(): Promise<void> {
    const unavailable = this.unavailable;
    if (unavailable) return void (this.error = unavailable);
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    try {
      // 1. The generator chosen now, and the chunks still to do (a chunk gone from the corpus is a rejection).
      const generator: Pick<Generator, 'generate'> = this.generatorKind === 'remote' ? this.remote.generator() : await this.deps.models.acquire('base');
      const start = this.plan!;
      const done = new Set(start.done);
      const remaining = start.chunkIds.filter((id) => !done.has(id));
      const chunks = await loadChunks(this.deps.corpus.client, remaining);
      for (const id of remaining) {
        if (controller.signal.aborted) break;
        const plan = this.plan!;
        const chunk = chunks.get(id);
        this.current = { position: plan.done.length + 1, where: chunk ? chunkLabel(chunk) : id };
        if (!chunk) {
          this.#record(id, [], [{ chunkId: id, where: id, text: '', reason: 'the chunk is no longer in the corpus' }]);
          continue;
        }
        // 2. Stream the reply into the preview; a cancelled chunk is not done and runs again on Resume.
        this.preview = '';
        this.previewFor = this.current.where;
        const result = await generator.generate(syntheticQuestionPrompt(chunk.text, plan.perChunk), DEFAULT_GENERATION, {
          signal: controller.signal,
          onToken: (t) => (this.preview += t.text),
        });
        if (controller.signal.aborted) break;
        this.preview = result.text;
        // 3. Keep the grounded pairs, list the rest.
        const judged = judgeOutput(result.text, chunk, Date.now());
        await this.deps.questions.saveGenerated(judged.pairs);
        this.#record(id, judged.pairs, judged.rejected);
      }
      const plan = this.plan!;
      if (controller.signal.aborted) this.notice = `Cancelled after ${plan.done.length} of ${plan.chunkIds.length} chunks. Resume generation continues with the rest.`;
      else this.notice = `Done: ${plural(plan.chunkIds.length, 'chunk')}, ${plural(plan.saved, 'pair')} saved, ${plan.rejectedCount} rejected.`;
    } catch (error) {
      const at = this.current ? ` at chunk ${this.current.position} (${this.current.where})` : '';
      this.error = `Generation stopped${at}: ${messageOf(error)}`;
    } finally {
      this.running = false;
      this.current = null;
      this.#controller = null;
    }
  }

  #record(chunkId: string, saved: readonly unknown[], rejected: Rejection[]): void {
    const plan = this.plan!;
    this.#setPlan({
      ...plan,
      done: [...plan.done, chunkId],
      saved: plan.saved + saved.length,
      rejectedCount: plan.rejectedCount + rejected.length,
      rejected: [...plan.rejected, ...rejected].slice(-MAX_KEPT_REJECTIONS),
    });
  }

  #setPlan(plan: GenerationPlan | null): void {
    this.plan = plan;
    try {
      if (plan) this.#storage?.setItem(GENERATION_PLAN_KEY, JSON.stringify(plan));
      else this.#storage?.removeItem(GENERATION_PLAN_KEY);
    } catch (error) {
      this.error = `Could not keep the job's plan for Resume (${messageOf(error)}); it goes on in this tab.`;
    }
  }
}

/** The stored plan, or null when there is none or it is not a plan. */
function readPlan(storage: Storage | null): GenerationPlan | null {
  try {
    const plan = JSON.parse(storage?.getItem(GENERATION_PLAN_KEY) ?? 'null') as GenerationPlan | null;
    const valid = plan && Array.isArray(plan.chunkIds) && Array.isArray(plan.done) && Array.isArray(plan.rejected) && typeof plan.perChunk === 'number';
    return valid ? plan : null;
  } catch {
    return null; // a corrupt entry is replaced by the next job
  }
}
