// The IndexedDB schema of the app. Store and index names are persisted in users' browsers:
// DO NOT CHANGE WITHOUT A MIGRATION (bump DB_VERSION and migrate the records in db.ts `upgrade`).
import type { DBSchema } from 'idb';
import type { Article, Chunk } from '../core/corpus/types';
import type { QAPair } from '../core/questions/types';

export const DB_NAME = 'raft-playground';
/**
 * 1: corpus (articles, chunks, vectors, meta). 2: adds questions. 3: a vector record may hold several
 * articles' vectors (`articlePaths`, multi-entry index `by-articles`), so finished indexing compacts
 * many small records into few large ones (see migrations.ts).
 */
export const DB_VERSION = 3;

/** An article with its decoded text, kept so chunks can be rebuilt when chunk settings change. */
export interface ArticleRecord extends Article {
  text: string;
}

export type ChunkRecord = Chunk;

/**
 * Vectors of one embedding batch (one article's chunks) or, after compaction, of many batches: the
 * source of truth for the index.
 */
export interface VectorBatchRecord {
  key?: number;
  /** Every article with a chunk in `chunkIds` (indexed one entry per path). */
  articlePaths: string[];
  /** `sourceKey` of the embedding model; vectors of two models are never mixed. */
  modelKey: string;
  chunkIds: string[];
  dim: number;
  /** `chunkIds.length × dim` values. */
  vectors: Float32Array;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}

export interface RaftDB extends DBSchema {
  articles: { key: string; value: ArticleRecord };
  chunks: { key: string; value: ChunkRecord; indexes: { 'by-article': string } };
  vectors: { key: number; value: VectorBatchRecord; indexes: { 'by-articles': string; 'by-model': string } };
  meta: { key: string; value: MetaRecord };
  questions: { key: string; value: QAPair; indexes: { 'by-status': string } };
}
