// The Search page's state: query, mode and k, searching as the user types (debounced) and the
// results of the newest search. Kept in the app context so results survive leaving the page.
import { SEARCH_DEBOUNCE_MS, SEARCH_K } from '../config/tunables';
import { messageOf } from '../core/errors';
import type { RetrievalMode } from '../core/retrieval/types';
import type { SearchResponse } from '../core/corpus/reports';
import type { Corpus } from './corpus.svelte';

export interface SearchOutcome {
  /** The query as searched, for highlighting its terms. */
  query: string;
  response: SearchResponse;
}

export class SearchState {
  query = $state('');
  mode = $state<RetrievalMode>('lexical');
  k = $state(5);
  outcome = $state.raw<SearchOutcome | null>(null);
  error = $state('');
  searching = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly corpus: Corpus) {}

  /** The query changed: search once the user has stopped typing for a moment. */
  type(query: string): void {
    this.query = query;
    this.schedule();
  }

  setMode(mode: RetrievalMode): void {
    this.mode = mode;
    void this.run();
  }

  /** Clamped to SEARCH_K; an empty or invalid entry keeps the previous k. */
  setK(k: number): void {
    if (Number.isFinite(k)) this.k = Math.min(SEARCH_K.max, Math.max(SEARCH_K.min, Math.round(k)));
    void this.run();
  }

  schedule(): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => void this.run(), SEARCH_DEBOUNCE_MS);
  }

  /** Searches now with the current query, mode and k. */
  async run(): Promise<void> {
    this.#clearTimer();
    const query = this.query.trim();
    if (!query) {
      this.corpus.dropSearches();
      this.searching = false;
      this.outcome = null;
      this.error = '';
      return;
    }
    const { k, mode } = this;
    this.searching = true;
    try {
      const response = await this.corpus.search(query, mode, k);
      if (!response) return; // a newer search is under way
      this.outcome = { query, response };
      this.error = '';
      this.searching = false;
    } catch (error) {
      this.outcome = null;
      this.error = messageOf(error);
      this.searching = false;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
