// The Questions stage's state: the question pairs kept by the corpus worker (in IndexedDB), the list's filter and
// counts, imports and their reports, writing, editing, fixing and deleting pairs, and the train/test split.
import { TEST_FRACTION_MAX } from '../config/tunables';
import { failureMessage, messageOf } from '../core/errors';
import { splitCounts, type QAPair } from '../core/questions';
import type { ImportQuestionsReport } from '../core/corpus/reports';
import type { Corpus } from './corpus.svelte';
import { OracleRefs } from './oracle-refs.svelte';
import { PairDraft } from './question-draft.svelte';
import { filterPairs, NO_FILTER, statusCounts, tagsOf, type PairFilter } from './question-filter';
import { SAMPLE_WIKI_BASE } from './sample-wiki';

/** The sample wiki's questions, served beside its articles. */
export const SAMPLE_QUESTIONS_URL = `${SAMPLE_WIKI_BASE}questions.jsonl`;

export type QuestionsTask = 'loading' | 'importing' | 'saving' | 'deleting' | 'splitting';

/** The last import: which file, and what the worker made of it. */
export interface ImportOutcome {
  fileName: string;
  report: ImportQuestionsReport;
}

export class QuestionsState {
  pairs = $state.raw<QAPair[]>([]);
  loaded = $state(false);
  task = $state<QuestionsTask | null>(null);
  error = $state('');
  importOutcome = $state.raw<ImportOutcome | null>(null);
  importError = $state('');
  filter = $state<PairFilter>({ ...NO_FILTER });
  /** How each shown pair's oracle chunk is named (read for the pairs on screen). */
  readonly oracleRefs: OracleRefs;
  /** The "Write a question" form. */
  newDraft: PairDraft;
  /** The pair open in the edit dialog, as a draft. */
  editing = $state.raw<PairDraft | null>(null);
  testFraction = $state(0.2);
  seed = $state(7);
  byArticle = $state(true);
  splitError = $state('');
  /** The sample wiki's article paths, once read from its index.json. */
  sampleFiles = $state.raw<string[] | null>(null);

  readonly filtered = $derived(filterPairs(this.pairs, this.filter));
  readonly splits = $derived(splitCounts(this.pairs));
  readonly statuses = $derived(statusCounts(this.pairs));
  readonly tags = $derived(tagsOf(this.pairs));
  #loadId = 0;
  #corpusKey = '';

  constructor(private readonly corpus: Corpus) {
    this.newDraft = $state.raw(new PairDraft(corpus));
    this.oracleRefs = new OracleRefs(() => corpus.client);
  }

  get busy(): boolean {
    return this.task !== null;
  }

  /** Every article of the sample wiki is in the corpus. */
  get sampleLoaded(): boolean {
    const paths = new Set(this.corpus.summary?.articles.map((a) => a.path));
    return !!this.sampleFiles && this.sampleFiles.length > 0 && this.sampleFiles.every((p) => paths.has(p));
  }

  /** Reads the pairs again when the corpus changed since the last read (the worker re-resolves oracles then). */
  async sync(): Promise<void> {
    const s = this.corpus.summary;
    if (!s) return;
    const key = [s.questionCount, s.chunkCount, JSON.stringify(s.settings.chunking), ...s.articles.map((a) => a.path + a.contentHash)].join('|');
    if (key === this.#corpusKey && this.loaded) return;
    this.#corpusKey = key;
    await this.load();
  }

  /** Reads every pair from the worker; the newest read wins. */
  async load(): Promise<void> {
    const id = ++this.#loadId;
    await this.#run('loading', 'Could not read the questions', async () => {
      if (!(await this.corpus.open())) throw new Error(this.corpus.error || 'the corpus is not open');
      const pairs = await this.corpus.client.call('listQuestions', undefined);
      if (id !== this.#loadId) return;
      this.oracleRefs.clear(); // the corpus may have changed: chunks moved or went away
      this.#setPairs(pairs);
      this.loaded = true;
    });
  }

  /** Reads the sample wiki's article list, to offer its questions when it is loaded. */
  async loadSampleIndex(): Promise<void> {
    if (this.sampleFiles) return;
    try {
      const response = await fetch(`${SAMPLE_WIKI_BASE}index.json`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const index = (await response.json()) as { files?: unknown };
      this.sampleFiles = Array.isArray(index.files) ? index.files.filter((f): f is string => typeof f === 'string') : [];
    } catch (error) {
      this.error = `Could not read the sample wiki's index: ${messageOf(error)}`;
    }
  }

  async importFile(file: File): Promise<void> {
    await this.#import(file.name, () => file.text());
  }

  async importSample(): Promise<void> {
    await this.#import('questions.jsonl', async () => {
      const response = await fetch(SAMPLE_QUESTIONS_URL);
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${SAMPLE_QUESTIONS_URL}`);
      return response.text();
    });
  }

  /** Saves the "Write a question" form's pair and empties the form; false (with the draft's error set) when it cannot. */
  async create(): Promise<boolean> {
    const draft = this.newDraft;
    const pair = draft.build();
    if (!pair) return false;
    if (this.pairs.some((p) => p.id === pair.id)) {
      draft.error = 'This question with these oracle chunks is already in the list.';
      return false;
    }
    const saved = await this.#save([pair], draft);
    if (saved) this.newDraft = new PairDraft(this.corpus);
    return saved;
  }

  /** Opens the edit dialog for a pair (also how an unresolved or orphaned pair is fixed). */
  edit(id: string): void {
    const pair = this.pairs.find((p) => p.id === id);
    if (pair) this.editing = new PairDraft(this.corpus, pair);
    else this.error = 'That pair is no longer in the list.';
  }

  closeEditor(): void {
    this.editing = null;
  }

  /** Saves the edit dialog's pair and closes the dialog; false when the draft needs fixing. */
  async saveEdit(): Promise<boolean> {
    const draft = this.editing;
    const pair = draft?.build();
    if (!draft || !pair) return false;
    const saved = await this.#save([pair], draft);
    if (saved) this.editing = null;
    return saved;
  }

  /** Saves generated pairs; a pair generated before keeps its creation time, split and tags. */
  async saveGenerated(pairs: QAPair[]): Promise<void> {
    if (pairs.length === 0) return;
    const existing = new Map(this.pairs.map((p) => [p.id, p]));
    const merged = pairs.map((pair) => {
      const old = existing.get(pair.id);
      return old ? { ...pair, createdAt: old.createdAt, split: old.split, tags: [...new Set([...old.tags, ...pair.tags])] } : pair;
    });
    await this.corpus.client.call('saveQuestions', { pairs: merged });
    this.#upsert(merged);
  }

  async remove(id: string): Promise<void> {
    await this.#run('deleting', 'Could not delete the pair', async () => {
      await this.corpus.client.call('deleteQuestions', { ids: [id] });
      this.pairs = this.pairs.filter((p) => p.id !== id);
    });
  }

  /** Draws train or test for every pair without a given side (unassigned, or drawn before) with the chosen share, seed and article grouping. */
  async split(): Promise<void> {
    this.splitError = '';
    // NOTE: a number input bound with bind:value gives null when emptied.
    const { testFraction, seed } = this;
    if (typeof testFraction !== 'number' || !(testFraction >= 0 && testFraction <= TEST_FRACTION_MAX)) return void (this.splitError = `The test share must be from 0 to ${TEST_FRACTION_MAX}.`);
    if (typeof seed !== 'number' || !Number.isInteger(seed)) return void (this.splitError = 'The seed must be a whole number.');
    this.task = 'splitting';
    try {
      this.#setPairs(await this.corpus.client.call('splitQuestions', { testFraction, seed, byArticle: this.byArticle, redraw: true }));
    } catch (error) {
      this.splitError = `Could not split the questions: ${messageOf(error)}`;
    } finally {
      this.task = null;
    }
  }

  clearFilter(): void {
    this.filter = { ...NO_FILTER };
  }

  async #import(fileName: string, read: () => Promise<string>): Promise<void> {
    this.importError = '';
    this.task = 'importing';
    try {
      if (!(await this.corpus.open())) throw new Error(this.corpus.error || 'the corpus is not open');
      const text = await read();
      const report = await this.corpus.client.call('importQuestions', { text, fileName });
      this.importOutcome = { fileName, report };
      this.#setPairs(await this.corpus.client.call('listQuestions', undefined));
      this.loaded = true;
    } catch (error) {
      this.importError = failureMessage(`Could not import ${fileName}`, error);
    } finally {
      this.task = null;
    }
  }

  async #save(pairs: QAPair[], draft: PairDraft): Promise<boolean> {
    this.task = 'saving';
    try {
      await this.corpus.client.call('saveQuestions', { pairs });
      this.#upsert(pairs);
      return true;
    } catch (error) {
      draft.error = `Could not save the pair: ${messageOf(error)}`;
      return false;
    } finally {
      this.task = null;
    }
  }

  #upsert(pairs: QAPair[]): void {
    const incoming = new Map(pairs.map((p) => [p.id, p]));
    const kept = this.pairs.map((p) => incoming.get(p.id) ?? p);
    const known = new Set(this.pairs.map((p) => p.id));
    this.#setPairs([...kept, ...pairs.filter((p) => !known.has(p.id))]);
  }

  /** Newest first; pairs created together (one import) in file order. */
  #setPairs(pairs: QAPair[]): void {
    this.pairs = [...pairs].sort((a, b) => b.createdAt - a.createdAt || (a.source?.line ?? 0) - (b.source?.line ?? 0));
  }

  async #run(task: QuestionsTask, failure: string, work: () => Promise<void>): Promise<void> {
    this.task = task;
    this.error = '';
    try {
      await work();
    } catch (error) {
      this.error = `${failure}: ${messageOf(error)}`;
    } finally {
      this.task = null;
    }
  }
}
