// The RAFT recipe: P honoured, k respected, no oracle among distractors, seeded, shuffled, verbatim quotes.
import { describe, expect, test } from 'vitest';
import type { Chunk } from '../../src/lib/core/corpus/types';
import { buildExamples, type BuildCorpus, type Candidates, type RaftPair } from '../../src/lib/core/raft/build';
import { DEFAULT_RAFT_PARAMS, type RaftParams } from '../../src/lib/core/raft/types';

/** 40 articles × 5 chunks; article i is about topic i. */
function fakeCorpus(): { corpus: BuildCorpus; chunks: Chunk[] } {
  const chunks: Chunk[] = [];
  for (let a = 0; a < 40; a++) {
    for (let c = 0; c < 5; c++) {
      const id = `c_${String(a).padStart(2, '0')}_${c}`;
      const text = `Section ${c}\nTopic ${a} fact ${c}: the limit for item ${a}-${c} is ${a * 10 + c} units. Other words follow here.`;
      chunks.push({ id, articlePath: `a${a}.md`, headingPath: [`Article ${a}`, `Section ${c}`], text, tokenCount: 20, contentHash: id, index: c });
    }
  }
  const byId = new Map(chunks.map((c) => [c.id, c]));
  return {
    chunks,
    corpus: {
      chunk: (id) => byId.get(id),
      articleTitle: (path) => `Article ${path.slice(1, -3)}`,
      chunkIdsOfArticle: (path) => chunks.filter((c) => c.articlePath === path).map((c) => c.id),
      allChunkIds: chunks.map((c) => c.id),
    },
  };
}

const { corpus, chunks } = fakeCorpus();

function pairs(n: number): RaftPair[] {
  return Array.from({ length: n }, (_, i) => {
    const oracle = chunks[(i * 7) % chunks.length];
    return { id: `p${i}`, question: `What is the limit for item ${i}?`, answer: `${i} units`, oracleChunkIds: [oracle.id], quote: oracle.text.split('\n')[1].split(':')[0], split: i % 5 === 0 ? 'test' : 'train' };
  });
}

/** Hard candidates: the oracle itself first (a retriever that works), then neighbours in id order. */
function candidates(pair: RaftPair): Candidates {
  const start = chunks.findIndex((c) => c.id === pair.oracleChunkIds[0]);
  const ranked = Array.from({ length: 30 }, (_, i) => chunks[(start + i) % chunks.length]).map((c, i) => ({ chunkId: c.id, score: 1 - i / 100 }));
  return { ranked };
}

const params = (over: Partial<RaftParams> = {}): RaftParams => ({ ...DEFAULT_RAFT_PARAMS, ...over });

describe('the recipe', () => {
  const examples = buildExamples(pairs(1000), corpus, candidates, params());

  test('P = 0.8 of examples keep their oracle, within sampling error (±4σ)', () => {
    const kept = examples.filter((e) => e.oraclePresent).length / examples.length;
    const sigma = Math.sqrt((0.8 * 0.2) / 1000);
    expect(Math.abs(kept - 0.8)).toBeLessThan(4 * sigma);
  });

  test('every example shows k + 1 documents, k of them distractors, none of them an oracle or a duplicate', () => {
    for (const e of examples) {
      expect(e.documents).toHaveLength(5);
      const distractors = e.documents.filter((d) => d.role === 'distractor');
      expect(distractors).toHaveLength(e.oraclePresent ? 4 : 5);
      expect(distractors.some((d) => e.oracleChunkIds.includes(d.chunkId))).toBe(false);
      expect(new Set(e.documents.map((d) => d.chunkId)).size).toBe(5);
    }
  });

  test('hard distractors come in retriever order with their similarity and rank', () => {
    const e = examples[0];
    const hard = e.documents.filter((d) => d.source === 'hard').sort((a, b) => a.rank! - b.rank!);
    expect(hard[0].rank).toBe(2); // rank 1 is the oracle, which is excluded
    expect(hard.every((d) => typeof d.similarity === 'number')).toBe(true);
  });

  test('the oracle lands in every position (documents are shuffled)', () => {
    const positions = new Set(examples.filter((e) => e.oraclePresent).map((e) => e.oraclePositions[0]));
    expect([...positions].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('answers quote the oracle verbatim and end with <ANSWER>:, or quote nothing when the oracle is absent', () => {
    for (const e of examples) {
      expect(e.problems).toEqual([]);
      expect(e.cotAnswer).toMatch(/<ANSWER>: \d+ units$/);
      if (e.oraclePresent) {
        expect(e.quotes).toHaveLength(1);
        expect(e.documents[e.quotes[0].documentIndex!].role).toBe('oracle');
      } else {
        expect(e.quotes).toEqual([]);
      }
    }
  });

  test('the same inputs and seed give identical examples; another seed gives others', () => {
    expect(buildExamples(pairs(1000), corpus, candidates, params())).toEqual(examples);
    const other = buildExamples(pairs(1000), corpus, candidates, params({ seed: 8 }));
    expect(other.map((e) => e.documents.map((d) => d.chunkId))).not.toEqual(examples.map((e) => e.documents.map((d) => d.chunkId)));
  });

  test("a pair's example does not depend on the other pairs (per-question random streams)", () => {
    const alone = buildExamples(pairs(1000).slice(500, 501), corpus, candidates, params());
    expect(alone[0]).toEqual(examples[500]);
  });
});

test('k is respected for 0, 1 and 8 distractors, and with the oracle article excluded', () => {
  for (const k of [0, 1, 8]) {
    const [e] = buildExamples(pairs(1), corpus, candidates, params({ distractors: k, pOracle: 1 }));
    expect(e.documents.filter((d) => d.role === 'distractor')).toHaveLength(k);
  }
  const [e] = buildExamples(pairs(1), corpus, candidates, params({ excludeOracleArticle: true }));
  const oracleArticle = chunks.find((c) => c.id === e.oracleChunkIds[0])!.articlePath;
  expect(e.documents.filter((d) => d.role === 'distractor' && d.articlePath === oracleArticle)).toEqual([]);
});

test('random and mixed strategies draw from the whole corpus and label their picks', () => {
  const [random] = buildExamples(pairs(1), corpus, candidates, params({ strategy: 'random', pOracle: 1 }));
  expect(random.documents.filter((d) => d.role === 'distractor').every((d) => d.source === 'random' && d.rank === null)).toBe(true);
  const [mixed] = buildExamples(pairs(1), corpus, candidates, params({ strategy: 'mixed', hardCount: 2, pOracle: 1 }));
  expect(mixed.documents.filter((d) => d.source === 'hard')).toHaveLength(2);
  expect(mixed.documents.filter((d) => d.source === 'random')).toHaveLength(2);
});

test('P = 0 leaves every oracle out and replaces it with one more distractor', () => {
  const examples = buildExamples(pairs(50), corpus, candidates, params({ pOracle: 0 }));
  expect(examples.every((e) => !e.oraclePresent && e.documents.length === 5 && e.oraclePositions.length === 0)).toBe(true);
});

test('a quote that is not in the oracle is replaced by a verbatim span of it', () => {
  const [pair] = pairs(1);
  const [e] = buildExamples([{ ...pair, quote: 'a sentence that appears nowhere' }], corpus, candidates, params({ pOracle: 1 }));
  expect(e.problems).toEqual([]);
  expect(e.documents[e.quotes[0].documentIndex!].text).toContain(e.quotes[0].text);
});
