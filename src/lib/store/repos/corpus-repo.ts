// Reads and writes the corpus: articles, their chunks, and the chunk vectors of each embedding model.
// NOTE: no await on non-IDB work inside a transaction, or the transaction auto-commits early.
import type { IDBPTransaction } from 'idb';
import type { RaftDatabase } from '../db';
import type { ArticleRecord, ChunkRecord, RaftDB, VectorBatchRecord } from '../schema';

type CorpusTx = IDBPTransaction<RaftDB, ['articles', 'chunks', 'vectors'], 'readwrite'>;

export interface StoredVectors {
  ids: string[];
  dim: number;
  vectors: Float32Array;
}

export class CorpusRepo {
  constructor(private readonly db: RaftDatabase) {}

  listArticles(): Promise<ArticleRecord[]> {
    return this.db.getAll('articles');
  }

  getArticle(path: string): Promise<ArticleRecord | undefined> {
    return this.db.get('articles', path);
  }

  chunksOf(path: string): Promise<ChunkRecord[]> {
    return this.db.getAllFromIndex('chunks', 'by-article', path).then((c) => c.sort((a, b) => a.index - b.index));
  }

  allChunks(): Promise<ChunkRecord[]> {
    return this.db.getAll('chunks');
  }

  getChunks(ids: string[]): Promise<(ChunkRecord | undefined)[]> {
    const tx = this.db.transaction('chunks');
    return Promise.all(ids.map((id) => tx.store.get(id)));
  }

  /**
   * Saves an article with its chunks, replacing its earlier version: chunks that disappeared are
   * deleted with their vectors; vectors of chunks that kept their id are kept (no re-embedding).
   */
  async saveArticle(article: ArticleRecord, chunks: ChunkRecord[]): Promise<{ removedChunkIds: string[] }> {
    const tx = this.db.transaction(['articles', 'chunks', 'vectors'], 'readwrite');
    const keep = new Set(chunks.map((c) => c.id));
    const old = await tx.objectStore('chunks').index('by-article').getAllKeys(article.path);
    const removed = old.filter((id) => !keep.has(id));
    await Promise.all([
      tx.objectStore('articles').put(article),
      ...removed.map((id) => tx.objectStore('chunks').delete(id)),
      ...chunks.map((c) => tx.objectStore('chunks').put(c)),
    ]);
    if (removed.length) await this.pruneVectors(tx, article.path, new Set(removed));
    await tx.done;
    return { removedChunkIds: removed };
  }

  async deleteArticle(path: string): Promise<string[]> {
    const tx = this.db.transaction(['articles', 'chunks', 'vectors'], 'readwrite');
    const chunkIds = await tx.objectStore('chunks').index('by-article').getAllKeys(path);
    const vectorKeys = await tx.objectStore('vectors').index('by-article').getAllKeys(path);
    await Promise.all([
      tx.objectStore('articles').delete(path),
      ...chunkIds.map((id) => tx.objectStore('chunks').delete(id)),
      ...vectorKeys.map((key) => tx.objectStore('vectors').delete(key)),
    ]);
    await tx.done;
    return chunkIds;
  }

  async clearCorpus(): Promise<void> {
    const tx = this.db.transaction(['articles', 'chunks', 'vectors'], 'readwrite');
    await Promise.all([tx.objectStore('articles').clear(), tx.objectStore('chunks').clear(), tx.objectStore('vectors').clear(), tx.done]);
  }

  putVectors(batch: VectorBatchRecord): Promise<number> {
    return this.db.add('vectors', batch);
  }

  /** Deletes every vector of models other than `modelKey` (vectors of two models must never mix). */
  async keepOnlyModel(modelKey: string): Promise<number> {
    const tx = this.db.transaction('vectors', 'readwrite');
    let deleted = 0;
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      if (cursor.value.modelKey !== modelKey) {
        await cursor.delete();
        deleted++;
      }
    }
    await tx.done;
    return deleted;
  }

  /** All vectors of one model, concatenated: what the index is rebuilt from after a reload. */
  async loadVectors(modelKey: string): Promise<StoredVectors | null> {
    const batches = await this.db.getAllFromIndex('vectors', 'by-model', modelKey);
    if (!batches.length) return null;
    const dim = batches[0].dim;
    const total = batches.reduce((n, b) => n + b.chunkIds.length, 0);
    const vectors = new Float32Array(total * dim);
    const ids: string[] = [];
    for (const batch of batches) {
      vectors.set(batch.vectors, ids.length * dim);
      ids.push(...batch.chunkIds);
    }
    return { ids, dim, vectors };
  }

  async embeddedChunkIds(modelKey: string): Promise<Set<string>> {
    const batches = await this.db.getAllFromIndex('vectors', 'by-model', modelKey);
    return new Set(batches.flatMap((b) => b.chunkIds));
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('meta', key))?.value as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put('meta', { key, value });
  }

  private async pruneVectors(tx: CorpusTx, articlePath: string, removed: Set<string>): Promise<void> {
    const vectors = tx.objectStore('vectors');
    for (let cursor = await vectors.index('by-article').openCursor(articlePath); cursor; cursor = await cursor.continue()) {
      const batch = cursor.value;
      if (!batch.chunkIds.some((id) => removed.has(id))) continue;
      const keepRows = batch.chunkIds.map((id, row) => (removed.has(id) ? -1 : row)).filter((row) => row >= 0);
      if (!keepRows.length) {
        await cursor.delete();
        continue;
      }
      const kept = new Float32Array(keepRows.length * batch.dim);
      keepRows.forEach((row, i) => kept.set(batch.vectors.subarray(row * batch.dim, (row + 1) * batch.dim), i * batch.dim));
      await cursor.update({ ...batch, chunkIds: keepRows.map((row) => batch.chunkIds[row]), vectors: kept });
    }
  }
}
