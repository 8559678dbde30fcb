// Search over the corpus in the worker: lexical needs nothing; dense and hybrid embed the query
// with the model whose vectors are stored.
import { NotReadyError } from '../../core/errors';
import type { CorpusState } from './corpus-state';
import type { CorpusApi, SearchResponse } from './protocol';

export async function search(state: CorpusState, { query, mode, k }: CorpusApi['search']['params']): Promise<SearchResponse> {
  let queryVector: Float32Array | undefined;
  let embedMs = 0;
  if (mode !== 'lexical') {
    if (!state.embedder.model) throw new NotReadyError(`${mode} search needs the embedding model: load it first (the index itself is stored), or search in lexical mode.`);
    if (state.conflict) throw new NotReadyError(`The stored vectors belong to ${state.storedEmbedder?.label}: re-embed with ${state.embedder.model.label} or load that model.`);
    if (state.embedded.size === 0) throw new NotReadyError('No chunk has been embedded yet: index the corpus first, or search in lexical mode.');
    const started = performance.now();
    queryVector = (await state.embedder.embed([query])).vectors;
    embedMs = performance.now() - started;
  }
  const started = performance.now();
  const hits = state.retriever.search(query, mode, k, queryVector);
  const searchMs = performance.now() - started;
  return {
    mode,
    engine: mode === 'lexical' ? null : state.retriever.engineStatus(),
    searchMs,
    embedMs,
    hits: hits.flatMap((hit) => {
      const chunk = state.chunks.get(hit.chunkId);
      if (!chunk) return [];
      return [{ ...hit, chunk, articleTitle: state.articles.get(chunk.articlePath)?.title ?? chunk.articlePath }];
    }),
  };
}
