// Dataset build: 1,000 questions × 4 distractors over 10k chunks, as the corpus worker builds it
// (src/lib/workers/corpus/dataset.ts): hard-negative candidates from BM25, the pure RAFT builder, then
// the export files. Question embedding is excluded (lexical mode needs none). On the synthetic wiki
// (~100 distinct words) every query term's postings cover most chunks, BM25's worst case; the same
// build over a Zipf-vocabulary corpus shows a vocabulary like real prose.
import { approximateTokenCount, chunkArticle, type Chunk } from '../../src/lib/core/chunking';
import { datasetFiles } from '../../src/lib/core/formats/dataset-files';
import { parseArticle } from '../../src/lib/core/markdown';
import { buildExamples, type BuildCorpus, type Candidates, type RaftPair } from '../../src/lib/core/raft/build';
import { DEFAULT_TEMPLATE } from '../../src/lib/core/raft/prompt';
import { DEFAULT_RAFT_PARAMS, type RaftExample } from '../../src/lib/core/raft/types';
import { Bm25Index } from '../../src/lib/core/retrieval/bm25';
import { createRng } from '../../src/lib/core/rng';
import type { BenchContext } from '../context';
import { figure, summarize, type Figure } from '../harness';
import { wikiOfBytes, zipfWiki } from '../support/corpus';

const MB = 2 ** 20;
/** Chunks per MB of synthetic wiki at the default chunk options (measured). */
const CHUNKS_PER_MB = 1600;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const chunkCount = ctx.quick ? 2_000 : 10_000;
  const questionCount = ctx.quick ? 200 : 1_000;
  const params = { ...DEFAULT_RAFT_PARAMS, distractors: 4, strategy: 'hard' as const, retrievalMode: 'lexical' as const };
  // 1. The corpus and its lexical index, as the app holds them before a build (untimed set-up).
  ctx.log(`chunking a wiki into ${chunkCount} chunks`);
  const { chunks, titles } = corpusOf(chunkCount, 'synthetic');
  const corpus = buildCorpus(chunks, titles);
  const bm25 = new Bm25Index();
  const indexStart = performance.now();
  for (const c of chunks) bm25.add(c.id, c.text);
  const indexMs = performance.now() - indexStart;
  const pairs = questionsFor(chunks, questionCount);
  // NOTE: the same candidate depth as candidateFinder in src/lib/workers/corpus/dataset.ts.
  const depth = Math.max(params.distractors * 4 + 8, 16) + (params.excludeOracleArticle ? 32 : 0);

  // 2. The three steps, timed one after the other in each repeat (the first round is a warm-up).
  const repeats = ctx.quick ? 2 : 5;
  ctx.log(`${questionCount} questions × ${params.distractors} distractors`);
  const times = { retrieval: [] as number[], builder: [] as number[], exporting: [] as number[], total: [] as number[] };
  let examples: RaftExample[] = [];
  let bytes = 0;
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    const candidates = new Map<string, Candidates>(
      pairs.map((p) => [p.id, { ranked: bm25.search(p.question, depth).map((h) => ({ chunkId: h.chunkId, score: h.score })) }]),
    );
    const t1 = performance.now();
    examples = buildExamples(pairs, corpus, (p) => candidates.get(p.id)!, params);
    const t2 = performance.now();
    const files = datasetFiles({ examples, format: 'gorilla', pairs, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks });
    const t3 = performance.now();
    bytes = Object.values(files).reduce((n, text) => n + Buffer.byteLength(text), 0);
    if (r === 0) continue;
    times.retrieval.push(t1 - t0);
    times.builder.push(t2 - t1);
    times.exporting.push(t3 - t2);
    times.total.push(t3 - t0);
  }
  const label = `${questionCount} q × ${params.distractors} over ${chunkCount / 1000}k chunks`;
  const zipf = await zipfBuild(ctx, chunkCount, questionCount, params, depth, repeats);
  return [
    figure(`BM25 index of the chunks (exists before a build), ${chunkCount / 1000}k`, 'ms', summarize([indexMs]), { note: 'not part of the build' }),
    figure(`lexical candidates (top ${depth} per question), ${label}`, 'ms', summarize(times.retrieval), { note: 'synthetic wiki: ~100-word vocabulary, BM25’s worst case' }),
    figure(`RAFT builder (buildExamples), ${label}`, 'ms', summarize(times.builder), { note: `${examples.filter((e) => e.problems.length).length} examples with problems` }),
    figure(`export serialisation (datasetFiles, gorilla), ${label}`, 'ms', summarize(times.exporting), { note: `${(bytes / MB).toFixed(1)} MB of files` }),
    figure(`dataset build total, ${label}`, 'ms', summarize(times.total), {
      target: ctx.quick ? undefined : { text: '< 2 s', atMost: 2000 },
    }),
    figure(`builder + export only, ${label}`, 'ms', summarize(times.builder.map((t, i) => t + times.exporting[i]))),
    figure(`Zipf vocabulary: lexical candidates, ${label}`, 'ms', summarize(zipf.retrieval), { note: '50k distinct words, as in real prose' }),
    figure(`Zipf vocabulary: dataset build total, ${label}`, 'ms', summarize(zipf.total), {
      target: ctx.quick ? undefined : { text: '< 2 s', atMost: 2000 },
    }),
  ];
}

/** Candidates + builder + export over a Zipf-vocabulary corpus of the same size. */
async function zipfBuild(
  ctx: BenchContext,
  chunkCount: number,
  questionCount: number,
  params: typeof DEFAULT_RAFT_PARAMS,
  depth: number,
  repeats: number,
): Promise<{ retrieval: number[]; total: number[] }> {
  ctx.log(`Zipf vocabulary: ${chunkCount} chunks, ${questionCount} questions`);
  const { chunks, titles } = corpusOf(chunkCount, 'zipf');
  const corpus = buildCorpus(chunks, titles);
  const bm25 = new Bm25Index();
  for (const c of chunks) bm25.add(c.id, c.text);
  const pairs = questionsFor(chunks, questionCount);
  const out = { retrieval: [] as number[], total: [] as number[] };
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    const candidates = new Map<string, Candidates>(pairs.map((p) => [p.id, { ranked: bm25.search(p.question, depth).map((h) => ({ chunkId: h.chunkId, score: h.score })) }]));
    const t1 = performance.now();
    const examples = buildExamples(pairs, corpus, (p) => candidates.get(p.id)!, params);
    datasetFiles({ examples, format: 'gorilla', pairs, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks });
    const t2 = performance.now();
    if (r === 0) continue;
    out.retrieval.push(t1 - t0);
    out.total.push(t2 - t0);
  }
  return out;
}

function corpusOf(count: number, kind: 'synthetic' | 'zipf'): { chunks: Chunk[]; titles: Map<string, string> } {
  const bytes = (count / CHUNKS_PER_MB) * MB * 1.1;
  // NOTE: long pseudo-words count as several tokens, so the Zipf corpus gives more chunks per MB (about 2,400).
  const { files } = kind === 'synthetic' ? wikiOfBytes(bytes) : zipfWiki(bytes);
  const chunks: Chunk[] = [];
  const titles = new Map<string, string>();
  for (const file of files) {
    if (chunks.length >= count) break;
    const article = parseArticle(file.path, file.text);
    titles.set(article.path, article.title);
    chunks.push(...chunkArticle(article, {}, approximateTokenCount));
  }
  if (chunks.length < count) throw new Error(`the ${kind} corpus gave ${chunks.length} chunks, fewer than ${count}: generate more text`);
  return { chunks: chunks.slice(0, count), titles };
}

/** As buildDataset does: chunks in id order, grouped by article. */
function buildCorpus(chunks: Chunk[], titles: Map<string, string>): BuildCorpus {
  const sorted = [...chunks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(sorted.map((c) => [c.id, c]));
  const byArticle = new Map<string, string[]>();
  for (const c of sorted) byArticle.set(c.articlePath, [...(byArticle.get(c.articlePath) ?? []), c.id]);
  return {
    chunk: (id) => byId.get(id),
    articleTitle: (path) => titles.get(path) ?? path,
    chunkIdsOfArticle: (path) => byArticle.get(path) ?? [],
    allChunkIds: sorted.map((c) => c.id),
  };
}

/** One question per random chunk: a few of its words as the question, one of its sentences as answer and quote. */
function questionsFor(chunks: Chunk[], count: number): RaftPair[] {
  const rng = createRng(11);
  return Array.from({ length: count }, (_, i) => {
    const chunk = chunks[rng.int(chunks.length)];
    const sentences = chunk.text.split('\n').slice(1).join(' ').split(/(?<=\.)\s+/).filter((s) => s.split(' ').length >= 6);
    const sentence = sentences.length ? sentences[rng.int(sentences.length)] : chunk.text.slice(0, 120);
    const words = sentence.split(' ');
    return {
      id: `q${i}`,
      question: `What does the guide say about ${words.slice(1, 6).join(' ').toLowerCase()}?`,
      answer: sentence,
      quote: sentence,
      oracleChunkIds: [chunk.id],
      split: i % 5 === 0 ? 'test' : 'train',
    };
  });
}
