// The corpus as the pages see it: one corpus worker (articles, chunks, vectors and the embedding
// model) and what the UI shows about it: the summary, the last ingest report, progress of adding
// files and of indexing (an IndexJob), and errors worded for the user. The worker starts on the first call.
import { CorpusClient } from '../clients/corpus';
import type { IngestReport } from '../core/corpus/types';
import { failureMessage, isCancelled, isStorageFull, messageOf } from '../core/errors';
import type { LoadOptions, ModelFile, ModelSource } from '../core/models';
import type { RetrievalMode } from '../core/retrieval/types';
import type { CorpusSettings, CorpusSummary, IngestFile, SearchResponse } from '../core/corpus/reports';
import type { LoadedModel, LoadProgress } from '../core/model-status';
import type { CorpusEvent } from '../core/tabs';
import { databaseNotices, type DatabaseNotices } from './db-notices.svelte';
import { IndexJob } from './index-job.svelte';
import type { LoadableClient } from './models.svelte';
import { fetchSampleWiki } from './sample-wiki';

/** A long operation over files or articles, for a progress bar: "Adding files: 3 of 25 files". */
export interface FileWork {
  label: string;
  unit: 'files' | 'articles';
  done: number;
  total: number;
  path: string;
}

/** What the corpus is busy with (one at a time; indexing and model loads run beside it). */
export type CorpusTask = 'opening' | 'fetching' | 'adding' | 'removing' | 'clearing' | 'saving' | 'adopting';

type LoadHooks = { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void };

export interface CorpusDeps {
  /** Whether models may come from the Hugging Face Hub (read when the stored model is loaded again). */
  allowHub: () => boolean;
  /** ONNX Runtime Web's thread preference for the corpus worker (0: automatic). */
  threads?: () => number;
  /**
   * The files of the embedding model labelled `label` when the user kept it in the browser, else null: a folder
   * picked on the device loads again by itself only from that copy ("Keep this model in the browser").
   */
  keptEmbedder?: (label: string) => Promise<ModelFile[] | null>;
  create?: () => CorpusClient;
  /** Where problems with the database and other tabs are told (default: the app's one). */
  notices?: DatabaseNotices;
}

export class Corpus {
  summary = $state.raw<CorpusSummary | null>(null);
  report = $state.raw<IngestReport | null>(null);
  task = $state<CorpusTask | null>(null);
  work = $state.raw<FileWork | null>(null);
  error = $state('');
  settingsError = $state('');
  readonly indexJob = new IndexJob(this);
  /** The model of the stored vectors is being loaded again (after a reload). */
  restoring = $state(false);
  restoreProgress = $state.raw<LoadProgress | null>(null);
  embedderError = $state('');
  /** The user chose to keep another model's vectors over re-embedding: dense search stays off. */
  keepOldVectors = $state(false);
  /** The stored vectors' model came from this folder on the device, not kept in the browser: it waits to be picked again. */
  unkeptFolder = $state('');
  /** The `at` of the re-chunk notice the user dismissed. */
  seenRechunk = $state(0);

  #client: CorpusClient | null = null;
  #opening: Promise<boolean> | null = null;
  #restoreController: AbortController | null = null;
  #restoreRun: Promise<void> | null = null;
  #searchId = 0;
  #watching = false;

  constructor(private readonly deps: CorpusDeps) {}

  get client(): CorpusClient {
    this.#client ??= this.deps.create?.() ?? new CorpusClient();
    return this.#client;
  }

  /** Chunks without a vector of the current model. */
  get missing(): number {
    return this.summary ? this.summary.chunkCount - this.summary.embeddedCount : 0;
  }

  /** A model is loaded and adopted for this corpus, so indexing can run. */
  get canIndex(): boolean {
    const embedder = this.summary?.embedder;
    return !!embedder?.loaded && !!embedder.storedModel && !embedder.conflict;
  }

  /** Why dense and hybrid search cannot run now, or null when they can. */
  get denseUnavailable(): string | null {
    const s = this.summary;
    if (!s) return 'The corpus is still opening.';
    const { loaded, storedModel, conflict } = s.embedder;
    if (conflict && loaded) return `The stored vectors belong to ${storedModel?.label}, not to ${loaded.label}: re-embed on the Corpus page first.`;
    if (!loaded && this.restoring) return `Loading ${storedModel?.label} again for the stored vectors…`;
    if (!loaded && this.unkeptFolder) return `The stored vectors were made with ${storedModel?.label}, from a folder not kept in this browser: pick “${this.unkeptFolder}” again on the Models page.`;
    if (!loaded) return 'No embedding model is in use: load one on the Models page.';
    if (s.embeddedCount === 0) return 'No chunk is embedded yet: index the corpus on the Corpus page.';
    return null;
  }

  /** Opens the corpus (IndexedDB, no network); then loads the stored vectors' model again. Call once at start-up. */
  open(): Promise<boolean> {
    this.#opening ??= this.#open();
    return this.#opening;
  }

  async #open(): Promise<boolean> {
    this.#watch();
    const summary = await this.#run('opening', 'Could not open the corpus', () => this.client.call('open', undefined));
    if (!summary) {
      this.#opening = null; // a later call tries again
      return false;
    }
    this.summary = summary;
    this.#notices.opened('corpus');
    void this.restoreEmbedder();
    return true;
  }

  get #notices(): DatabaseNotices {
    return this.deps.notices ?? databaseNotices;
  }

  /** Hears what the worker says unasked: opening is blocked, the database was closed, another tab changed it. */
  #watch(): void {
    if (this.#watching) return;
    this.#watching = true;
    const onProgress = (event: CorpusEvent) => (this.summary = this.#notices.heard(event) ?? this.summary);
    this.client.call('watch', undefined, { onProgress }).catch(() => (this.#watching = false));
  }

  /** Loads the model whose vectors are stored, from where it came, then indexes what lacks vectors. */
  async restoreEmbedder(): Promise<void> {
    const stored = this.summary?.embedder.storedModel;
    if (!stored || this.summary?.embedder.loaded || this.restoring) return;
    const controller = new AbortController();
    this.#restoreController = controller;
    this.restoring = true;
    this.restoreProgress = null;
    this.embedderError = '';
    const run = async () => {
      let files: ModelFile[] | null = null;
      try {
        // A folder picked on the device loads again by itself only from the copy the user kept (as the Keep box says).
        if (stored.folder) {
          files = (await this.deps.keptEmbedder?.(stored.label)) ?? null;
          if (!files) return void (this.unkeptFolder = stored.folder);
        }
        await this.client.call('configure', { allowHub: this.deps.allowHub(), threads: this.deps.threads?.() });
        this.summary = await this.client.call('loadStoredEmbedder', files ? { files } : undefined, {
          signal: controller.signal,
          onProgress: (p) => (this.restoreProgress = p),
        });
      } catch (error) {
        if (!isCancelled(error)) this.embedderError = `Could not load ${stored.label} again: ${messageOf(error)}`;
        return;
      } finally {
        this.restoring = false;
        this.restoreProgress = null;
        this.#restoreController = null;
      }
      await this.#autoIndex();
    };
    this.#restoreRun = run();
    await this.#restoreRun;
  }

  /** Loads an embedding model into the corpus worker (the Models page's loader goes through here). */
  async loadEmbedder(source: ModelSource, options: LoadOptions, hooks: LoadHooks = {}): Promise<LoadedModel> {
    if (!(await this.open())) throw new Error(`The corpus is not open, so no model can be loaded into it. ${this.error}`);
    // 1. The user's choice replaces a model being loaded again, and stops indexing with the old model.
    this.#restoreController?.abort();
    await this.#restoreRun;
    await this.#stopIndexing();
    // 2. Load where chunks and queries are embedded.
    const summary = await this.client.call('loadEmbedder', { source, options }, hooks);
    this.summary = summary;
    this.embedderError = '';
    this.keepOldVectors = false;
    this.unkeptFolder = '';
    const loaded = summary.embedder.loaded;
    if (!loaded) throw new Error('The corpus worker did not report the model it loaded.');
    // 3. Embed what lacks vectors, unless the user must first confirm replacing another model's vectors.
    void this.#autoIndex();
    return loaded;
  }

  /** The embedder slot's client on the Models page: loads into this corpus, not into a second worker. */
  embedderClient(): LoadableClient {
    return {
      load: (source, options, hooks) => this.loadEmbedder(source, options, hooks),
      configure: (settings) => this.client.call('configure', settings),
      // NOTE: the corpus worker lives as long as the page: it holds the corpus, not only the model.
      terminate: () => {},
    };
  }

  async addFiles(files: IngestFile[]): Promise<void> {
    if (files.length === 0 || !(await this.open())) return;
    const result = await this.#run('adding', 'Could not add the files', () =>
      this.client.call('ingest', { files }, { onProgress: (p) => (this.work = { label: 'Adding files', unit: 'files', ...p }) }),
    );
    if (!result) return;
    this.report = result.report;
    this.summary = result.summary;
    void this.#autoIndex();
  }

  async loadSampleWiki(): Promise<void> {
    const files = await this.#run('fetching', 'Could not fetch the sample wiki', () =>
      fetchSampleWiki((p) => (this.work = { label: 'Fetching the sample wiki', unit: 'files', ...p })),
    );
    if (files) await this.addFiles(files);
  }

  async removeArticle(path: string): Promise<void> {
    const summary = await this.#run('removing', `Could not remove ${path}`, () => this.client.call('removeArticle', { path }));
    if (summary) this.summary = summary;
  }

  async clear(): Promise<void> {
    await this.#stopIndexing();
    const summary = await this.#run('clearing', 'Could not clear the corpus', () => this.client.call('clear', undefined));
    if (!summary) return;
    this.summary = summary;
    this.report = null;
  }

  chunksOf(path: string) {
    return this.client.call('chunksOf', { path });
  }

  /** Saves corpus settings in IndexedDB; new chunking options re-chunk every article. Returns whether it worked. */
  async setSettings(settings: Partial<CorpusSettings>): Promise<boolean> {
    if (!(await this.open())) return false;
    if (settings.chunking) await this.#stopIndexing();
    this.settingsError = '';
    this.task = 'saving';
    try {
      this.summary = await this.client.call('setSettings', settings, {
        onProgress: (p) => (this.work = { label: 'Re-chunking', unit: 'articles', ...p }),
      });
    } catch (error) {
      this.settingsError = messageOf(error);
      return false;
    } finally {
      this.task = null;
      this.work = null;
    }
    void this.#autoIndex();
    return true;
  }

  /** Embeds every chunk that lacks a vector; resumable: cancelling keeps what was embedded. */
  index(): Promise<void> {
    return this.indexJob.start();
  }

  cancelIndex(): void {
    this.indexJob.cancel();
  }

  /** Drops the stored vectors of the previous model and embeds every chunk with the loaded one. */
  async confirmReembed(): Promise<void> {
    const summary = await this.#run('adopting', 'Could not switch the index to the new model', () =>
      this.client.call('adoptEmbedder', undefined, { onProgress: (p) => (this.work = { label: 'Re-chunking for the new model', unit: 'articles', ...p }) }),
    );
    if (!summary) return;
    this.summary = summary;
    this.keepOldVectors = false;
    await this.index();
  }

  /** Searches the corpus; resolves to null when a newer search was started meanwhile (newest wins). */
  async search(query: string, mode: RetrievalMode, k: number): Promise<SearchResponse | null> {
    const id = ++this.#searchId;
    try {
      const response = await this.client.call('search', { query, mode, k });
      return id === this.#searchId ? response : null;
    } catch (error) {
      if (id !== this.#searchId) return null;
      throw error;
    }
  }

  /** Makes the searches under way stale: their responses are dropped. */
  dropSearches(): void {
    this.#searchId++;
  }

  async refresh(): Promise<void> {
    try {
      this.summary = await this.client.call('summary', undefined);
    } catch (error) {
      this.error = `Could not read the corpus: ${messageOf(error)}`;
    }
  }

  async #autoIndex(): Promise<void> {
    if (this.canIndex && this.missing > 0) await this.index();
  }

  #stopIndexing(): Promise<void> {
    return this.indexJob.stop();
  }

  /** Runs one corpus task, showing its progress and, when it fails, `failure` with the reason. */
  async #run<T>(task: CorpusTask, failure: string, work: () => Promise<T>): Promise<T | undefined> {
    this.task = task;
    this.error = '';
    try {
      return await work();
    } catch (error) {
      this.error = failureMessage(failure, error);
      // Files added before the storage filled up are kept: the counts say so.
      if (isStorageFull(error)) await this.refresh();
      // NOTE: the error's name survives the worker boundary (its class does not).
      if (error instanceof Error && error.name === 'DatabaseClosedError') this.#notices.reloadNeeded(error.message);
      return undefined;
    } finally {
      this.task = null;
      this.work = null;
    }
  }
}
