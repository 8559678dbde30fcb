// Ties raw import rows to oracle chunks of the corpus, and marks pairs whose oracle chunks have disappeared.
// Nothing is dropped: a row that cannot be tied becomes an 'unresolved' pair whose `problem` says why.
import { terms } from '../retrieval/lexical-terms';
import { createArticleMatcher, type ArticleRef } from './article-match';
import { locateQuote, type QuestionChunk, type QuoteLevel } from './locate-quote';
import { oracleKey, pairId, type PairOrigin, type QAPair, type RawQuestionRow } from './types';

/** The corpus as resolution sees it. */
export interface QuestionCorpus {
  articles: readonly ArticleRef[];
  chunks: readonly QuestionChunk[];
}

/** How the oracle was found: given chunk ids, a quote (see {@link QuoteLevel}), or the answer's word overlap. */
export type MatchLevel = 'chunk-id' | QuoteLevel | 'best-overlap';

/** Where a row's answer lies, or why that could not be told. */
export type Outcome =
  | { ok: true; chunkIds: string[]; level: MatchLevel; share?: number; crossesBoundary?: boolean; exactQuote?: string; note?: string }
  | { ok: false; problem: string; chunkIds: string[] };

/** A resolved or unresolved pair, and how its oracle was found. */
export interface Resolution {
  pair: QAPair;
  level?: MatchLevel;
  /** Share of the quote's words the oracle holds (quote levels only). */
  share?: number;
  crossesBoundary?: boolean;
  /** Something the user may want to know about a resolved pair, e.g. a stale chunk id resolved through the article. */
  note?: string;
}

/** What a pair records besides the row: when, from where, and by what means it was made. */
export interface ResolveOptions {
  /** Timestamp for createdAt/updatedAt, in ms. */
  now: number;
  /** Default 'imported'. */
  origin?: PairOrigin;
  /** File name, kept in `source`. */
  file?: string;
}

/** Builds the lookups once; the returned function resolves one row. */
export function createResolver(corpus: QuestionCorpus): (row: RawQuestionRow) => Outcome {
  const matchArticle = createArticleMatcher(corpus.articles);
  const chunkById = new Map(corpus.chunks.map((c) => [c.id, c]));
  const chunksOf = new Map<string, QuestionChunk[]>();
  for (const chunk of corpus.chunks) {
    const list = chunksOf.get(chunk.articlePath);
    if (list) list.push(chunk);
    else chunksOf.set(chunk.articlePath, [chunk]);
  }

  const byArticle = (row: RawQuestionRow, article: string): Outcome => {
    const found = matchArticle(article);
    if (found.kind === 'none') return { ok: false, problem: `no article matches "${article}"`, chunkIds: [] };
    if (found.kind === 'ambiguous') {
      return { ok: false, problem: `"${article}" matches ${found.candidates.length} articles: ${found.candidates.join(', ')}; give the path`, chunkIds: [] };
    }
    const chunks = chunksOf.get(found.path) ?? [];
    if (chunks.length === 0) return { ok: false, problem: `article ${found.path} has no chunks`, chunkIds: [] };
    if (row.quote) return byQuote(row.quote, found.path, chunks);
    if (row.answer) return byOverlap(`${row.question} ${row.answer}`, found.path, chunks);
    return { ok: false, problem: `article ${found.path} given without a quote: pick the chunk`, chunkIds: [] };
  };

  return (row) => {
    if (row.chunkIds && row.chunkIds.length > 0) {
      const unknown = row.chunkIds.filter((id) => !chunkById.has(id));
      if (unknown.length === 0) return { ok: true, chunkIds: row.chunkIds, level: 'chunk-id' };
      const problem = `unknown chunk id ${unknown.join(', ')}`;
      const viaArticle = row.article ? byArticle(row, row.article) : null;
      if (viaArticle?.ok) return { ...viaArticle, note: `${problem}; resolved through the article instead` };
      return { ok: false, problem, chunkIds: row.chunkIds.filter((id) => chunkById.has(id)) };
    }
    if (row.article) return byArticle(row, row.article);
    return { ok: false, problem: 'no chunk_id or article given: pick the chunk', chunkIds: [] };
  };
}

function byQuote(quote: string, path: string, chunks: readonly QuestionChunk[]): Outcome {
  const found = locateQuote(quote, chunks);
  if ('chunkIds' in found) {
    const { chunkIds, level, share, crossesBoundary, exact } = found;
    return { ok: true, chunkIds, level, share, crossesBoundary, exactQuote: exact };
  }
  const closest = found.closest;
  const hint = closest && closest.share > 0 ? ` (closest: ${Math.round(closest.share * 100)}% of its words, in "${closest.chunk.headingPath.join(' › ') || path}")` : '';
  return { ok: false, problem: `quote not found in ${path}${hint}: fix the quote or pick the chunk`, chunkIds: [] };
}

/** The chunk sharing the most question and answer words, each weighted by how rare it is among the article's chunks. */
function byOverlap(query: string, path: string, chunks: readonly QuestionChunk[]): Outcome {
  const wanted = new Set(terms(query));
  const chunkTerms = chunks.map((c) => new Set(terms(c.text)));
  const weight = new Map<string, number>();
  for (const term of wanted) {
    const df = chunkTerms.filter((set) => set.has(term)).length;
    if (df > 0) weight.set(term, Math.log(1 + chunks.length / df));
  }
  let best: QuestionChunk | null = null;
  let bestScore = 0;
  for (let k = 0; k < chunks.length; k++) {
    let score = 0;
    for (const [term, w] of weight) if (chunkTerms[k].has(term)) score += w;
    if (score > bestScore || (score === bestScore && best && chunks[k].index < best.index)) [best, bestScore] = [chunks[k], score];
  }
  if (!best) return { ok: false, problem: `no chunk of ${path} shares a word with the question and answer: pick the chunk`, chunkIds: [] };
  return { ok: true, chunkIds: [best.id], level: 'best-overlap' };
}

/** Resolves every row into a pair, in input order: 'ok' with its oracle chunk ids, or 'unresolved' with a problem. */
export function resolveRows(rows: readonly RawQuestionRow[], corpus: QuestionCorpus, options: ResolveOptions): Resolution[] {
  const resolve = createResolver(corpus);
  return rows.map((row) => {
    const outcome = resolve(row);
    const pair: QAPair = {
      id: pairId(row.question, oracleKey(row)),
      question: row.question,
      answer: row.answer ?? '',
      oracleChunkIds: outcome.chunkIds,
      split: row.split ?? 'unassigned',
      tags: row.tags,
      origin: options.origin ?? 'imported',
      status: outcome.ok ? 'ok' : 'unresolved',
      source: { file: options.file, line: row.line, article: row.article },
      createdAt: options.now,
      updatedAt: options.now,
    };
    const quote = (outcome.ok && outcome.exactQuote) || row.quote;
    if (quote) pair.quote = quote;
    if (row.feedback) pair.feedback = row.feedback;
    if (!outcome.ok) return { pair: { ...pair, problem: outcome.problem } };
    const { level, share, crossesBoundary, note } = outcome;
    return { pair, level, share, crossesBoundary, note };
  });
}

/**
 * Marks 'ok' pairs whose oracle chunks no longer all exist as 'orphaned' (never deletes them), and turns orphaned
 * pairs whose chunks are all back into 'ok'. Unchanged pairs are returned as the same objects.
 */
export function findOrphans(pairs: readonly QAPair[], existingChunkIds: ReadonlySet<string> | Iterable<string>): QAPair[] {
  const existing = existingChunkIds instanceof Set ? existingChunkIds : new Set(existingChunkIds);
  return pairs.map((pair) => {
    if (pair.status === 'unresolved') return pair;
    const missing = pair.oracleChunkIds.filter((id) => !existing.has(id));
    if (pair.status === 'ok' && missing.length > 0) {
      const problem = `oracle chunk ${missing.join(', ')} no longer exists (its article changed or was removed): pick the chunk again`;
      return { ...pair, status: 'orphaned', problem };
    }
    if (pair.status === 'orphaned' && missing.length === 0 && pair.oracleChunkIds.length > 0) {
      const restored: QAPair = { ...pair, status: 'ok' };
      delete restored.problem;
      return restored;
    }
    return pair;
  });
}
