// Finding an orphaned question's oracle again when its article comes back, wherever the file now lives: first by
// the same content (a chunk with the same text), else by the same file name and a chunk holding the pair's quote.
// What a pair lost is remembered on it (`lostOracle`) the moment its chunks go, since chunk ids carry the path.
import type { Chunk } from '../chunking';
import { normaliseForMatch } from '../text-match';
import type { LostChunk, QAPair } from './types';

type ChunkView = Pick<Chunk, 'id' | 'articlePath' | 'contentHash' | 'text'>;

/** How an orphaned pair was tied again. */
export type ReattachedBy = 'content' | 'name-and-quote';

/** `billing/Refund-Policy.md` → `refund-policy`: the file name a re-added article is recognised by. */
export function articleFileName(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.(md|markdown|mdx|txt)$/i, '').toLowerCase();
}

/**
 * Pairs that lose oracle chunks in `lost` (chunk id → its article and content hash, taken before they went) get
 * them recorded in `lostOracle`; unresolved pairs and pairs losing nothing are returned as the same objects.
 */
export function rememberLost(pairs: readonly QAPair[], lost: ReadonlyMap<string, Pick<Chunk, 'articlePath' | 'contentHash'>>): QAPair[] {
  if (lost.size === 0) return [...pairs];
  return pairs.map((pair) => {
    if (pair.status === 'unresolved') return pair;
    const gone = pair.oracleChunkIds.filter((id) => lost.has(id));
    if (gone.length === 0) return pair;
    const known = (pair.lostOracle ?? []).filter((l) => !gone.includes(l.chunkId));
    const added: LostChunk[] = gone.map((chunkId) => ({ chunkId, articlePath: lost.get(chunkId)!.articlePath, contentHash: lost.get(chunkId)!.contentHash }));
    return { ...pair, lostOracle: [...known, ...added] };
  });
}

/** One candidate, preferring the old path, then the old file name; null when none, or several equally good. */
function pick(candidates: readonly ChunkView[] | undefined, oldPath: string): ChunkView | null {
  if (!candidates?.length) return null;
  const samePath = candidates.find((c) => c.articlePath === oldPath);
  if (samePath) return samePath;
  const sameName = candidates.filter((c) => articleFileName(c.articlePath) === articleFileName(oldPath));
  if (sameName.length === 1) return sameName[0];
  return candidates.length === 1 ? candidates[0] : null;
}

/**
 * Returns a function that finds new oracle chunks for an orphaned pair in `chunks` (the corpus now): every lost
 * chunk by its content hash; else, with a quote, the one article of the lost article's file name holding the
 * quote (normalised match). Oracle chunks that were not lost are kept. Null when neither finds a single answer.
 */
export function createReattacher(chunks: readonly ChunkView[]): (pair: QAPair) => { chunkIds: string[]; by: ReattachedBy } | null {
  const byHash = new Map<string, ChunkView[]>();
  const byName = new Map<string, ChunkView[]>();
  const ids = new Set<string>();
  for (const chunk of chunks) {
    ids.add(chunk.id);
    byHash.set(chunk.contentHash, [...(byHash.get(chunk.contentHash) ?? []), chunk]);
    const name = articleFileName(chunk.articlePath);
    byName.set(name, [...(byName.get(name) ?? []), chunk]);
  }
  return (pair) => {
    const lost = pair.lostOracle ?? [];
    if (pair.status !== 'orphaned' || lost.length === 0) return null;
    const kept = pair.oracleChunkIds.filter((id) => ids.has(id) && !lost.some((l) => l.chunkId === id));
    // 1. The same content: each lost chunk's text is in the corpus again.
    const found = lost.map((l) => pick(byHash.get(l.contentHash), l.articlePath));
    if (found.every((c) => c !== null)) return { chunkIds: unique([...kept, ...found.map((c) => c!.id)]), by: 'content' };
    // 2. The same file name and a chunk holding the quote, in exactly one article.
    const quote = normaliseForMatch(pair.quote ?? '');
    if (!quote) return null;
    const holding = unique(lost.map((l) => articleFileName(l.articlePath))).flatMap((name) => (byName.get(name) ?? []).filter((c) => normaliseForMatch(c.text).includes(quote)));
    if (holding.length === 0 || new Set(holding.map((c) => c.articlePath)).size > 1) return null;
    return { chunkIds: unique([...kept, holding[0].id]), by: 'name-and-quote' };
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The pairs whose oracle includes one of `chunkIds` (an article's chunks): those its removal would orphan. */
export function pairsOrphanedBy<P extends Pick<QAPair, 'id' | 'status' | 'oracleChunkIds'>>(pairs: readonly P[], chunkIds: Iterable<string>): P[] {
  const ids = new Set(chunkIds);
  return pairs.filter((p) => p.status === 'ok' && p.oracleChunkIds.some((id) => ids.has(id)));
}
