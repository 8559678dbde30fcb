// Okapi BM25 over chunks: the lexical retriever, which needs no model (the offline default).
import { terms } from './lexical-terms';
import type { SearchHit } from './types';
import { TopK } from './vector-math';

export interface Bm25Params {
  /** Term-frequency saturation, 0.5..3 (default 1.2). */
  k1: number;
  /** Length normalisation, 0..1 (default 0.75). */
  b: number;
}

export class Bm25Index {
  /** term → (doc number → term frequency) */
  private postings = new Map<string, Map<number, number>>();
  private docIds: (string | undefined)[] = [];
  private docNumbers = new Map<string, number>();
  private docTerms: (string[] | undefined)[] = [];
  private docLengths: number[] = [];
  private totalLength = 0;
  /** Score accumulator by doc number, reused across queries and zeroed after each (faster than a Map). */
  private scratch = new Float64Array(0);

  constructor(private readonly params: Bm25Params = { k1: 1.2, b: 0.75 }) {}

  get size(): number {
    return this.docNumbers.size;
  }

  /** Adds a chunk, replacing an earlier one with the same id. */
  add(id: string, text: string): void {
    this.remove(id);
    const docTerms = terms(text);
    const doc = this.docIds.length;
    this.docIds.push(id);
    this.docNumbers.set(id, doc);
    this.docLengths.push(docTerms.length);
    this.totalLength += docTerms.length;
    const counts = new Map<string, number>();
    for (const term of docTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = new Map()));
      posting.set(doc, tf);
    }
    this.docTerms.push([...counts.keys()]);
  }

  remove(id: string): void {
    const doc = this.docNumbers.get(id);
    if (doc === undefined) return;
    for (const term of this.docTerms[doc] ?? []) {
      const posting = this.postings.get(term);
      posting?.delete(doc);
      if (posting?.size === 0) this.postings.delete(term);
    }
    this.totalLength -= this.docLengths[doc];
    this.docLengths[doc] = 0;
    this.docTerms[doc] = undefined;
    this.docIds[doc] = undefined;
    this.docNumbers.delete(id);
  }

  clear(): void {
    this.postings.clear();
    this.scratch = new Float64Array(0);
    this.docIds = [];
    this.docNumbers.clear();
    this.docTerms = [];
    this.docLengths = [];
    this.totalLength = 0;
  }

  search(query: string, k: number): SearchHit[] {
    const n = this.size;
    if (n === 0 || k <= 0) return [];
    const { k1, b } = this.params;
    const avgLength = this.totalLength / n || 1;
    if (this.scratch.length < this.docIds.length) this.scratch = new Float64Array(this.docIds.length);
    const scores = this.scratch;
    // Docs in the order first scored: the same order, so the same ties, as a Map would give.
    const touched: number[] = [];
    for (const term of new Set(terms(query))) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      // BM25+-style idf that stays positive for very common terms.
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [doc, tf] of posting) {
        const norm = tf + k1 * (1 - b + (b * this.docLengths[doc]) / avgLength);
        // NOTE: every contribution is > 0 (idf > 0, tf > 0), so 0 means "not scored yet".
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += (idf * tf * (k1 + 1)) / norm;
      }
    }
    const top = new TopK(k);
    for (const doc of touched) {
      top.push(this.docIds[doc]!, scores[doc]);
      scores[doc] = 0;
    }
    return top.result().map((hit, i) => ({ chunkId: hit.id, score: hit.score, mode: 'lexical', rank: i + 1 }));
  }
}
