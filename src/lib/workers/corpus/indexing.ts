// Embedding the chunks that have no vector of the current model yet: batched, persisted batch by
// batch (so an interrupted run resumes where it stopped), cancellable, with rate and ETA. A finished
// run compacts the small batch records into large ones, which load back about twice as fast.
import { INDEX_BATCH } from '../../config/tunables';
import type { IndexProgress } from '../../core/corpus/reports';
import { CancelledError, NotReadyError } from '../../core/errors';
import type { Chunk } from '../../core/corpus/types';
import type { CorpusState } from './corpus-state';

export async function indexMissing(state: CorpusState, progress: (p: IndexProgress) => void, signal: AbortSignal): Promise<void> {
  const model = state.embedder.model;
  if (!model) throw new NotReadyError('Load an embedding model first (Models page or the Corpus page), then index.');
  if (state.conflict) throw new NotReadyError(`The stored vectors belong to ${state.storedEmbedder?.label}. Confirm re-embedding with ${model.label} first.`);
  const modelKey = state.storedEmbedder?.key;
  if (!modelKey) throw new NotReadyError('The embedding model has not been adopted for this corpus yet.');
  // NOTE: another tab may have embedded chunks since this one read the corpus (its message may still be on the way).
  const stored = await state.repo.embeddedChunkIds(modelKey);
  const pending = batches([...state.chunks.values()].filter((c) => !state.embedded.has(c.id) && !stored.has(c.id)));
  const total = pending.reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  let done = 0;
  // Whole-corpus figures, so the headline and the bar agree on a resumed run too.
  const chunkCount = state.chunks.size;
  const before = chunkCount - total;
  progress({ done, total, embedded: before, chunkCount, rate: 0, etaSeconds: null });
  for (const batch of pending) {
    if (signal.aborted) throw new CancelledError(`Indexing was cancelled after ${done} of ${total} chunks; it resumes from there.`);
    // Chunks removed since the run started (here or in another tab) are not embedded.
    const current = batch.filter((c) => state.chunks.has(c.id) && !state.embedded.has(c.id));
    if (current.length) {
      const { dim, vectors } = await state.embedder.embed(
        current.map((c) => c.text),
        { signal, batchSize: INDEX_BATCH },
      );
      // NOTE: the repo stores only rows of chunks that still exist, checked in the transaction that stores them.
      await state.exclusive('write', async () => {
        const record = await state.repo.putVectors({ articlePaths: [batch[0].articlePath], modelKey, chunkIds: current.map((c) => c.id), dim, vectors });
        const ids = (record?.chunkIds ?? []).filter((id) => state.chunks.has(id));
        if (record && ids.length === record.chunkIds.length) state.retriever.addVectors(ids, record.vectors, dim);
        else if (ids.length) state.retriever.addVectors(ids, rowsOf(record!, ids), dim);
        ids.forEach((id) => state.embedded.add(id));
      });
    }
    state.embeddedThisSession += current.length;
    done += batch.length;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    progress({ done, total, embedded: before + done, chunkCount, rate, etaSeconds: rate > 0 ? (total - done) / rate : null });
  }
  if (total > 0) await state.exclusive('write', () => state.repo.compactVectors(modelKey));
}

/** The rows of `ids` (a subset of the record's, in its order) from a stored record. */
function rowsOf(record: { chunkIds: string[]; dim: number; vectors: Float32Array }, ids: string[]): Float32Array {
  const { dim } = record;
  const wanted = new Set(ids);
  const rows = record.chunkIds.flatMap((id, row) => (wanted.has(id) ? [row] : []));
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => out.set(record.vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  return out;
}

/** Groups chunks by article, at most INDEX_BATCH per group, so vectors are stored per article. */
function batches(chunks: Chunk[]): Chunk[][] {
  const byArticle = new Map<string, Chunk[]>();
  for (const chunk of chunks) {
    const list = byArticle.get(chunk.articlePath) ?? [];
    list.push(chunk);
    byArticle.set(chunk.articlePath, list);
  }
  const out: Chunk[][] = [];
  for (const list of byArticle.values()) {
    list.sort((a, b) => a.index - b.index);
    for (let i = 0; i < list.length; i += INDEX_BATCH) out.push(list.slice(i, i + INDEX_BATCH));
  }
  return out;
}
