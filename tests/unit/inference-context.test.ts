// The documents a model reads at test time: retrieval order, oracle forced in or removed, extra distractors.
import { describe, expect, test } from 'vitest';
import type { SkipReason } from '../../src/lib/core/raft/distractor-check';
import { assembleCheckedContext, assembleContext, checkedSlots, retrievalDepth, type CandidateChunk } from '../../src/lib/core/inference/context';

const chunk = (id: string, rank: number | null): CandidateChunk => ({
  chunkId: id,
  articlePath: `${id}.md`,
  title: id,
  headingPath: [],
  text: `text of ${id}`,
  score: rank === null ? null : 1 / rank,
  rank,
});
const ranked = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => chunk(id, i + 1));
const ids = (docs: { chunkId: string }[]) => docs.map((d) => d.chunkId);

describe('assembleContext', () => {
  test('retrieved: the top k in retrieval order, the oracle marked only where retrieval found it', () => {
    const docs = assembleContext(ranked, [chunk('c', null)], { k: 3, oracle: 'retrieved', extraDistractors: 0 });
    expect(ids(docs)).toEqual(['a', 'b', 'c']);
    expect(docs.map((d) => d.role)).toEqual(['distractor', 'distractor', 'oracle']);
    expect(assembleContext(ranked, [chunk('z', null)], { k: 3, oracle: 'retrieved', extraDistractors: 0 }).every((d) => d.role === 'distractor')).toBe(true);
  });

  test('forced: a missed oracle replaces the lowest-ranked distractor and is marked injected', () => {
    const docs = assembleContext(ranked, [chunk('z', null)], { k: 3, oracle: 'forced', extraDistractors: 0 });
    expect(ids(docs)).toEqual(['a', 'b', 'z']);
    expect(docs[2]).toMatchObject({ role: 'oracle', injected: true });
    // Found by retrieval: nothing changes.
    expect(ids(assembleContext(ranked, [chunk('b', null)], { k: 3, oracle: 'forced', extraDistractors: 0 }))).toEqual(['a', 'b', 'c']);
  });

  test('forced with two oracles keeps the retrieved one and injects the other', () => {
    const docs = assembleContext(ranked, [chunk('b', null), chunk('z', null)], { k: 3, oracle: 'forced', extraDistractors: 0 });
    expect(ids(docs)).toEqual(['a', 'b', 'z']);
    expect(docs.filter((d) => d.role === 'oracle').length).toBe(2);
  });

  test('removed: oracle chunks never appear, the next-ranked fill their place', () => {
    const docs = assembleContext(ranked, [chunk('b', null)], { k: 3, oracle: 'removed', extraDistractors: 0 });
    expect(ids(docs)).toEqual(['a', 'c', 'd']);
    expect(docs.every((d) => d.role === 'distractor')).toBe(true);
  });

  test('extra distractors add the next-ranked chunks; k = 0 is closed book', () => {
    expect(ids(assembleContext(ranked, [], { k: 2, oracle: 'retrieved', extraDistractors: 3 }))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(assembleContext(ranked, [chunk('a', null)], { k: 0, oracle: 'forced', extraDistractors: 0 })).toEqual([]);
  });

  test('retrievalDepth asks for enough chunks to fill every slot', () => {
    expect(retrievalDepth({ k: 4, oracle: 'removed', extraDistractors: 2 }, 2)).toBe(8);
    expect(retrievalDepth({ k: 4, oracle: 'forced', extraDistractors: 0 }, 1)).toBe(4);
    expect(retrievalDepth({ k: 0, oracle: 'removed', extraDistractors: 0 }, 1)).toBe(0);
  });
});

describe('added distractors never hold the answer (the RAFT builder\'s rule)', () => {
  // 'b' and 'e' hold the answer, 'f' a copy of the oracle.
  const flagged: Record<string, SkipReason> = { b: 'answer', e: 'answer', f: 'near-copy' };
  const check = (c: CandidateChunk) => flagged[c.chunkId] ?? null;
  const reasons = (skipped: { chunkId: string; reason: string }[]) => skipped.map((s) => `${s.chunkId}:${s.reason}`);

  test('the top k stay as retrieved; an extra distractor that holds the answer is passed over for the next-ranked one', () => {
    const { documents, skipped } = assembleCheckedContext(ranked, [chunk('a', null)], { k: 3, oracle: 'retrieved', extraDistractors: 3 }, check);
    expect(ids(documents)).toEqual(['a', 'b', 'c', 'd', 'g']);
    expect(reasons(skipped)).toEqual(['e:answer', 'f:near-copy']);
    expect(documents.find((d) => d.chunkId === 'b')!.role).toBe('distractor');
  });

  test('a top-k document that holds the answer stays, marked answer-bearing; clean ones and oracles are not marked', () => {
    const { documents } = assembleCheckedContext(ranked, [chunk('a', null)], { k: 3, oracle: 'retrieved', extraDistractors: 0 }, check);
    expect(documents.map((d) => `${d.chunkId}:${d.answerBearing ?? '-'}`)).toEqual(['a:-', 'b:answer', 'c:-']);
  });

  test('with the oracle removed, every document is an added distractor and obeys the rule', () => {
    const { documents, skipped } = assembleCheckedContext(ranked, [chunk('a', null)], { k: 3, oracle: 'removed', extraDistractors: 0 }, check);
    expect(ids(documents)).toEqual(['c', 'd', 'g']);
    expect(reasons(skipped)).toEqual(['b:answer', 'e:answer', 'f:near-copy']);
    expect(checkedSlots({ k: 3, oracle: 'removed', extraDistractors: 1 })).toBe(4);
    expect(checkedSlots({ k: 3, oracle: 'forced', extraDistractors: 1 })).toBe(1);
  });

  test('forced: the oracle still takes the last slot; the rule never removes an oracle', () => {
    const oracle = chunk('e', null);
    const { documents } = assembleCheckedContext(ranked, [oracle], { k: 2, oracle: 'forced', extraDistractors: 1 }, check);
    expect(ids(documents)).toEqual(['a', 'b', 'e']);
    expect(documents.at(-1)!.role).toBe('oracle');
  });

  test('without a check, the same documents as assembleContext', () => {
    for (const oracle of ['retrieved', 'forced', 'removed'] as const) {
      const options = { k: 3, oracle, extraDistractors: 2 };
      expect(assembleCheckedContext(ranked, [chunk('b', null)], options, () => null)).toEqual({ documents: assembleContext(ranked, [chunk('b', null)], options), skipped: [] });
    }
  });
});
