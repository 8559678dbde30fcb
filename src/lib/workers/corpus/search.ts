// Search over the corpus in the worker: lexical needs nothing; dense and hybrid embed the query
// with the model whose vectors are stored.
import type { ContextParams, ContextResponse, SearchResponse } from '../../core/corpus/reports';
import { NotReadyError } from '../../core/errors';
import { assembleCheckedContext, checkedSlots, retrievalDepth, type CandidateChunk } from '../../core/inference/context';
import type { Chunk } from '../../core/corpus/types';
import { distractorCheck } from '../../core/raft/distractor-check';
import { chooseQuote } from '../../core/raft/quote';
import type { CorpusState } from './corpus-state';
import type { CorpusApi } from './protocol';

export async function search(state: CorpusState, { query, mode, k }: CorpusApi['search']['params']): Promise<SearchResponse> {
  const { queryVector, embedMs } = await embedQuery(state, query, mode);
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
      return [{ ...hit, chunk, articleTitle: articleTitle(state, chunk) }];
    }),
  };
}

/**
 * Retrieval for one question, then the oracle handling of `assembleCheckedContext`: with a known oracle or answer,
 * the extra distractors (every document when the oracle is removed) follow the RAFT builder's distractor rule.
 */
export async function retrieveContext(state: CorpusState, { question, mode, options, oracleChunkIds, answer, quote }: ContextParams): Promise<ContextResponse> {
  const oracles = oracleChunkIds.flatMap((id) => {
    const chunk = state.chunks.get(id);
    return chunk ? [candidate(state, chunk, null, null)] : [];
  });
  const depth = retrievalDepth(options, oracles.length);
  // With a known oracle or answer, every document is checked: added ones are passed over when they hold the answer,
  // the top k are kept as retrieved but marked `answerBearing`, so quoting them does not count as distracted.
  const checked = depth > 0 && (oracles.length > 0 || !!answer?.trim());
  // Deeper by the checked slots, so a skipped candidate has a successor; `ranking` (recall, MRR) keeps `depth`.
  const searchDepth = checked ? depth + checkedSlots(options) : depth;
  const { queryVector, embedMs } = depth > 0 ? await embedQuery(state, question, mode) : { queryVector: undefined, embedMs: 0 };
  const started = performance.now();
  const hits = depth > 0 ? state.retriever.search(question, mode, searchDepth, queryVector) : [];
  const searchMs = performance.now() - started;
  const ranked = hits.flatMap((hit) => {
    const chunk = state.chunks.get(hit.chunkId);
    return chunk ? [{ ...candidate(state, chunk, hit.score, hit.rank), ...(hit.fused ? { fused: hit.fused } : {}) }] : [];
  });
  // Answers of 3+ words only, as in the builder's examples that keep their oracle: no target here to keep truthful.
  const check = checked ? distractorCheck(contextEvidence(oracles, question, answer ?? '', quote)) : () => null;
  const { documents, skipped } = assembleCheckedContext(ranked, oracles, options, (c) => check(c.text));
  const ranking = ranked.slice(0, depth);
  return {
    documents,
    skipped,
    ranking: ranking.map((c) => c.chunkId),
    rankingArticles: ranking.map((c) => c.articlePath),
    mode,
    searchMs,
    embedMs,
  };
}

/** What an added distractor must not hold: the answer, the quote the builder would take from the oracle, the pair's own quote, the oracle. */
function contextEvidence(oracles: CandidateChunk[], question: string, answer: string, quote: string | undefined) {
  const chosen = oracles.length && answer.trim() ? chooseQuote(oracles[0].text, quote, answer, question) : '';
  return { answer, quotes: [chosen, quote ?? ''], oracleTexts: oracles.map((o) => o.text) };
}

function candidate(state: CorpusState, chunk: Chunk, score: number | null, rank: number | null): CandidateChunk {
  return { chunkId: chunk.id, articlePath: chunk.articlePath, title: articleTitle(state, chunk), headingPath: chunk.headingPath, text: chunk.text, score, rank };
}

function articleTitle(state: CorpusState, chunk: Chunk): string {
  return state.articles.get(chunk.articlePath)?.title ?? chunk.articlePath;
}

async function embedQuery(state: CorpusState, query: string, mode: ContextParams['mode']): Promise<{ queryVector?: Float32Array; embedMs: number }> {
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
  return { queryVector, embedMs };
}
