// Question/answer pairs in the corpus worker: import (parse, resolve against the corpus, merge
// without duplicates), edit, split, and keep oracle links valid when the corpus changes.
import type { ImportQuestionsReport } from '../../core/corpus/reports';
import { createResolver, findOrphans, resolveRows, type QuestionCorpus } from '../../core/questions/resolve';
import { mergePairs } from '../../core/questions/merge';
import { createReattacher, rememberLost } from '../../core/questions/reattach';
import { parseImport } from '../../core/questions/import-parse';
import { assignSplit, type SplitOptions } from '../../core/questions/split';
import type { QAPair } from '../../core/questions/types';
import { GIVEN_SPLIT, type ManifestSplit } from '../../core/formats/manifest';
import { META, type CorpusState } from './corpus-state';

function questionCorpus(state: CorpusState): QuestionCorpus {
  return { articles: [...state.articles.values()], chunks: [...state.chunks.values()] };
}

export async function importQuestions(state: CorpusState, text: string, fileName: string): Promise<ImportQuestionsReport> {
  const parsed = parseImport(text, fileName);
  const resolutions = resolveRows(parsed.rows, questionCorpus(state), { now: Date.now(), file: fileName });
  const merged = mergePairs([...state.pairs.values()], resolutions.map((r) => r.pair));
  const changed = new Set([...merged.added, ...merged.updated]);
  await state.questions.putMany(merged.pairs.filter((p) => changed.has(p.id)));
  for (const pair of merged.pairs) state.pairs.set(pair.id, pair);
  return {
    format: parsed.format,
    rows: parsed.rows.length,
    added: merged.added.length,
    updated: merged.updated.length,
    unchanged: merged.unchanged.length,
    parseErrors: parsed.errors,
    unresolved: resolutions
      .filter((r) => r.pair.status !== 'ok')
      .map((r) => ({ id: r.pair.id, line: r.pair.source?.line ?? 0, question: r.pair.question, problem: r.pair.problem ?? 'unresolved' })),
    notes: resolutions.filter((r) => r.note).map((r) => ({ line: r.pair.source?.line ?? 0, note: r.note! })),
  };
}

/** Reads a question file against the corpus without keeping it: questions for one evaluation run only. */
export async function resolveQuestionFile(state: CorpusState, text: string, fileName: string): Promise<{ pairs: QAPair[]; parseErrors: ImportQuestionsReport['parseErrors'] }> {
  const parsed = parseImport(text, fileName);
  return { pairs: resolveRows(parsed.rows, questionCorpus(state), { now: Date.now(), file: fileName }).map((r) => r.pair), parseErrors: parsed.errors };
}

export async function savePairs(state: CorpusState, pairs: QAPair[]): Promise<void> {
  await state.questions.putMany(pairs);
  for (const pair of pairs) state.pairs.set(pair.id, pair);
}

export async function deletePairs(state: CorpusState, ids: string[]): Promise<void> {
  await state.questions.delete(ids);
  for (const id of ids) state.pairs.delete(id);
}

type SplitSettings = Omit<SplitOptions, 'articleOf'>;

function seededSplit(pairs: readonly QAPair[], state: CorpusState, options: SplitSettings): QAPair[] {
  const articleOf = (pair: QAPair) => state.chunks.get(pair.oracleChunkIds[0])?.articlePath ?? pair.source?.article ?? pair.id;
  const ordered = [...pairs].sort((a, b) => (a.id < b.id ? -1 : 1));
  return assignSplit(ordered, { ...options, articleOf });
}

/** Draws the split of every pair without a given side (see {@link assignSplit}), and keeps its settings for the manifest. */
export async function splitPairs(state: CorpusState, options: SplitSettings): Promise<void> {
  await savePairs(state, seededSplit([...state.pairs.values()], state, options));
  await state.repo.setMeta(META.split, { testFraction: options.testFraction, seed: options.seed, byArticle: options.byArticle });
}

/**
 * How `pairs` were split, for the manifest: 'given' when none of their sides was drawn, or when the last seeded
 * split's settings no longer draw the same sides (pairs moved by hand or drawn with other settings since); else
 * 'seeded', or 'mixed' when some of them keep a side given with the pair.
 */
export async function manifestSplit(state: CorpusState, pairs: readonly Pick<QAPair, 'id' | 'split' | 'splitDrawn'>[]): Promise<ManifestSplit> {
  const last = await state.repo.getMeta<SplitSettings>(META.split);
  if (!last || !pairs.some((p) => p.splitDrawn)) return { ...GIVEN_SPLIT };
  // Redraw from scratch: every drawn side back to unassigned, given sides kept, as a fresh import of the file would.
  const undrawn = [...state.pairs.values()].map((p) => (p.splitDrawn ? { ...p, split: 'unassigned' as const, splitDrawn: undefined } : p));
  const redrawn = new Map(seededSplit(undrawn, state, { ...last, redraw: false }).map((p) => [p.id, p.split]));
  if (pairs.some((p) => redrawn.get(p.id) !== p.split)) return { ...GIVEN_SPLIT };
  const method = pairs.some((p) => p.split !== 'unassigned' && !p.splitDrawn) ? 'mixed' : 'seeded';
  return { method, testFraction: last.testFraction, seed: last.seed, byArticle: last.byArticle };
}

/**
 * After the corpus changed: pairs whose oracle chunk disappeared remember what they lost, and are tied again to
 * the same content or the same file name and quote (an article removed and added back, wherever it now lives),
 * else re-resolved from their quote or article when they have one (re-chunking changes ids), else flagged
 * 'orphaned', never deleted.
 */
export async function refreshPairs(state: CorpusState): Promise<{ reattached: number; orphaned: number }> {
  const pairs = [...state.pairs.values()];
  const counts = { reattached: 0, orphaned: 0 };
  const lost = state.lostChunks;
  state.lostChunks = new Map();
  if (!pairs.length) return counts;
  const checked = findOrphans(rememberLost(pairs, lost), state.chunks.keys());
  const resolve = createResolver(questionCorpus(state));
  const reattach = createReattacher([...state.chunks.values()]);
  const changed: QAPair[] = [];
  checked.forEach((pair, i) => {
    let next = pair;
    const found = reattach(pair);
    if (found) {
      next = { ...pair, oracleChunkIds: found.chunkIds, status: 'ok', updatedAt: Date.now() };
      delete next.problem;
    } else if (pair.status === 'orphaned' && (pair.quote || pair.source?.article)) {
      const outcome = resolve({ line: pair.source?.line ?? 0, question: pair.question, answer: pair.answer || undefined, article: pair.source?.article, quote: pair.quote, tags: pair.tags });
      if (outcome.ok) {
        next = { ...pair, oracleChunkIds: outcome.chunkIds, status: 'ok', updatedAt: Date.now() };
        delete next.problem;
      }
    }
    if (next.status === 'ok' && next.lostOracle) {
      next = { ...next };
      delete next.lostOracle;
    }
    if (next !== pairs[i]) changed.push(next);
    // Counted only for pairs that lost their chunk just now (not those orphaned before).
    if (pairs[i].status === 'ok' && pair.status === 'orphaned') counts[next.status === 'ok' ? 'reattached' : 'orphaned']++;
  });
  if (changed.length) await savePairs(state, changed);
  return counts;
}
