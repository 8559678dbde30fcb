import { expect, test } from 'vitest';
import { reciprocalRank, retrievalScores } from '../../src/lib/core/metrics/retrieval';

test('recall@k, MRR and article recall against hand-computed values', () => {
  const cases = [
    // oracle at rank 2
    { retrieved: ['x', 'o1', 'y'], retrievedArticles: ['A', 'B', 'C'], oracleChunkIds: ['o1'], oracleArticles: ['B'] },
    // oracle missing, but a chunk of its article at rank 3
    { retrieved: ['x', 'y', 'z'], retrievedArticles: ['A', 'C', 'D'], oracleChunkIds: ['o2'], oracleArticles: ['D'] },
    // oracle at rank 1
    { retrieved: ['o3', 'x', 'y'], retrievedArticles: ['E', 'A', 'C'], oracleChunkIds: ['o3'], oracleArticles: ['E'] },
  ];
  expect(retrievalScores(cases, 3)).toEqual({ n: 3, k: 3, recall_at_k: 2 / 3, mrr: (1 / 2 + 0 + 1) / 3, article_recall_at_k: 1 });
  // At k = 1 only the third question finds its oracle, and its article.
  expect(retrievalScores(cases, 1)).toMatchObject({ recall_at_k: 1 / 3, mrr: 1 / 3, article_recall_at_k: 1 / 3 });
});

test('multi-hop: the first of several oracle chunks counts; no questions gives zeros, not NaN', () => {
  expect(reciprocalRank(['a', 'b', 'c'], new Set(['c', 'b']), 3)).toBe(1 / 2);
  expect(retrievalScores([], 5)).toEqual({ n: 0, k: 5, recall_at_k: 0, mrr: 0, article_recall_at_k: 0 });
});
