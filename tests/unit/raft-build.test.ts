// The RAFT recipe: P honoured, k respected, no oracle or answer-bearing chunk among distractors, seeded, shuffled, verbatim quotes.
import { describe, expect, test } from 'vitest';
import type { Chunk } from '../../src/lib/core/corpus/types';
import { buildExamples, validateNoOracle, type BuildCorpus, type Candidates, type RaftPair } from '../../src/lib/core/raft/build';
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

describe('a candidate that answers the question is no distractor', () => {
  const text = {
    oracle: 'Attachments\nOn the Free plan each attachment can be up to 25 MB; on paid plans the limit is 250 MB per file. Larger files are rejected.',
    e413: 'E-413: Attachment too large\nThe file is bigger than your plan allows: 25 MB on Free and 250 MB on paid plans.',
    quoted: 'Release notes\nReminder: on the Free plan each attachment can be up to 25 MB; on paid plans the limit is 250 MB per file.',
    storage: 'Storage\nEach plan has a storage quota listed on the pricing page.',
    devices: 'Devices\nThe Free plan syncs up to 3 devices.',
    links: 'Public links\nA public link lets anyone with the URL read a note.',
  };
  const small = Object.entries(text).map(([id, t], index) => ({ id, articlePath: `${id}.md`, headingPath: [`${id} article`, t.split('\n')[0]], text: t, tokenCount: 20, contentHash: id, index }) as Chunk);
  const byId = new Map(small.map((c) => [c.id, c]));
  const smallCorpus: BuildCorpus = { chunk: (id) => byId.get(id), articleTitle: (path) => `${path.slice(0, -3)} article`, chunkIdsOfArticle: (path) => small.filter((c) => c.articlePath === path).map((c) => c.id), allChunkIds: small.map((c) => c.id) };
  const pair: RaftPair = { id: 'att', question: 'What is the maximum attachment size?', answer: '25 MB per file on Free; 250 MB per file on paid plans.', oracleChunkIds: ['oracle'], split: 'train' };
  const ranked = (ids: string[]): Candidates => ({ ranked: ids.map((chunkId, i) => ({ chunkId, score: 10 - i })) });

  test('hard candidates holding the answer are skipped for the next ones, and recorded with their reason and place', () => {
    const [e] = buildExamples([pair], smallCorpus, () => ranked(['oracle', 'e413', 'storage', 'devices', 'links']), params({ distractors: 2, pOracle: 1 }));
    expect(e.documents.filter((d) => d.role === 'distractor').map((d) => [d.chunkId, d.rank])).toEqual(expect.arrayContaining([['storage', 3], ['devices', 4]]));
    expect(e.skippedDistractors).toEqual([{ chunkId: 'e413', title: 'e413 article', headingPath: ['e413 article', 'E-413: Attachment too large'], reason: 'answer' }]);
    expect(e.problems).toEqual([]);
  });

  test("a chunk with the oracle's quote is skipped as 'quote'; random picks obey the same rule", () => {
    const withQuote: RaftPair = { ...pair, answer: 'Two hundred and fifty megabytes', quote: 'on paid plans the limit is 250 MB per file' };
    const [hard] = buildExamples([withQuote], smallCorpus, () => ranked(['quoted', 'storage']), params({ distractors: 1, pOracle: 1 }));
    expect(hard.skippedDistractors?.map((s) => [s.chunkId, s.reason])).toEqual([['quoted', 'quote']]);
    for (let seed = 0; seed < 20; seed++) {
      const [random] = buildExamples([pair], smallCorpus, () => ranked([]), params({ strategy: 'random', distractors: 3, pOracle: 1, seed }));
      const chosen = random.documents.filter((d) => d.role === 'distractor').map((d) => d.chunkId);
      expect(chosen.sort()).toEqual(['devices', 'links', 'storage']);
      expect(random.skippedDistractors?.every((s) => ['e413', 'quoted'].includes(s.chunkId))).toBe(true);
    }
  });

  test('when too few candidates are left, the example has fewer documents and says why, rather than a false distractor', () => {
    const [e] = buildExamples([pair], smallCorpus, () => ranked([]), params({ strategy: 'random', distractors: 5, pOracle: 1 }));
    expect(e.documents.map((d) => d.chunkId)).not.toContain('e413');
    expect(e.problems).toEqual(['only 3 of 5 distractors were available (2 left out for holding the answer, the quote or a copy of the oracle)']);
  });

  test('without its oracle, the target claims only that the passage is absent, and no document holds even a short answer', () => {
    const short: RaftPair = { ...pair, id: 'dev', question: 'How many devices on Free?', answer: '3 devices', oracleChunkIds: ['storage'] };
    const [e] = buildExamples([short], smallCorpus, () => ranked(['devices', 'links', 'e413', 'quoted']), params({ distractors: 2, pOracle: 0 }));
    expect(e.cotAnswer).toBe('##Reason: The documents do not include the passage this answer comes from, so I answer from what I know. <ANSWER>: 3 devices');
    expect(e.documents.map((d) => d.chunkId)).not.toContain('devices');
    expect(e.skippedDistractors).toMatchObject([{ chunkId: 'devices', reason: 'answer' }]);
    expect(e.problems).toEqual([]);
    // With the oracle kept, a two-word answer is too common to rule a chunk out.
    const [kept] = buildExamples([short], smallCorpus, () => ranked(['devices', 'links']), params({ distractors: 2, pOracle: 1 }));
    expect(kept.documents.map((d) => d.chunkId)).toContain('devices');
  });

  test('validation flags a no-oracle example whose documents still hold the answer', () => {
    expect(validateNoOracle([{ title: 'Devices', text: text.devices }], '3 devices')).toEqual(['the oracle was left out but document 1 ("Devices") still holds the answer']);
    expect(validateNoOracle([{ title: 'Links', text: text.links }], '3 devices')).toEqual([]);
  });

  test('skips are deterministic: the same seed gives the same skips and documents', () => {
    const build = () => buildExamples([pair], smallCorpus, () => ranked(['e413', 'quoted', 'storage']), params({ strategy: 'mixed', hardCount: 1, distractors: 3, pOracle: 0.5, seed: 11 }));
    expect(build()).toEqual(build());
  });
});
