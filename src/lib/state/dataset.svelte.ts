// The Dataset page's state: the RAFT recipe (parameters and prompt template), building the examples in
// the corpus worker (newest build wins), per-example figures and summary statistics of the last build,
// the example open in the viewer, and the export files of each format (built on demand, same seed).
import { datasetStats, exampleFigures, type DatasetStats, type ExampleFigures } from '../core/dataset-stats';
import type { DatasetFiles } from '../core/formats/dataset-files';
import type { ExportFormat } from '../core/formats/raft-formats';
import { checkTemplate, DEFAULT_TEMPLATE, type PromptTemplate } from '../core/raft/prompt';
import type { RaftExample, RaftParams } from '../core/raft/types';
import type { Corpus } from './corpus.svelte';
import { ExampleFilters } from './dataset-filters.svelte';
import { LIMITS, parseRecipe, RECIPE_KEY, saveRecipe } from './dataset-recipe';

export { LIMITS };

/** The question pairs the dataset is built from, as the corpus worker holds them. */
export interface QuestionCounts {
  /** Pairs tied to an oracle chunk: one example each. */
  resolved: number;
  /** Pairs without an oracle chunk (unresolved or orphaned): left out of the dataset. */
  unusable: number;
  /** Resolved pairs without a split: they go to train.jsonl. */
  unassigned: number;
  test: number;
}

/** One build: the examples, their figures and statistics, and the recipe they were built with. */
export interface DatasetBuild {
  examples: RaftExample[];
  figures: ExampleFigures[];
  stats: DatasetStats;
  params: RaftParams;
  template: PromptTemplate;
  /** Export files of the formats built so far. */
  files: Partial<Record<ExportFormat, DatasetFiles>>;
}

export class DatasetState {
  params: RaftParams = $state() as RaftParams;
  template: PromptTemplate = $state() as PromptTemplate;
  format: ExportFormat = $state() as ExportFormat;
  questions = $state.raw<QuestionCounts | null>(null);
  questionsError = $state('');
  building = $state(false);
  error = $state('');
  /** The export file being prepared, e.g. 'train.jsonl' (another format needs a rebuild). */
  exporting = $state<string | null>(null);
  exportError = $state('');
  built = $state.raw<DatasetBuild | null>(null);
  /** Index in `built.examples` of the example open in the viewer. */
  selected = $state<number | null>(null);
  readonly filters = new ExampleFilters(() => this.built);
  #buildId = 0;
  #oracleTexts = new Map<string, string>();

  /** `storage` keeps the recipe across reloads (null: not kept, e.g. in tests). */
  constructor(
    private readonly corpus: Corpus,
    storage: Storage | null = safeLocalStorage(),
  ) {
    const stored = parseRecipe(storage?.getItem(RECIPE_KEY) ?? null);
    this.params = stored.params;
    this.template = stored.template;
    this.format = stored.format;
    // Saved on every change; the class lives as long as the app.
    $effect.root(() => {
      $effect(() => saveRecipe(storage, { params: $state.snapshot(this.params), template: $state.snapshot(this.template), format: this.format }));
    });
  }

  /** What is wrong with the edited prompt template, or null. */
  get templateError(): string | null {
    return checkTemplate(this.template);
  }

  /** The recipe changed since the last build (the table and charts show the old one). */
  get stale(): boolean {
    const b = this.built;
    return !!b && (JSON.stringify(b.params) !== JSON.stringify(this.params) || JSON.stringify(b.template) !== JSON.stringify(this.template));
  }

  get templateEdited(): boolean {
    return JSON.stringify(this.template) !== JSON.stringify(DEFAULT_TEMPLATE);
  }

  /** k, clamped to 0..20; a mixed recipe's hard count follows (⌈k/2⌉ by default, never above k). */
  setDistractors(value: number): void {
    if (!Number.isFinite(value)) return;
    const k = clamp(Math.round(value), LIMITS.distractors);
    const followsDefault = this.params.hardCount === Math.ceil(this.params.distractors / 2);
    this.params.distractors = k;
    this.params.hardCount = followsDefault ? Math.ceil(k / 2) : Math.min(this.params.hardCount, k);
  }

  setPOracle(value: number): void {
    if (Number.isFinite(value)) this.params.pOracle = clamp(Math.round(value * 100) / 100, LIMITS.pOracle);
  }

  setHardCount(value: number): void {
    if (Number.isFinite(value)) this.params.hardCount = clamp(Math.round(value), { min: 0, max: this.params.distractors });
  }

  setSeed(value: number): void {
    if (Number.isFinite(value)) this.params.seed = clamp(Math.round(value), LIMITS.seed);
  }

  setContextBudget(value: number): void {
    if (Number.isFinite(value)) this.params.contextBudget = clamp(Math.round(value), LIMITS.contextBudget);
  }

  resetTemplate(): void {
    this.template = { ...DEFAULT_TEMPLATE };
  }

  /** Reads the question pairs' counts from the corpus worker. */
  async refreshQuestions(): Promise<void> {
    if (!(await this.corpus.open())) return;
    try {
      const pairs = await this.corpus.client.call('listQuestions', undefined);
      const resolved = pairs.filter((p) => p.status === 'ok');
      this.questions = {
        resolved: resolved.length,
        unusable: pairs.length - resolved.length,
        unassigned: resolved.filter((p) => p.split === 'unassigned').length,
        test: resolved.filter((p) => p.split === 'test').length,
      };
      this.questionsError = '';
    } catch (error) {
      this.questionsError = `Could not read the questions: ${messageOf(error)}`;
    }
  }

  /** Splits the pairs that have none as the CLI does: a share for test, whole articles together, with the recipe's seed. */
  async assignSplits(testFraction = 0.2): Promise<void> {
    try {
      await this.corpus.client.call('splitQuestions', { testFraction, seed: this.params.seed, byArticle: true });
    } catch (error) {
      this.questionsError = `Could not split the questions: ${messageOf(error)}`;
    }
    await this.refreshQuestions();
  }

  /** Builds the examples with the current recipe; a newer build makes this one's result stale. */
  async build(): Promise<void> {
    const templateError = this.templateError;
    if (templateError) {
      this.error = `Fix the prompt template first: ${templateError}`;
      return;
    }
    const id = ++this.#buildId;
    const params = $state.snapshot(this.params);
    const template = $state.snapshot(this.template);
    const format = this.format;
    this.building = true;
    this.error = '';
    try {
      if (!(await this.corpus.open())) throw new Error(`The corpus is not open. ${this.corpus.error}`);
      // 1. The worker draws distractors and writes the answers and files.
      const result = await this.corpus.client.call('buildDataset', { params, template, format });
      if (id !== this.#buildId) return;
      // 2. Figures and statistics for the table and charts, once per build.
      const figures = result.examples.map((e) => exampleFigures(e, template, params.contextBudget));
      const stats = datasetStats(result.examples, figures, { distractors: params.distractors, budget: params.contextBudget });
      this.#oracleTexts.clear();
      this.selected = null;
      this.exportError = '';
      this.built = { examples: result.examples, figures, stats, params, template, files: { [format]: result.files } };
    } catch (error) {
      if (id === this.#buildId) this.error = `Could not build the dataset: ${messageOf(error)}`;
    } finally {
      if (id === this.#buildId) this.building = false;
    }
    void this.refreshQuestions();
  }

  /** The export files of the last build in `format`; another format is rebuilt with the same recipe and seed. */
  async filesFor(format: ExportFormat): Promise<DatasetFiles> {
    const build = this.built;
    if (!build) throw new Error('Build the dataset first.');
    const cached = build.files[format];
    if (cached) return cached;
    const result = await this.corpus.client.call('buildDataset', { params: build.params, template: build.template, format });
    // NOTE: same recipe and seed give the same examples, unless the corpus or the questions changed meanwhile.
    if (result.examples.map((e) => e.id).join() !== build.examples.map((e) => e.id).join()) {
      throw new Error('The corpus or the questions changed since the build: build the dataset again before exporting.');
    }
    if (this.built === build) this.built = { ...build, files: { ...build.files, [format]: result.files } };
    return result.files;
  }

  /** Prepares one export file of the chosen format; reports a failure in `exportError`. */
  async exportFile(name: keyof DatasetFiles): Promise<string | null> {
    this.exporting = name;
    this.exportError = '';
    try {
      return (await this.filesFor(this.format))[name];
    } catch (error) {
      this.exportError = `Could not export ${name}: ${messageOf(error)}`;
      return null;
    } finally {
      this.exporting = null;
    }
  }

  /** Looks up the oracle chunks' texts, also of an oracle left out of the example (the gorilla format's `oracle_context`). */
  async oracleTexts(example: RaftExample): Promise<(chunkId: string) => string> {
    const texts = new Map<string, string>();
    for (const chunkId of example.oracleChunkIds) {
      const shown = example.documents.find((d) => d.chunkId === chunkId);
      texts.set(chunkId, shown ? shown.text : await this.#chunkText(chunkId));
    }
    return (chunkId) => texts.get(chunkId) ?? '';
  }

  async #chunkText(chunkId: string): Promise<string> {
    const known = this.#oracleTexts.get(chunkId);
    if (known !== undefined) return known;
    const [path] = await this.corpus.client.call('chunkArticles', { ids: [chunkId] });
    const chunk = path ? (await this.corpus.chunksOf(path)).find((c) => c.id === chunkId) : undefined;
    const text = chunk?.text ?? '';
    this.#oracleTexts.set(chunkId, text);
    return text;
  }

  open(index: number | null): void {
    this.selected = index;
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled for this site
  }
}

function clamp(value: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, value));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
