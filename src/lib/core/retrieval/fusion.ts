// Reciprocal-rank fusion (Cormack et al. 2009): merges ranked lists without comparing their scores.
import type { FusedRanks, SearchHit } from './types';

/** `k` dampens the weight of top ranks; 60 is the value from the original paper. */
export const RRF_K = 60;

/** Fuses ranked lists of chunk ids; each output hit's score is its summed 1/(k + rank). */
export function reciprocalRankFusion(lists: { chunkId: string }[][], limit: number, k = RRF_K): SearchHit[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((hit, index) => scores.set(hit.chunkId, (scores.get(hit.chunkId) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([chunkId, score], i) => ({ chunkId, score, mode: 'hybrid' as const, rank: i + 1 }));
}

/** Hybrid search: the dense and lexical lists fused, each hit with its rank in both (see {@link FusedRanks}). */
export function fuseDenseLexical(dense: { chunkId: string }[], lexical: { chunkId: string }[], limit: number, k = RRF_K): SearchHit[] {
  const rankIn = (list: { chunkId: string }[]) => new Map(list.map((hit, i) => [hit.chunkId, i + 1]));
  const denseRanks = rankIn(dense);
  const lexicalRanks = rankIn(lexical);
  return reciprocalRankFusion([dense, lexical], limit, k).map((hit) => {
    const fused: FusedRanks = { dense: denseRanks.get(hit.chunkId) ?? null, lexical: lexicalRanks.get(hit.chunkId) ?? null };
    return { ...hit, fused };
  });
}
