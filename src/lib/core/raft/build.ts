// The RAFT example builder: pure, seeded, and unit-tested. For each question: its oracle chunk(s)
// plus k distractors (hard negatives from a retriever, random chunks, or a mix); in a fraction 1-P
// the oracle is left out and replaced by another distractor; documents are shuffled; the answer
// quotes the oracle verbatim. Unlike the reference script, the no-oracle branch never duplicates a
// distractor and quotes nothing that is not in the context, and no distractor holds the answer, the oracle's
// quote or a near-copy of the oracle (`distractor-check.ts`): such candidates are skipped and recorded.
import type { Chunk } from '../corpus/types';
import { formatHeadingPath } from '../chunking/types';
import { hash } from '../hash';
import type { QAPair } from '../questions/types';
import { createRng, type Rng } from '../rng';
import { chooseQuote } from './quote';
import { locateQuotes, extractQuotes, neutraliseMarkers, parseFinalAnswer, writeCotAnswer, writeNoOracleAnswer } from './answer-format';
import { distractorCheck, holdsAnswer, type SkipReason } from './distractor-check';
import type { RaftDocument, RaftExample, RaftParams, SkippedDistractor } from './types';

/** A question/answer pair with its resolved oracle chunk(s): the part of a QAPair the builder reads. */
export type RaftPair = Pick<QAPair, 'id' | 'question' | 'answer' | 'oracleChunkIds' | 'quote' | 'split'>;

/** Read access to the corpus; `allChunkIds` in a stable order (determinism depends on it). */
export interface BuildCorpus {
  chunk(id: string): Chunk | undefined;
  articleTitle(path: string): string;
  chunkIdsOfArticle(path: string): string[];
  allChunkIds: readonly string[];
}

/** A retriever's ranking for one question, best first, and optionally a scorer for any chunk. */
export interface Candidates {
  ranked: { chunkId: string; score: number }[];
  scoreOf?: (chunkId: string) => number | null;
}

export function buildExamples(pairs: RaftPair[], corpus: BuildCorpus, candidates: (pair: RaftPair) => Candidates, params: RaftParams): RaftExample[] {
  const root = createRng(params.seed);
  return pairs.filter((p) => p.oracleChunkIds.length > 0).map((pair) => buildExample(pair, corpus, candidates(pair), params, root.fork(pair.id)));
}

export function buildExample(pair: RaftPair, corpus: BuildCorpus, candidates: Candidates, params: RaftParams, rng: Rng): RaftExample {
  const problems: string[] = [];
  const oracles = pair.oracleChunkIds.map((id) => corpus.chunk(id)).filter((c): c is Chunk => !!c);
  if (oracles.length < pair.oracleChunkIds.length) problems.push('an oracle chunk no longer exists in the corpus');
  // 1. Keep the oracle with probability P (one draw per example, always made, so k does not shift it).
  const keepOracle = rng.next() < params.pOracle && oracles.length > 0;
  // 2. Exclude the oracles (and optionally their articles) from the distractors.
  const excluded = new Set(pair.oracleChunkIds);
  if (params.excludeOracleArticle) for (const o of oracles) corpus.chunkIdsOfArticle(o.articlePath).forEach((id) => excluded.add(id));
  const needed = params.distractors + (keepOracle ? 0 : oracles.length);
  const hardWanted = params.strategy === 'hard' ? needed : params.strategy === 'random' ? 0 : Math.min(params.hardCount, needed);
  // 3. A candidate that holds the answer, the quote or a near-copy of the oracle is no distractor: skip it, say so.
  // Without the oracle, an answer of any length counts (the target says the answer's passage is absent).
  const quote = oracles.length ? chooseQuote(oracles[0].text, pair.quote, pair.answer, pair.question) : '';
  const check = distractorCheck({ answer: pair.answer, quotes: [quote, pair.quote ?? ''], oracleTexts: oracles.map((o) => o.text) }, { anyLength: !keepOracle });
  const skipped = new Map<string, SkipReason>();
  const usable = (chunk: Chunk): boolean => {
    const reason = skipped.get(chunk.id) ?? check(chunk.text);
    if (reason) skipped.set(chunk.id, reason);
    return reason === null;
  };
  // 4. Hard negatives in retriever order, then random chunks for the rest.
  const chosen: RaftDocument[] = [];
  const taken = new Set<string>();
  candidates.ranked.forEach((candidate, index) => {
    if (chosen.length >= hardWanted || excluded.has(candidate.chunkId) || taken.has(candidate.chunkId)) return;
    const chunk = corpus.chunk(candidate.chunkId);
    if (!chunk || !usable(chunk)) return;
    taken.add(chunk.id);
    chosen.push(toDocument(chunk, corpus, 'distractor', 'hard', candidate.score, index + 1));
  });
  const skipRandom = (id: string) => {
    const chunk = excluded.has(id) || taken.has(id) ? undefined : corpus.chunk(id);
    return !chunk || !usable(chunk);
  };
  for (const id of sampleExcluding(corpus.allChunkIds, needed - chosen.length, skipRandom, rng)) {
    taken.add(id);
    chosen.push(toDocument(corpus.chunk(id)!, corpus, 'distractor', 'random', candidates.scoreOf?.(id) ?? null, null));
  }
  const skippedDistractors: SkippedDistractor[] = [...skipped].map(([chunkId, reason]) => {
    const chunk = corpus.chunk(chunkId)!;
    return { chunkId, title: corpus.articleTitle(chunk.articlePath), headingPath: chunk.headingPath, reason };
  });
  if (chosen.length < needed) problems.push(`only ${chosen.length} of ${needed} distractors were available${skipped.size ? ` (${skipped.size} left out for holding the answer, the quote or a copy of the oracle)` : ''}`);
  // 5. Shuffle, and record where the oracle landed.
  const documents = rng.shuffle([...(keepOracle ? oracles.map((o) => toDocument(o, corpus, 'oracle', 'oracle', candidates.scoreOf?.(o.id) ?? null, null)) : []), ...chosen]);
  const oraclePositions = documents.flatMap((d, i) => (d.role === 'oracle' ? [i] : []));
  // 6. The chain-of-thought answer quotes the oracle verbatim, or nothing when it was left out.
  let cotAnswer: string;
  if (keepOracle) {
    const oracle = oracles[0];
    const label = [corpus.articleTitle(oracle.articlePath), formatHeadingPath(oracle.headingPath.slice(1))].filter(Boolean).join(' › ');
    cotAnswer = writeCotAnswer({ sourceLabel: label, quote, answer: pair.answer });
  } else {
    cotAnswer = writeNoOracleAnswer(pair.answer);
  }
  const quotes = locateQuotes(extractQuotes(cotAnswer), shownTexts(documents));
  problems.push(...validateAnswer(cotAnswer, quotes), ...markerProblems(cotAnswer, keepOracle ? quote : null, pair.answer));
  if (!keepOracle) problems.push(...validateNoOracle(documents, pair.answer));
  return {
    id: `ex_${hash(`${pair.id}|${params.seed}`)}`,
    pairId: pair.id,
    question: pair.question,
    answer: pair.answer,
    split: pair.split === 'test' ? 'test' : 'train',
    documents,
    oraclePresent: keepOracle,
    oraclePositions,
    oracleChunkIds: [...pair.oracleChunkIds],
    cotAnswer,
    quotes,
    problems,
    skippedDistractors,
  };
}

/** The documents' texts as every prompt shows them (marker text neutralised): what quotes are checked against. */
export function shownTexts(documents: readonly Pick<RaftDocument, 'text'>[]): string[] {
  return documents.map((d) => neutraliseMarkers(d.text));
}

/**
 * What the template's answer could not keep safe: its quote or final answer reads back differently from what was
 * written (marker text cut at the edge of the quote, e.g. a quote ending in `##end_quote#`). Such an example is flagged.
 */
function markerProblems(cotAnswer: string, quote: string | null, answer: string): string[] {
  const problems: string[] = [];
  if (quote !== null && extractQuotes(cotAnswer)[0] !== neutraliseMarkers(quote).trim()) problems.push('the quote holds marker-like text (##end_quote##, <ANSWER>:…) that the answer cannot carry safely');
  const final = neutraliseMarkers(answer).replace(/^[\s*_]+|[\s*_]+$/g, '');
  if (final && parseFinalAnswer(cotAnswer) !== final) problems.push('the answer holds marker-like text (<ANSWER>:, </ANSWER>…) that reads back as another final answer');
  return problems;
}

/** Problems of an answer: quotes not found verbatim in any document (as shown), or no final answer. */
export function validateAnswer(cotAnswer: string, quotes: { text: string; documentIndex: number | null }[]): string[] {
  const problems = quotes.filter((q) => q.documentIndex === null).map((q) => `quote not found verbatim in any document: "${q.text.slice(0, 80)}"`);
  if (parseFinalAnswer(cotAnswer) === null) problems.push('the answer has no "<ANSWER>:" line');
  return problems;
}

/**
 * Problems of an example without its oracle: a document that still holds the reference answer (any length, after
 * normalising), which would make its target ("the documents do not include the passage this answer comes from",
 * `writeNoOracleAnswer`) teach the model to overlook a document that answers. The builder skips such candidates, so
 * this fires only when something else put one there.
 */
export function validateNoOracle(documents: Pick<RaftDocument, 'text' | 'title'>[], answer: string): string[] {
  return documents.flatMap((d, i) => (holdsAnswer(d.text, answer, { anyLength: true }) ? [`the oracle was left out but document ${i + 1} ("${d.title}") still holds the answer`] : []));
}

function toDocument(
  chunk: Chunk,
  corpus: BuildCorpus,
  role: RaftDocument['role'],
  source: RaftDocument['source'],
  similarity: number | null,
  rank: number | null,
): RaftDocument {
  return { chunkId: chunk.id, articlePath: chunk.articlePath, title: corpus.articleTitle(chunk.articlePath), headingPath: chunk.headingPath, text: chunk.text, role, source, similarity, rank };
}

/** `count` distinct ids not rejected by `skip`, by rejection sampling (the corpus is usually far larger than k). */
function sampleExcluding(ids: readonly string[], count: number, skip: (id: string) => boolean, rng: Rng): string[] {
  const out: string[] = [];
  const picked = new Set<string>();
  let attempts = 0;
  while (out.length < count && attempts < count * 50) {
    attempts++;
    const id = ids[rng.int(ids.length)];
    if (id === undefined || skip(id) || picked.has(id)) continue;
    picked.add(id);
    out.push(id);
  }
  if (out.length < count) {
    // Small or crowded corpus: fall back to a seeded shuffle of what is left.
    const rest = rng.shuffle(ids.filter((id) => !skip(id) && !picked.has(id)));
    out.push(...rest.slice(0, count - out.length));
  }
  return out;
}
