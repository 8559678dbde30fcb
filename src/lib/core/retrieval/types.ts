// Retrieval vocabulary shared by the engines, the lexical index, fusion and the UI.

export type RetrievalMode = 'dense' | 'lexical' | 'hybrid';
export const RETRIEVAL_MODES: readonly RetrievalMode[] = ['dense', 'lexical', 'hybrid'];

/** A hybrid hit's 1-based rank in each list fusion merged; null where that list did not return it. */
export interface FusedRanks {
  /** In the vector (meaning) list. */
  dense: number | null;
  /** In the BM25 (words) list. */
  lexical: number | null;
}

/** One result: a chunk, its score in the mode that produced it, and its rank (1-based). */
export interface SearchHit {
  chunkId: string;
  score: number;
  mode: RetrievalMode;
  rank: number;
  /** Hybrid only: where the two lists placed it (the fused score alone is hard to read). */
  fused?: FusedRanks;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity (the vectors are unit length, so the dot product). */
  score: number;
}

export type EngineName = 'voy' | 'flat';
/** The engine the user asked for in Settings: one by name, or the automatic switch by corpus size. */
export type EngineChoice = 'auto' | EngineName;

/** The engine answering, and why, for the UI (e.g. the automatic switch above the voy limit). */
export interface EngineStatus {
  engine: EngineName;
  reason: string;
}

/** A nearest-neighbour index over unit vectors. Both engines return the same top-k on the same vectors. */
export interface VectorIndex {
  readonly engine: EngineName;
  readonly dim: number;
  readonly size: number;
  /** Adds or replaces vectors; `vectors` holds `ids.length × dim` values. */
  upsert(ids: string[], vectors: Float32Array): void;
  remove(ids: string[]): void;
  clear(): void;
  search(query: Float32Array, k: number): VectorHit[];
}
