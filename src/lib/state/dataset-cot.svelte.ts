// The Dataset page's chain-of-thought job: who writes the reasoning (the template, this tab's language model,
// or an OpenAI-compatible endpoint) with which settings, and the job that writes the current build's tasks
// that have no record yet, saving each record in IndexedDB as it is written. Pause and Cancel stop it (what
// was written stays); Resume, also after a reload, asks only the rest.
import type { Generator } from '../clients/generator';
import { messageOf } from '../core/errors';
import { checkCotSettings, DEFAULT_COT_PROMPT, DEFAULT_COT_SETTINGS, runCotJob, type CotJobProgress } from '../core/raft/cot';
import type { CotGenerate, CotRecord, CotSettings, CotSource } from '../core/raft/cot-types';
import type { DatasetRepo } from '../store/dataset-repo';
import { namedStorageError } from '../store/storage-full';
import { TEMPLATE_COT, writtenCount, type CotJobStatus, type CotRecipe, type DatasetBuild } from './dataset-build';
import { defaultCotSettings, parseCotSettings, saveCotSettings, COT_SETTINGS_KEY } from './dataset-cot-settings';
import { RemoteSettings } from './question-remote.svelte';

/** The tab's language model as the job needs it (ModelsState in the app, a fake in tests). */
export interface CotWriterModels {
  readonly base: { readonly loaded: { label: string } | null; readonly status: string };
  acquire(role: 'base'): Promise<Pick<Generator, 'generate'>>;
}

/** What the job needs of the Dataset page. */
export interface CotHost {
  built(): DatasetBuild | null;
  /** The page's recipe differs from the shown build's. */
  stale(): boolean;
  /** Builds with the page's recipe and this writer (null: it failed, and the page says why). */
  build(cot: CotRecipe): Promise<DatasetBuild | null>;
  repo(): Promise<DatasetRepo>;
  /** Applies the written records to the shown build and keeps it with the job's status. */
  setJob(status: CotJobStatus): Promise<void>;
}

/** The job's figures after each finished task, with the estimated time left. */
export interface CotProgress extends CotJobProgress {
  etaSeconds: number | null;
}

export class DatasetCot {
  source = $state<CotSource>('template');
  minAnswerF1 = $state(DEFAULT_COT_SETTINGS.minAnswerF1);
  attempts = $state(DEFAULT_COT_SETTINGS.attempts);
  maxNewTokens = $state(DEFAULT_COT_SETTINGS.generation.maxNewTokens);
  prompt = $state({ ...DEFAULT_COT_PROMPT });
  /** Requests at once to an endpoint. */
  concurrency = $state(2);
  /** Every written record, by key (also of earlier builds: a rebuild with the same inputs reuses them). */
  records = $state.raw<ReadonlyMap<string, CotRecord>>(new Map());
  running = $state(false);
  progress = $state.raw<CotProgress | null>(null);
  error = $state('');
  notice = $state('');
  readonly remote: RemoteSettings;
  #controller: AbortController | null = null;
  #stopAs: 'paused' | 'cancelled' = 'paused';
  readonly #models: CotWriterModels | undefined;
  readonly #now: () => number;

  constructor(
    private readonly host: CotHost,
    deps: { storage: Storage | null; models?: CotWriterModels; remote?: RemoteSettings; now?: () => number },
  ) {
    this.#models = deps.models;
    this.remote = deps.remote ?? new RemoteSettings(deps.storage);
    this.#now = deps.now ?? Date.now;
    const stored = parseCotSettings(deps.storage?.getItem(COT_SETTINGS_KEY) ?? null);
    this.source = stored.source;
    this.minAnswerF1 = stored.minAnswerF1;
    this.attempts = stored.attempts;
    this.maxNewTokens = stored.maxNewTokens;
    this.prompt = stored.prompt;
    this.concurrency = stored.concurrency;
    $effect.root(() => {
      $effect(() =>
        saveCotSettings(deps.storage, { source: this.source, minAnswerF1: this.minAnswerF1, attempts: this.attempts, maxNewTokens: this.maxNewTokens, prompt: $state.snapshot(this.prompt), concurrency: this.concurrency }),
      );
    });
  }

  get settings(): CotSettings {
    return {
      prompt: $state.snapshot(this.prompt),
      minAnswerF1: Number(this.minAnswerF1),
      attempts: Number(this.attempts),
      generation: { ...DEFAULT_COT_SETTINGS.generation, maxNewTokens: Number(this.maxNewTokens) },
    };
  }

  /** What is wrong with the edited settings, or null. */
  get settingsError(): string | null {
    return this.source === 'template' ? null : checkCotSettings(this.settings);
  }

  get promptEdited(): boolean {
    return this.prompt.system !== DEFAULT_COT_PROMPT.system || this.prompt.user !== DEFAULT_COT_PROMPT.user;
  }

  resetPrompt(): void {
    this.prompt = { ...DEFAULT_COT_PROMPT };
  }

  resetSettings(): void {
    const d = defaultCotSettings();
    this.minAnswerF1 = d.minAnswerF1;
    this.attempts = d.attempts;
    this.maxNewTokens = d.maxNewTokens;
    this.prompt = d.prompt;
  }

  /** The writer's label now: the loaded model's, the endpoint's model name, or, with nothing loaded, the shown build's. */
  get model(): string | null {
    if (this.source === 'template') return null;
    if (this.source === 'endpoint') return this.remote.model.trim() || null;
    const loaded = this.#models?.base.loaded;
    if (loaded && this.#models?.base.status !== 'loading') return loaded.label;
    const built = this.host.built()?.cot;
    return built?.source === 'local' ? built.model : null;
  }

  /** Who writes the reasoning of the next build; the template while no writer is known. */
  recipe(): CotRecipe {
    const model = this.model;
    return this.source === 'template' || !model ? TEMPLATE_COT : { source: this.source, model, settings: this.settings };
  }

  /** Why the job cannot start now, or null. */
  get unavailable(): string | null {
    if (this.source === 'template') return 'Choose a language model or an endpoint to write the reasoning.';
    if (this.source === 'endpoint') return this.remote.incomplete;
    const slot = this.#models?.base;
    if (slot?.loaded && slot.status !== 'loading') return null;
    const was = this.model;
    return was ? `Load ${was} on the Models page to write with it again.` : 'No language model is loaded: load one on the Models page.';
  }

  /** Tasks of the shown build, and how many have a record (model-written, fallen back). */
  get counts(): { tasks: number; done: number; model: number; fellBack: number } {
    const build = this.host.built();
    const tasks = build?.cotTasks ?? [];
    let model = 0;
    let fellBack = 0;
    for (const t of tasks) {
      const r = this.records.get(t.key);
      if (r?.origin === 'model') model++;
      else if (r) fellBack++;
    }
    return { tasks: tasks.length, done: model + fellBack, model, fellBack };
  }

  /** The shown build's reasoning is this writer's, paused with tasks left: Start continues it (Resume). */
  get resumable(): boolean {
    const build = this.host.built();
    if (!build || this.running || build.cot.source === 'template' || build.cotJob === 'cancelled') return false;
    const left = build.cotTasks.length - writtenCount(build.cotTasks, this.records);
    return left > 0 && left < build.cotTasks.length && sameRecipe(build.cot, this.recipe());
  }

  /** Writes the reasoning of the current build's tasks that have none yet (building first when the writer changed). */
  async start(): Promise<void> {
    if (this.running) return;
    this.error = '';
    this.notice = '';
    const problem = this.unavailable ?? this.settingsError;
    if (problem) return void (this.error = problem);
    const recipe = this.recipe();
    const controller = new AbortController();
    this.#controller = controller;
    this.#stopAs = 'paused';
    this.running = true;
    let status: CotJobStatus = 'paused';
    let started = false;
    try {
      // 1. A build whose tasks this writer writes: the shown one, or a new build with the page's recipe.
      let build = this.host.built();
      if (!build || this.host.stale() || !sameRecipe(build.cot, recipe)) build = await this.host.build(recipe);
      if (!build) return;
      const done = new Set(build.cotTasks.filter((t) => this.records.has(t.key)).map((t) => t.key));
      // 2. The writer, then the job; each record is stored before it counts as done.
      const generate = await this.#generator(recipe);
      await this.host.setJob('running');
      started = true;
      const repo = await this.host.repo();
      const startedAt = this.#now();
      const first = done.size;
      this.progress = { done: first, total: build.cotTasks.length, written: 0, fellBack: 0, etaSeconds: null };
      const result = await runCotJob({
        tasks: build.cotTasks,
        templateAnswers: new Map(Object.entries(build.templateAnswers)),
        generate,
        settings: recipe.settings!,
        model: recipe.model!,
        concurrency: recipe.source === 'endpoint' ? this.concurrency : 1,
        done,
        save: async (record) => {
          await repo.putCotRecord(record);
          this.records = new Map(this.records).set(record.key, record);
        },
        signal: controller.signal,
        onProgress: (p) => (this.progress = { ...p, etaSeconds: eta(p, first, this.#now() - startedAt) }),
      });
      status = result.stopped ? this.#stopAs : 'done';
      this.notice = summary(status, this.counts, { asked: result.written + result.fellBack, before: first });
    } catch (error) {
      this.error = `Writing the reasoning stopped: ${messageOf(await namedStorageError(error)).replace(/\.?$/, '.')} What was written is kept; Resume asks only the rest.`;
    } finally {
      this.#controller = null;
      if (started) await this.host.setJob(status);
      this.running = false;
    }
  }

  /** Stops after the replies in flight; Resume continues with the rest. */
  pause(): void {
    this.#stopAs = 'paused';
    this.#controller?.abort();
  }

  /** Stops for good: the reasoning written so far stays in the dataset, the rest keeps the template. */
  cancel(): void {
    this.#stopAs = 'cancelled';
    this.#controller?.abort();
  }

  async #generator(recipe: CotRecipe): Promise<CotGenerate> {
    const settings = recipe.settings!.generation;
    const generator = recipe.source === 'endpoint' ? this.remote.generator() : await this.#models!.acquire('base');
    return async (messages, signal) => (await generator.generate(messages, settings, { signal })).text;
  }
}

/** Same writer, model and settings: its records apply. */
export function sameRecipe(a: CotRecipe, b: CotRecipe): boolean {
  return a.source === b.source && a.model === b.model && JSON.stringify(a.settings) === JSON.stringify(b.settings);
}

function eta(p: CotJobProgress, first: number, elapsedMs: number): number | null {
  const doneNow = p.done - first;
  if (doneNow <= 0 || elapsedMs <= 0) return null;
  return Math.round(((p.total - p.done) * elapsedMs) / doneNow / 1000);
}

function summary(status: CotJobStatus, c: { tasks: number; done: number; model: number; fellBack: number }, run: { asked: number; before: number }): string {
  const counts = `${c.model} written by the model, ${c.fellBack} fell back to the template`;
  const asked = `this run wrote ${run.asked}${run.before ? `; ${run.before} were written before and not asked again` : ''}`;
  if (status === 'done') return `Done: ${c.tasks} examples, ${counts} (${asked}).`;
  if (status === 'cancelled') return `Cancelled after ${c.done} of ${c.tasks} (${counts}; ${asked}); the other examples keep the template answer.`;
  return `Paused after ${c.done} of ${c.tasks} (${counts}; ${asked}). Resume continues with the rest.`;
}
