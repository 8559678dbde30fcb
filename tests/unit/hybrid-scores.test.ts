// Hybrid search scores a reader can compare: every fused hit keeps its rank in the words (BM25) and meaning
// (vector) lists, and is labelled by those ranks, not by a reciprocal-rank sum that reads "0.016" for each.
import { describe, expect, test } from 'vitest';
import { fuseDenseLexical } from '../../src/lib/core/retrieval/fusion';
import { scoreLabel } from '../../src/lib/core/retrieval/score-label';
import { parseArena } from '../../src/lib/state/arena-form';

const ids = (...xs: string[]) => xs.map((chunkId) => ({ chunkId }));

describe('hybrid ranks', () => {
  const dense = ids('a', 'b', 'c', 'd', 'e');
  const lexical = ids('c', 'x', 'a');
  const hits = fuseDenseLexical(dense, lexical, 4);

  test('each fused hit knows where both lists put it (null where one did not return it)', () => {
    expect(hits.map((h) => [h.chunkId, h.fused])).toEqual([
      ['a', { dense: 1, lexical: 3 }],
      ['c', { dense: 3, lexical: 1 }],
      ['b', { dense: 2, lexical: null }],
      ['x', { dense: null, lexical: 2 }],
    ]);
  });

  test('the labels differ where the fused scores print alike, and the tooltip says what fusion does', () => {
    expect(new Set(hits.slice(2).map((h) => h.score.toFixed(3))).size).toBe(1); // 0.016 and 0.016: unreadable
    const labels = hits.map((h) => scoreLabel(h)!);
    expect(labels.map((l) => l.text)).toEqual(['#3 words · #1 meaning', '#1 words · #3 meaning', 'unranked by words · #2 meaning', '#2 words · unranked by meaning']);
    expect(labels[0].title).toContain('1/(60 + rank)');
    expect(labels[0].title).toContain('BM25');
  });

  test('dense and lexical scores keep their own figure and say what it measures', () => {
    expect(scoreLabel({ score: 0.8123, mode: 'dense' })).toEqual({ text: 'similarity 0.812', title: expect.stringContaining('Cosine similarity') });
    expect(scoreLabel({ score: 7.414, mode: 'lexical' })).toEqual({ text: 'BM25 7.41', title: expect.stringContaining('BM25') });
    expect(scoreLabel({ score: null, mode: 'dense' })).toBeNull();
  });
});

test("the arena's last run keeps a hybrid document's ranks across a reload", () => {
  const document = { chunkId: 'a', text: 't', role: 'distractor', rank: 2, score: 0.0325, fused: { dense: 1, lexical: 3 } };
  const run = { question: 'q', mode: 'hybrid', template: { system: '', document: '{text}', user: '{documents}{question}' }, documents: [document], answers: {} };
  expect(parseArena(JSON.stringify({ last: run })).last?.documents[0].fused).toEqual({ dense: 1, lexical: 3 });
});
