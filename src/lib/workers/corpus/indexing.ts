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
  const pending = batches([...state.chunks.values()].filter((c) => !state.embedded.has(c.id)));
  const total = pending.reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  let done = 0;
  progress({ done, total, rate: 0, etaSeconds: null });
  for (const batch of pending) {
    if (signal.aborted) throw new CancelledError(`Indexing was cancelled after ${done} of ${total} chunks; it resumes from there.`);
    const { dim, vectors } = await state.embedder.embed(
      batch.map((c) => c.text),
      { signal, batchSize: INDEX_BATCH },
    );
    // The chunk may have been removed while it was being embedded.
    const live = batch.map((c, row) => ({ c, row })).filter(({ c }) => state.chunks.has(c.id));
    const rows = new Float32Array(live.length * dim);
    live.forEach(({ row }, i) => rows.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
    const ids = live.map(({ c }) => c.id);
    if (ids.length) {
      await state.repo.putVectors({ articlePaths: [batch[0].articlePath], modelKey, chunkIds: ids, dim, vectors: rows });
      state.retriever.addVectors(ids, rows, dim);
      ids.forEach((id) => state.embedded.add(id));
    }
    state.embeddedThisSession += batch.length;
    done += batch.length;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    progress({ done, total, rate, etaSeconds: rate > 0 ? (total - done) / rate : null });
  }
  if (total > 0) await state.repo.compactVectors(modelKey);
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
