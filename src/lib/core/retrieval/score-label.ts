// A retrieval score as a reader can compare it: cosine similarity and BM25 as figures, a hybrid hit as its rank
// in the words and meaning lists (its fused reciprocal-rank score is about 0.016 for every hit), each with a
// sentence saying what it measures (for a tooltip).
import { RRF_K } from './fusion';
import type { FusedRanks, RetrievalMode } from './types';

export interface ScoreLabel {
  /** Short: "similarity 0.812", "BM25 7.41", "#2 words · #5 meaning". */
  text: string;
  /** What the figure means, for a tooltip. */
  title: string;
}

/** What hybrid ranks mean, for a caption under hybrid results. */
export const HYBRID_EXPLAINED = `Hybrid search ranks each chunk twice, by shared words (BM25) and by meaning (vectors), and orders the results by adding 1/(${RRF_K} + rank) over both lists (reciprocal-rank fusion). Those sums differ only in the third decimal, so each result shows its rank in the two lists instead.`;

/** The label of one hit's score; `fused` (hybrid) wins over `mode`, and a hybrid hit without it shows its fused score. */
export function scoreLabel(hit: { score: number | null; mode: RetrievalMode; fused?: FusedRanks }): ScoreLabel | null {
  if (hit.fused) {
    const words = hit.fused.lexical !== null ? `#${hit.fused.lexical} words` : 'unranked by words';
    const meaning = hit.fused.dense !== null ? `#${hit.fused.dense} meaning` : 'unranked by meaning';
    const title = `Rank in the BM25 (words) list and in the vector (meaning) list ("unranked": not among that list's top results); fused score ${hit.score?.toFixed(4) ?? '—'}.`;
    return { text: `${words} · ${meaning}`, title: `${title} ${HYBRID_EXPLAINED}` };
  }
  if (hit.score === null) return null;
  if (hit.mode === 'dense') return { text: `similarity ${hit.score.toFixed(3)}`, title: "Cosine similarity of the question's and the chunk's vectors: from -1 to 1, higher is closer in meaning." };
  if (hit.mode === 'lexical') return { text: `BM25 ${hit.score.toFixed(2)}`, title: 'BM25 score: grows with the question words the chunk shares, rare words counting most. Compare it within one search only.' };
  return { text: `fused ${hit.score.toFixed(4)}`, title: HYBRID_EXPLAINED };
}
