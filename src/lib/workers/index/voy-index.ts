// The voy-search engine (a WASM k-d tree) behind the VectorIndex interface. voy returns ids without
// scores and cannot hold very large indexes, so the vectors live in a FlatIndex too: scores come from
// them, persistence saves them, and the tree is rebuilt from them when it is stale.
import { Voy } from 'voy-search/voy_search.js';
import { VOY_TIE_MARGIN } from '../../config/tunables';
import { FlatIndex } from '../../core/retrieval/flat-index';
import type { VectorHit, VectorIndex } from '../../core/retrieval/types';
import { dot } from '../../core/retrieval/vector-math';

export class VoyIndex implements VectorIndex {
  readonly engine = 'voy' as const;
  /** The vectors themselves: scores, persistence and rebuilds come from here. */
  readonly store: FlatIndex;
  private voy: Voy | null = null;
  private stale = true;

  constructor(readonly dim: number) {
    this.store = new FlatIndex(dim);
  }

  get size(): number {
    return this.store.size;
  }

  upsert(ids: string[], vectors: Float32Array): void {
    this.store.upsert(ids, vectors);
    this.stale = true;
  }

  remove(ids: string[]): void {
    this.store.remove(ids);
    this.stale = true;
  }

  clear(): void {
    this.store.clear();
    this.stale = true;
  }

  /** Builds the k-d tree now (search builds it lazily otherwise). */
  build(): void {
    this.voy?.free();
    this.voy = null;
    const embeddings = this.store.entries().map(([id, vector]) => ({ id, title: '', url: '', embeddings: Array.from(vector) }));
    // NOTE: voy wants plain number[] per vector, not a Float32Array.
    if (embeddings.length) this.voy = new Voy({ embeddings });
    this.stale = false;
  }

  search(query: Float32Array, k: number): VectorHit[] {
    if (this.stale) this.build();
    if (!this.voy || k <= 0) return [];
    // A few extra neighbours, re-ranked by exact score, so near-ties at the k-th place resolve as in the flat scan.
    const { neighbors } = this.voy.search(query, Math.min(k + VOY_TIE_MARGIN, this.size));
    return neighbors
      .map(({ id }) => ({ id, score: dot(query, this.store.vector(id)!) }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, k);
  }
}
