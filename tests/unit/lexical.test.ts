import { describe, expect, test } from 'vitest';
import { Bm25Index } from '../../src/lib/core/retrieval/bm25';
import { reciprocalRankFusion } from '../../src/lib/core/retrieval/fusion';
import { terms } from '../../src/lib/core/retrieval/lexical-terms';

describe('terms', () => {
  test('folds case and accents, drops stop words, stems plurals', () => {
    expect(terms('How do I request REFUNDS for the Résumé templates?')).toEqual(['request', 'refund', 'resume', 'template']);
  });
  test('keeps numbers and error codes as terms', () => {
    expect(terms('Error E-412: 3 devices')).toEqual(['error', 'e', '412', '3', 'device']);
  });
});

describe('BM25', () => {
  const index = new Bm25Index();
  index.add('refund-monthly', 'Monthly plans: request a refund within 14 days of purchase from the billing page.');
  index.add('refund-annual', 'Annual plans: a prorated refund is available within 30 days.');
  index.add('sync', 'The desktop client syncs every minute. Sync conflicts create a copy of the note.');
  index.add('api', 'The API allows 60 requests per minute per token.');

  test('ranks the chunk that shares the rare query terms first', () => {
    const hits = index.search('refund within 14 days', 3);
    expect(hits[0]).toMatchObject({ chunkId: 'refund-monthly', mode: 'lexical', rank: 1 });
    expect(hits.map((h) => h.chunkId)).toContain('refund-annual');
    expect(hits.map((h) => h.chunkId)).not.toContain('api');
  });

  test('scores are positive and descending', () => {
    const hits = index.search('sync minute', 4);
    expect(hits[0].chunkId).toBe('sync');
    for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeLessThanOrEqual(hits[i - 1].score);
    expect(hits.every((h) => h.score > 0)).toBe(true);
  });

  test('a query with no known term finds nothing', () => {
    expect(index.search('zebra', 5)).toEqual([]);
    expect(index.search('', 5)).toEqual([]);
  });

  test('re-adding replaces, removing forgets', () => {
    const local = new Bm25Index();
    local.add('a', 'alpha beta');
    local.add('a', 'gamma');
    expect(local.size).toBe(1);
    expect(local.search('alpha', 5)).toEqual([]);
    expect(local.search('gamma', 5)[0].chunkId).toBe('a');
    local.remove('a');
    expect(local.size).toBe(0);
    expect(local.search('gamma', 5)).toEqual([]);
  });
});

describe('reciprocal-rank fusion', () => {
  test('a chunk ranked well by both lists beats one ranked first by only one', () => {
    const dense = [{ chunkId: 'x' }, { chunkId: 'both' }, { chunkId: 'y' }];
    const lexical = [{ chunkId: 'z' }, { chunkId: 'both' }];
    const fused = reciprocalRankFusion([dense, lexical], 3);
    expect(fused[0]).toMatchObject({ chunkId: 'both', mode: 'hybrid', rank: 1 });
    expect(fused[0].score).toBeCloseTo(2 / 62, 10);
    expect(fused).toHaveLength(3);
  });
  test('equal fused scores order by id, so results are deterministic', () => {
    expect(reciprocalRankFusion([[{ chunkId: 'b' }], [{ chunkId: 'a' }]], 2).map((h) => h.chunkId)).toEqual(['a', 'b']);
  });
});
