// Reads and writes the corpus: articles, their chunks, and the chunk vectors of each embedding model.
// NOTE: no await on non-IDB work inside a transaction, or the transaction auto-commits early.
import type { IDBPTransaction } from 'idb';
import { COMPACT_ROWS } from '../../config/tunables';
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
    if (removed.length) await this.pruneVectors(tx, article.path, new Set(removed), keep);
    await tx.done;
    return { removedChunkIds: removed };
  }

  async deleteArticle(path: string): Promise<string[]> {
    const tx = this.db.transaction(['articles', 'chunks', 'vectors'], 'readwrite');
    const chunkIds = await tx.objectStore('chunks').index('by-article').getAllKeys(path);
    await Promise.all([tx.objectStore('articles').delete(path), ...chunkIds.map((id) => tx.objectStore('chunks').delete(id))]);
    await this.pruneVectors(tx, path, new Set(chunkIds), new Set());
    await tx.done;
    return chunkIds;
  }

  async clearCorpus(): Promise<void> {
    const tx = this.db.transaction(['articles', 'chunks', 'vectors'], 'readwrite');
    await Promise.all([tx.objectStore('articles').clear(), tx.objectStore('chunks').clear(), tx.objectStore('vectors').clear(), tx.done]);
  }

  /**
   * Stores the vectors of those chunks of `batch` that still exist, checked in the same transaction, so a chunk
   * removed meanwhile (by another tab too) never gets a vector. Returns the record as stored, or null when no
   * chunk of it is left.
   */
  async putVectors(batch: VectorBatchRecord): Promise<VectorBatchRecord | null> {
    const tx = this.db.transaction(['chunks', 'vectors'], 'readwrite');
    const chunks = await Promise.all(batch.chunkIds.map((id) => tx.objectStore('chunks').get(id)));
    const live = chunks.flatMap((chunk, row) => (chunk ? [{ chunk, row }] : []));
    if (!live.length) {
      await tx.done;
      return null;
    }
    const { dim } = batch;
    const vectors = new Float32Array(live.length * dim);
    live.forEach(({ row }, i) => vectors.set(batch.vectors.subarray(row * dim, (row + 1) * dim), i * dim));
    const articlePaths = [...new Set(live.map(({ chunk }) => chunk.articlePath))];
    const record = { ...batch, articlePaths, chunkIds: live.map(({ chunk }) => chunk.id), vectors };
    await tx.objectStore('vectors').add(record);
    await tx.done;
    return record;
  }

  /**
   * Merges the records of `modelKey` that hold fewer than half of `rows` vectors into records of up to
   * `rows`, in one transaction (so an interruption leaves the old records whole). Vectors, their order
   * and the ids they belong to are unchanged; reading them back gets faster. Returns records merged.
   */
  async compactVectors(modelKey: string, rows = COMPACT_ROWS): Promise<number> {
    const tx = this.db.transaction('vectors', 'readwrite');
    let group: VectorBatchRecord[] = [];
    let groupRows = 0;
    let merged = 0;
    const flush = async () => {
      if (group.length > 1) {
        await Promise.all([...group.map((r) => tx.store.delete(r.key!)), tx.store.add(mergeRecords(group))]);
        merged += group.length;
      }
      group = [];
      groupRows = 0;
    };
    // NOTE: a merged record gets a key past the cursor, so the cursor meets it later; it holds more
    // than half of `rows` (a group is flushed only when the next record would overflow it), so it is skipped.
    for (let cursor = await tx.store.index('by-model').openCursor(modelKey); cursor; cursor = await cursor.continue()) {
      const record = cursor.value;
      if (record.chunkIds.length * 2 >= rows) continue;
      if (groupRows + record.chunkIds.length > rows) await flush();
      group.push(record);
      groupRows += record.chunkIds.length;
    }
    await flush();
    await tx.done;
    return merged;
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

  /**
   * Drops the rows of `removed` chunks from the records holding `articlePath`'s vectors; the record
   * keeps listing the article only while it holds a vector of one of `kept` (the article's chunks now).
   */
  private async pruneVectors(tx: CorpusTx, articlePath: string, removed: Set<string>, kept: Set<string>): Promise<void> {
    const vectors = tx.objectStore('vectors');
    for (let cursor = await vectors.index('by-articles').openCursor(articlePath); cursor; cursor = await cursor.continue()) {
      const batch = cursor.value;
      if (!batch.chunkIds.some((id) => removed.has(id))) continue;
      const keepRows = batch.chunkIds.map((id, row) => (removed.has(id) ? -1 : row)).filter((row) => row >= 0);
      if (!keepRows.length) {
        await cursor.delete();
        continue;
      }
      const rows = new Float32Array(keepRows.length * batch.dim);
      keepRows.forEach((row, i) => rows.set(batch.vectors.subarray(row * batch.dim, (row + 1) * batch.dim), i * batch.dim));
      const chunkIds = keepRows.map((row) => batch.chunkIds[row]);
      const articlePaths = chunkIds.some((id) => kept.has(id)) ? batch.articlePaths : batch.articlePaths.filter((p) => p !== articlePath);
      await cursor.update({ ...batch, articlePaths, chunkIds, vectors: rows });
    }
  }
}

/** One record holding `records`' vectors in order (all of one model and dimension). */
function mergeRecords(records: VectorBatchRecord[]): VectorBatchRecord {
  const { modelKey, dim } = records[0];
  const chunkIds = records.flatMap((r) => r.chunkIds);
  const vectors = new Float32Array(chunkIds.length * dim);
  let offset = 0;
  for (const r of records) {
    vectors.set(r.vectors.subarray(0, r.chunkIds.length * dim), offset);
    offset += r.chunkIds.length * dim;
  }
  return { modelKey, dim, articlePaths: [...new Set(records.flatMap((r) => r.articlePaths))], chunkIds, vectors };
}
