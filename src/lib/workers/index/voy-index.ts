// The voy-search engine (a WASM k-d tree) behind the VectorIndex interface. voy returns ids without
// scores and cannot hold very large indexes, so the vectors live in a FlatIndex too: scores come from
// them, persistence saves them, and the tree is rebuilt from them when it is stale. Identical vectors go
// into the tree once (kiddo panics with "unreachable" when 32+ items share a position on an axis, as
// boilerplate chunks do) and map back to all their chunk ids.
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
  /** The tree's id for each group of identical vectors → every chunk id holding that vector. */
  private groups = new Map<string, string[]>();

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
    this.stale = false;
    this.groups = groupIdentical(this.store.entries());
    // NOTE: voy wants plain number[] per vector, not a Float32Array.
    const embeddings = [...this.groups.keys()].map((id) => ({ id, title: '', url: '', embeddings: Array.from(this.store.vector(id)!) }));
    if (embeddings.length) this.voy = new Voy({ embeddings });
  }

  /** Throws where voy itself fails (a WebAssembly panic): the retriever then falls back to the flat scan. */
  search(query: Float32Array, k: number): VectorHit[] {
    if (this.stale) this.build();
    if (!this.voy || k <= 0) return [];
    // A few extra neighbours, re-ranked by exact score, so near-ties at the k-th place resolve as in the flat scan.
    const { neighbors } = this.voy.search(query, Math.min(k + VOY_TIE_MARGIN, this.groups.size));
    return neighbors
      .flatMap(({ id }) => {
        const score = dot(query, this.store.vector(id)!);
        return (this.groups.get(id) ?? [id]).map((member) => ({ id: member, score }));
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, k);
  }
}

/** Groups byte-identical vectors under their first id, in store order (a hash, then an exact compare). */
function groupIdentical(entries: [string, Float32Array][]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const byHash = new Map<number, [string, Float32Array][]>();
  for (const [id, vector] of entries) {
    const hash = hashVector(vector);
    const bucket = byHash.get(hash) ?? [];
    const same = bucket.find(([, other]) => sameVector(vector, other));
    if (same) groups.get(same[0])!.push(id);
    else {
      bucket.push([id, vector]);
      byHash.set(hash, bucket);
      groups.set(id, [id]);
    }
  }
  return groups;
}

/** FNV-1a over the float bits. */
function hashVector(vector: Float32Array): number {
  const bits = new Uint32Array(vector.buffer, vector.byteOffset, vector.length);
  let hash = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ bits[i], 0x01000193);
  return hash >>> 0;
}

function sameVector(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
