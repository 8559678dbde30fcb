// The Dataset page's state: the RAFT recipe (parameters and prompt template, in DatasetRecipeState), building the examples in
// the corpus worker (newest build wins), the example open in the viewer, and the export files of each
// format (built on demand, same seed). The last build is kept in IndexedDB (dataset-store.ts): a reload
// restores it, and it is rebuilt only when the user asks or when the corpus or the questions changed.
// Its chain-of-thought job lives in dataset-cot.svelte.ts.
import { messageOf } from '../core/errors';
import type { DatasetFiles } from '../core/formats/dataset-files';
import type { ExportFormat } from '../core/formats/raft-formats';
import type { RaftExample } from '../core/raft/types';
import type { DatasetDatabase } from '../store/dataset-db';
import type { DatasetRepo } from '../store/dataset-repo';
import { namedStorageError } from '../store/storage-full';
import type { Corpus } from './corpus.svelte';
import { cotParam, makeBuild, recipeOf, restoreBuild, toStored, withRecords, type BuildRecipe, type CotJobStatus, type CotRecipe, type DatasetBuild } from './dataset-build';
import { DatasetCot, type CotHost, type CotWriterModels } from './dataset-cot.svelte';
import { ExampleFilters } from './dataset-filters.svelte';
import { DatasetRecipeState } from './dataset-recipe-state.svelte';
import { DatasetStore, inputsChange, OracleTexts } from './dataset-store';
import type { RemoteSettings } from './question-remote.svelte';
import { safeLocalStorage } from './storage';

export type { DatasetBuild };

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

/** What the page needs of the corpus (tests pass the CLI's in-process corpus). */
export type DatasetCorpus = Pick<Corpus, 'open' | 'client' | 'error' | 'chunksOf'>;

export interface DatasetDeps {
  /** The dataset database; default the browser's (tests pass fake-indexeddb's). */
  openDb?: () => Promise<DatasetDatabase>;
  /** The tab's language model, for the chain-of-thought. */
  models?: CotWriterModels;
  /** The OpenAI-compatible endpoint's settings (shared with the Questions page). */
  remote?: RemoteSettings;
  now?: () => number;
}

export class DatasetState extends DatasetRecipeState {
  questions = $state.raw<QuestionCounts | null>(null);
  questionsError = $state('');
  building = $state(false);
  error = $state('');
  /** The export file being prepared, e.g. 'train.jsonl' (another format needs a rebuild). */
  exporting = $state<string | null>(null);
  exportError = $state('');
  built = $state.raw<DatasetBuild | null>(null);
  /** Why the shown build was rebuilt without the user asking ("The questions changed since the last build (…): rebuilt."). */
  notice = $state('');
  /** The build could not be kept (or read back) across reloads; the page works on without it. */
  storeError = $state('');
  /** Index in `built.examples` of the example open in the viewer. */
  selected = $state<number | null>(null);
  readonly filters = new ExampleFilters(() => this.built);
  readonly cot: DatasetCot;
  #buildId = 0;
  readonly #oracleTexts: OracleTexts;
  readonly #store: DatasetStore;
  readonly #now: () => number;
  #restored: Promise<void> | null = null;

  /** `storage` keeps the recipe and the chain-of-thought settings across reloads (null: not kept, e.g. in tests). */
  constructor(
    private readonly corpus: DatasetCorpus,
    storage: Storage | null = safeLocalStorage(),
    deps: DatasetDeps = {},
  ) {
    super(storage);
    this.#oracleTexts = new OracleTexts(corpus);
    this.#store = new DatasetStore(deps.openDb, (message) => (this.storeError = message));
    this.#now = deps.now ?? Date.now;
    this.cot = new DatasetCot(this.#host(), { storage, models: deps.models, remote: deps.remote, now: this.#now });
  }

  /** The recipe changed since the last build (the table and charts show the old one). */
  get stale(): boolean {
    const b = this.built;
    return !!b && (JSON.stringify(b.params) !== JSON.stringify(this.params) || JSON.stringify(b.template) !== JSON.stringify(this.template));
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

  /** Builds the examples with the current recipe (the user asked); a newer build makes this one's result stale. */
  async build(): Promise<void> {
    if (this.cot.running) return void (this.error = 'Pause or cancel the reasoning being written first: a new build changes its tasks.');
    await this.#buildWith(this.cot.recipe());
  }

  /** Reads the last build back from IndexedDB (once), then rebuilds it if its inputs changed since. */
  restore(): Promise<void> {
    this.#restored ??= this.#restore();
    return this.#restored;
  }

  /** Rebuilds the shown build with its own recipe when the corpus or the questions changed since, and says why. */
  async checkInputs(): Promise<void> {
    const build = this.built;
    if (!build?.inputs || this.building || this.cot.running || !(await this.corpus.open())) return;
    let now;
    try {
      now = await this.corpus.client.call('datasetInputs', undefined);
    } catch {
      return; // the next visit checks again; the build shown is still the user's last
    }
    const reason = this.built === build ? inputsChange(build.inputs, now) : null;
    if (reason) await this.#run(recipeOf(build), `${reason}: rebuilt.`);
  }

  async #restore(): Promise<void> {
    try {
      const repo = await this.#store.repo();
      const [stored, records] = await Promise.all([repo.lastBuild(), repo.cotRecords()]);
      this.cot.records = records;
      if (stored && !this.built) this.built = restoreBuild(stored, records);
    } catch (error) {
      this.storeError = `Could not read the last build back: ${messageOf(error)}`;
      return;
    }
    await this.checkInputs();
  }

  async #buildWith(cot: CotRecipe): Promise<DatasetBuild | null> {
    const templateError = this.templateError;
    if (templateError) {
      this.error = `Fix the prompt template first: ${templateError}`;
      return null;
    }
    return this.#run({ params: $state.snapshot(this.params), template: $state.snapshot(this.template), format: this.format, cot }, '');
  }

  async #run(recipe: BuildRecipe, notice: string): Promise<DatasetBuild | null> {
    const id = ++this.#buildId;
    this.building = true;
    this.error = '';
    try {
      if (!(await this.corpus.open())) throw new Error(`The corpus is not open. ${this.corpus.error}`);
      // 1. What the build reads, then the worker draws distractors and writes the answers and files.
      const inputs = await this.corpus.client.call('datasetInputs', undefined);
      const records = this.cot.records;
      const result = await this.corpus.client.call('buildDataset', { params: recipe.params, template: recipe.template, format: recipe.format, cot: cotParam(recipe.cot, records) });
      if (id !== this.#buildId) return null;
      // 2. Figures and statistics for the table and charts, once per build; then kept for the next visit.
      const build = makeBuild(recipe, result, records, inputs, this.#now());
      this.#oracleTexts.clear();
      this.selected = null;
      this.exportError = '';
      this.notice = notice;
      this.built = build;
      await this.#save(build);
      return build;
    } catch (error) {
      if (id === this.#buildId) this.error = `Could not build the dataset: ${messageOf(error)}`;
      return null;
    } finally {
      if (id === this.#buildId) this.building = false;
      void this.refreshQuestions();
    }
  }

  async #save(build: DatasetBuild): Promise<void> {
    try {
      await (await this.#store.repo()).putBuild(toStored(build));
    } catch (error) {
      this.storeError = `The dataset could not be kept for the next visit (${messageOf(await namedStorageError(error))}); it stays until this page is closed.`;
    }
  }

  /** What the chain-of-thought job needs of the page: its build, building with a writer, the job's status. */
  #host(): CotHost {
    return {
      built: () => this.built,
      stale: () => this.stale,
      build: (cot) => this.#buildWith(cot),
      repo: (): Promise<DatasetRepo> => this.#store.repo(),
      setJob: async (status: CotJobStatus) => {
        const build = this.built;
        if (!build) return;
        // The written records are applied to the shown examples; the export files are built again with them.
        const next = { ...withRecords(build, this.cot.records), cotJob: status };
        this.built = next;
        await this.#save(next);
      },
    };
  }

  /** The export files of the last build in `format`, with its written reasoning; another format is rebuilt with the same recipe and seed. */
  async filesFor(format: ExportFormat): Promise<DatasetFiles> {
    let build = this.built;
    if (!build) throw new Error('Build the dataset first.');
    const records = this.cot.records;
    build = withRecords(build, records);
    const cached = build.files[format];
    if (cached) return cached;
    if (!(await this.corpus.open())) throw new Error(`The corpus is not open. ${this.corpus.error}`);
    const result = await this.corpus.client.call('buildDataset', { params: build.params, template: build.template, format, cot: cotParam(build.cot, records) });
    // NOTE: same recipe and seed give the same examples, unless the corpus or the questions changed meanwhile.
    if (result.examples.map((e) => e.id).join() !== build.examples.map((e) => e.id).join()) {
      throw new Error('The corpus or the questions changed since the build: build the dataset again before exporting.');
    }
    if (this.built?.builtAt === build.builtAt) {
      const next = { ...build, files: { ...build.files, [format]: result.files } };
      this.built = next;
      void this.#save(next);
    }
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
  oracleTexts(example: RaftExample): Promise<(chunkId: string) => string> {
    return this.#oracleTexts.of(example);
  }

  open(index: number | null): void {
    this.selected = index;
  }
}
