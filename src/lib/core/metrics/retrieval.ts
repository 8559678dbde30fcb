// Retrieval metrics for the retriever alone: did the oracle chunk (or its article) come back in the top k?

export interface RetrievalCase {
  /** Chunk ids the retriever returned, best first. */
  retrieved: string[];
  oracleChunkIds: string[];
  /** Article of each retrieved chunk, aligned with `retrieved`. */
  retrievedArticles: string[];
  oracleArticles: string[];
}

export interface RetrievalScores {
  n: number;
  k: number;
  /** Share of questions with an oracle chunk in the top k. */
  recall_at_k: number;
  /** Mean of 1/rank of the first oracle chunk in the top k (0 when absent). */
  mrr: number;
  /** Share of questions with a chunk of an oracle's article in the top k. */
  article_recall_at_k: number;
}

export function reciprocalRank(retrieved: string[], relevant: ReadonlySet<string>, k: number): number {
  const rank = retrieved.slice(0, k).findIndex((id) => relevant.has(id));
  return rank < 0 ? 0 : 1 / (rank + 1);
}

export function retrievalScores(cases: RetrievalCase[], k: number): RetrievalScores {
  let hits = 0;
  let rr = 0;
  let articleHits = 0;
  for (const c of cases) {
    const oracles = new Set(c.oracleChunkIds);
    const reciprocal = reciprocalRank(c.retrieved, oracles, k);
    if (reciprocal > 0) hits++;
    rr += reciprocal;
    const articles = new Set(c.oracleArticles);
    if (c.retrievedArticles.slice(0, k).some((a) => articles.has(a))) articleHits++;
  }
  const n = cases.length;
  return { n, k, recall_at_k: n ? hits / n : 0, mrr: n ? rr / n : 0, article_recall_at_k: n ? articleHits / n : 0 };
}
