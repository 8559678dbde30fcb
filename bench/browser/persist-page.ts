// The persistence benchmark page: the app's own CorpusRepo over real IndexedDB. Writes n vectors as
// indexing does (one record per batch, one transaction each), reads them back as a reload does,
// compacts them as finished indexing does, reads again; and, for the bulk case, writes records of
// COMPACT_ROWS at once and reads them back.
import { openDatabase } from '../../src/lib/store/db';
import { COMPACT_ROWS } from '../../src/lib/config/tunables';
import { CorpusRepo } from '../../src/lib/store/repos/corpus-repo';

export interface PersistBenchParams {
  n: number;
  dim: number;
  /** Vectors per record as indexing writes them. */
  batch: number;
  repeats: number;
}

export interface PersistBenchResult {
  /** Milliseconds per repeat. */
  batchWrite: number[];
  batchRead: number[];
  compact: number[];
  compactedRead: number[];
  bulkWrite: number[];
  bulkRead: number[];
  compactedRecords: number;
}

const MODEL = 'files:bench-model';

function records(n: number, dim: number, size: number) {
  const out = [];
  for (let start = 0, article = 0; start < n; start += size, article++) {
    const count = Math.min(size, n - start);
    const vectors = new Float32Array(count * dim);
    for (let i = 0; i < vectors.length; i++) vectors[i] = Math.random() - 0.5;
    const chunkIds = Array.from({ length: count }, (_, i) => `c_${(start + i).toString(36).padStart(8, '0')}`);
    out.push({ articlePaths: [`guide-${article}.md`], modelKey: MODEL, chunkIds, dim, vectors });
  }
  return out;
}

/** The chunks the vectors belong to: the repo stores a vector only for a chunk that exists (as after ingest). */
async function putChunks(db: Awaited<ReturnType<typeof openDatabase>>, batches: ReturnType<typeof records>): Promise<void> {
  const tx = db.transaction('chunks', 'readwrite');
  for (const { chunkIds, articlePaths } of batches) {
    chunkIds.forEach((id, index) => tx.store.put({ id, articlePath: articlePaths[0], headingPath: [], text: id, tokenCount: 1, contentHash: id, index }));
  }
  await tx.done;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

async function benchPersist({ n, dim, batch, repeats }: PersistBenchParams): Promise<PersistBenchResult> {
  const result: PersistBenchResult = { batchWrite: [], batchRead: [], compact: [], compactedRead: [], bulkWrite: [], bulkRead: [], compactedRecords: 0 };
  const batches = records(n, dim, batch);
  const bulk = records(n, dim, COMPACT_ROWS);
  const check = (ids: number | undefined) => {
    if (ids !== n) throw new Error(`read back ${ids} vectors, expected ${n}`);
  };
  // The first round is the warm-up.
  for (let r = 0; r <= repeats; r++) {
    const name = `bench-persist-${r}`;
    const db = await openDatabase(name);
    const repo = new CorpusRepo(db);
    await putChunks(db, batches);
    // 1. Indexing's layout: one record per batch, each in its own transaction, awaited in turn.
    const [batchWrite] = await timed(async () => {
      for (const record of batches) await repo.putVectors({ ...record });
    });
    const [batchRead, loaded] = await timed(() => repo.loadVectors(MODEL));
    check(loaded?.ids.length);
    // 2. Finished indexing compacts; a reload reads the compacted records.
    const [compact] = await timed(() => repo.compactVectors(MODEL));
    const [compactedRead, compacted] = await timed(() => repo.loadVectors(MODEL));
    check(compacted?.ids.length);
    result.compactedRecords = await db.count('vectors');
    // 3. Bulk: records of COMPACT_ROWS written at once, then read.
    await db.clear('vectors');
    const [bulkWrite] = await timed(async () => {
      for (const record of bulk) await repo.putVectors({ ...record });
    });
    const [bulkRead, again] = await timed(() => repo.loadVectors(MODEL));
    check(again?.ids.length);
    db.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    if (r === 0) continue;
    Object.entries({ batchWrite, batchRead, compact, compactedRead, bulkWrite, bulkRead }).forEach(([key, ms]) => (result[key as 'batchWrite'] as number[]).push(ms));
  }
  return result;
}

(window as unknown as { benchPersist: typeof benchPersist }).benchPersist = benchPersist;
