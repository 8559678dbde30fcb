// Building a RAFT dataset from the corpus in the worker: hard-negative candidates from the chosen
// retriever, then the pure builder, then the export files. The CLI runs this same code in-process.
import type { Chunk } from '../../core/corpus/types';
import { datasetFiles } from '../../core/formats/dataset-files';
import { NotReadyError } from '../../core/errors';
import { buildExamples, type BuildCorpus, type Candidates, type RaftPair } from '../../core/raft/build';
import { cotForBuild } from '../../core/raft/cot';
import type { RaftParams } from '../../core/raft/types';
import { dot } from '../../core/retrieval/vector-math';
import type { CorpusState } from './corpus-state';
import type { BuildDatasetParams, BuiltDataset } from './protocol';
import { manifestSplit } from './questions';

export async function buildDataset(state: CorpusState, input: BuildDatasetParams): Promise<BuiltDataset> {
  const { params } = input;
  const chunks = [...state.chunks.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byArticle = new Map<string, string[]>();
  for (const c of chunks) byArticle.set(c.articlePath, [...(byArticle.get(c.articlePath) ?? []), c.id]);
  const corpus: BuildCorpus = {
    chunk: (id) => state.chunks.get(id),
    articleTitle: (path) => state.articles.get(path)?.title ?? path,
    chunkIdsOfArticle: (path) => byArticle.get(path) ?? [],
    allChunkIds: chunks.map((c) => c.id),
  };
  const candidates = await candidateFinder(state, input.pairs, params);
  const built = buildExamples(input.pairs, corpus, candidates, params);
  const { examples, tasks, templateAnswers } = cotForBuild(built, input.cot, (id) => state.chunks.get(id)?.text ?? '');
  // NOTE: the embedder counts when its tokenizer chunked the corpus, even for lexical distractors.
  const embedder = state.storedEmbedder && (params.retrievalMode !== 'lexical' || state.chunkTokenizer === state.storedEmbedder.key) ? state.storedEmbedder.label : null;
  const files = datasetFiles({
    examples,
    pairs: input.pairs,
    format: input.format,
    params,
    template: input.template,
    models: { embedder, generator: input.generator ?? null },
    chunks: chunks as Chunk[],
    split: await manifestSplit(state, input.pairs),
    chunking: { options: state.settings.chunking, tokenizer: state.chunkTokenizer },
    cot: input.cot && { source: input.cot.source, model: input.cot.model, settings: input.cot.settings },
  });
  return { examples, files, cotTasks: tasks, templateAnswers };
}

/** Ranks enough candidates per question to fill k hard negatives after excluding the oracle's article. */
async function candidateFinder(state: CorpusState, pairs: RaftPair[], params: RaftParams): Promise<(pair: RaftPair) => Candidates> {
  const depth = Math.max(params.distractors * 4 + 8, 16) + (params.excludeOracleArticle ? 32 : 0);
  const vectors = new Map<string, Float32Array>();
  if (params.retrievalMode !== 'lexical') {
    if (!state.embedder.model || state.conflict) throw new NotReadyError(`${params.retrievalMode} distractors need the embedding model of the index: load it, or use lexical.`);
    const { dim, vectors: all } = await state.embedder.embed(pairs.map((p) => p.question), { batchSize: 32 });
    pairs.forEach((p, i) => vectors.set(p.id, all.slice(i * dim, (i + 1) * dim)));
  }
  return (pair) => {
    const queryVector = vectors.get(pair.id);
    const ranked = state.retriever.search(pair.question, params.retrievalMode, depth, queryVector).map((h) => ({ chunkId: h.chunkId, score: h.score }));
    const scoreOf = queryVector
      ? (id: string) => {
          const vector = state.retriever.vectorOf(id);
          return vector ? dot(queryVector, vector) : null;
        }
      : undefined;
    return { ranked, scoreOf };
  };
}
