// The chunk picker: suggests chunks as the user types (or, with nothing typed, for the question being written),
// by lexical search or hybrid when an embedding model is in use, and keeps the chunks picked. Newest search wins.
import { PICKER_DEBOUNCE_MS, PICKER_RESULTS } from '../config/tunables';
import type { Chunk } from '../core/chunking';
import { messageOf } from '../core/errors';
import type { RetrievalMode } from '../core/retrieval/types';
import type { SearchView } from '../core/corpus/reports';
import type { Corpus } from './corpus.svelte';
import { loadChunks } from './question-chunks';

/** A picked chunk and the title of its article, for display. */
export interface PickedChunk {
  chunk: Chunk;
  articleTitle: string;
}

export class ChunkPicker {
  /** What the user typed in the picker; empty means "suggest for the question". */
  query = $state('');
  /** The question being written, searched when nothing is typed. */
  fallback = $state('');
  hits = $state.raw<SearchView[]>([]);
  picked = $state.raw<PickedChunk[]>([]);
  /** Index of the suggestion the keyboard is on, -1 for none. */
  active = $state(-1);
  searching = $state(false);
  error = $state('');
  /** The text the suggestions are for. */
  searchedFor = $state('');
  #searchId = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly corpus: Corpus) {}

  /** Hybrid when dense search can run now, else lexical (BM25). */
  get mode(): RetrievalMode {
    return this.corpus.denseUnavailable === null ? 'hybrid' : 'lexical';
  }

  get pickedIds(): string[] {
    return this.picked.map((p) => p.chunk.id);
  }

  isPicked(id: string): boolean {
    return this.picked.some((p) => p.chunk.id === id);
  }

  /** The user typed in the picker. */
  type(query: string): void {
    this.query = query;
    this.#schedule();
  }

  /** The question changed: new suggestions when the user has not typed a search of their own. */
  suggestFor(question: string): void {
    if (question === this.fallback) return;
    this.fallback = question;
    if (!this.query.trim()) this.#schedule();
  }

  /** Searches now for the typed query, or the question when nothing is typed. */
  async run(): Promise<void> {
    this.#clearTimer();
    const text = this.query.trim() || this.fallback.trim();
    const id = ++this.#searchId;
    if (!text) {
      this.hits = [];
      this.searchedFor = '';
      this.active = -1;
      this.searching = false;
      return;
    }
    this.searching = true;
    try {
      const response = await this.corpus.client.call('search', { query: text, mode: this.mode, k: PICKER_RESULTS });
      if (id !== this.#searchId) return;
      this.hits = response.hits;
      this.searchedFor = text;
      this.active = -1;
      this.error = '';
    } catch (error) {
      if (id !== this.#searchId) return;
      this.hits = [];
      this.error = `Could not search the corpus: ${messageOf(error)}`;
    } finally {
      if (id === this.#searchId) this.searching = false;
    }
  }

  /** Picks a suggestion, or unpicks it when it is already picked. */
  toggle(hit: SearchView): void {
    if (this.isPicked(hit.chunkId)) this.remove(hit.chunkId);
    else this.picked = [...this.picked, { chunk: hit.chunk, articleTitle: hit.articleTitle }];
  }

  remove(id: string): void {
    this.picked = this.picked.filter((p) => p.chunk.id !== id);
  }

  /** Moves the keyboard's place in the suggestions by `step`, wrapping around. */
  move(step: number): void {
    const n = this.hits.length;
    if (n === 0) return;
    this.active = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
  }

  /** Picks the chunks with these ids (those still in the corpus); returns the ids no longer there. */
  async pickIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    try {
      const chunks = await loadChunks(this.corpus.client, ids);
      const titles = new Map(this.corpus.summary?.articles.map((a) => [a.path, a.title]) ?? []);
      const found = ids.map((id) => chunks.get(id)).filter((c): c is Chunk => c !== undefined);
      this.picked = found.map((chunk) => ({ chunk, articleTitle: titles.get(chunk.articlePath) ?? chunk.articlePath }));
      return ids.filter((id) => !chunks.has(id));
    } catch (error) {
      this.error = `Could not read the oracle chunks: ${messageOf(error)}`;
      return [...ids];
    }
  }

  clear(): void {
    this.#clearTimer();
    this.#searchId++;
    this.query = '';
    this.fallback = '';
    this.hits = [];
    this.picked = [];
    this.active = -1;
    this.searching = false;
    this.searchedFor = '';
    this.error = '';
  }

  #schedule(): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => void this.run(), PICKER_DEBOUNCE_MS);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
