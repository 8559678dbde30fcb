// The corpus's retrievers in one place: BM25 over chunk text, a vector engine over chunk vectors,
// and hybrid fusion of both. Lives in the corpus worker.
import { VOY_LIMIT } from '../../config/tunables';
import { Bm25Index } from '../../core/retrieval/bm25';
import { FlatIndex } from '../../core/retrieval/flat-index';
import { fuseDenseLexical } from '../../core/retrieval/fusion';
import type { EngineChoice, EngineName, EngineStatus, RetrievalMode, SearchHit, VectorIndex } from '../../core/retrieval/types';
import { messageOf } from '../../core/errors';
import { VoyIndex } from '../index/voy-index';

export type { EngineChoice, EngineStatus };

export function pickEngine(choice: EngineChoice, size: number, limit = VOY_LIMIT): EngineStatus {
  if (choice !== 'auto') return { engine: choice, reason: `${choice} chosen in Settings` };
  return size > limit
    ? { engine: 'flat', reason: `flat scan: ${size.toLocaleString('en')} chunks is above voy's ${limit.toLocaleString('en')} limit` }
    : { engine: 'voy', reason: `voy (default up to ${limit.toLocaleString('en')} chunks)` };
}

export class Retriever {
  readonly lexical = new Bm25Index();
  private vectors: VectorIndex | null = null;
  private choice: EngineChoice = 'auto';
  /** Why voy failed in this worker, if it did: the flat scan answers from then on (until a reload). */
  private voyFailure: string | null = null;

  /** `voyLimit` is VOY_LIMIT in the app; tests lower it to see the switch. */
  constructor(private readonly voyLimit = VOY_LIMIT) {}

  get vectorCount(): number {
    return this.vectors?.size ?? 0;
  }

  get dim(): number | null {
    return this.vectors?.dim ?? null;
  }

  engineStatus(): EngineStatus {
    const picked = pickEngine(this.choice, this.vectorCount, this.voyLimit);
    if (picked.engine !== 'voy' || this.voyFailure === null) return picked;
    return { engine: 'flat', reason: `flat scan: voy failed on these vectors (${this.voyFailure}), so the exact scan answers; reload to try voy again` };
  }

  setEngine(choice: EngineChoice): void {
    this.choice = choice;
    this.rebuildIfNeeded();
  }

  addVectors(ids: string[], vectors: Float32Array, dim: number): void {
    if (this.vectors && this.vectors.dim !== dim) this.vectors = null;
    this.vectors ??= this.createEngine(this.engineStatus().engine, dim);
    this.vectors.upsert(ids, vectors);
    this.rebuildIfNeeded();
  }

  /** The stored vector of a chunk (a view), if it has one. */
  vectorOf(id: string): Float32Array | undefined {
    if (!this.vectors) return undefined;
    return this.store().vector(id);
  }

  removeVectors(ids: string[]): void {
    this.vectors?.remove(ids);
  }

  clearVectors(): void {
    this.vectors = null;
  }

  search(query: string, mode: RetrievalMode, k: number, queryVector?: Float32Array): SearchHit[] {
    if (mode === 'lexical') return this.lexical.search(query, k);
    const dense = this.dense(queryVector, mode === 'hybrid' ? k * 2 : k);
    if (mode === 'dense') return dense;
    return fuseDenseLexical(dense, this.lexical.search(query, k * 2), k);
  }

  private dense(queryVector: Float32Array | undefined, k: number): SearchHit[] {
    if (!this.vectors || !queryVector) return [];
    return this.vectorSearch(queryVector, k).map((hit, i) => ({ chunkId: hit.id, score: hit.score, mode: 'dense', rank: i + 1 }));
  }

  /** Searches the current engine; a voy failure never takes search down: the flat scan takes over and says why. */
  private vectorSearch(queryVector: Float32Array, k: number) {
    const vectors = this.vectors!;
    if (vectors.engine !== 'voy') return vectors.search(queryVector, k);
    try {
      return vectors.search(queryVector, k);
    } catch (error) {
      // NOTE: a WebAssembly panic may leave voy's memory unusable, so it is not tried again in this worker.
      this.voyFailure = messageOf(error) || 'WebAssembly error';
      this.rebuildIfNeeded();
      return this.vectors!.search(queryVector, k);
    }
  }

  /** Moves the vectors to the engine the current choice and size call for. */
  private rebuildIfNeeded(): void {
    if (!this.vectors) return;
    const wanted = this.engineStatus().engine;
    if (this.vectors.engine === wanted) return;
    const next = this.createEngine(wanted, this.vectors.dim);
    const source = this.store();
    const entries = source.entries();
    const data = new Float32Array(entries.length * next.dim);
    entries.forEach(([, v], i) => data.set(v, i * next.dim));
    next.upsert(entries.map(([id]) => id), data);
    this.vectors = next;
  }

  private store(): FlatIndex {
    return this.vectors instanceof FlatIndex ? this.vectors : (this.vectors as VoyIndex).store;
  }

  private createEngine(engine: EngineName, dim: number): VectorIndex {
    return engine === 'voy' ? new VoyIndex(dim) : new FlatIndex(dim);
  }
}
