import { describe, expect, test } from 'vitest';
import { mergePairs, oracleKey, pairId, type QAPair } from '../../src/lib/core/questions';

describe('pairId', () => {
  test('stable, and blind to spacing, case and quote style of the question', () => {
    const key = oracleKey({ article: 'billing/refund-policy.md', quote: 'within 14 days' });
    expect(pairId('How long is the refund window?', key)).toMatch(/^q_[0-9a-z]{11}$/);
    expect(pairId('How long is the refund window?', key)).toBe(pairId('  how long is the   REFUND window?', key));
    expect(pairId('What\u2019s the window?', key)).toBe(pairId("What's the window?", key));
    expect(pairId('How long is the refund window?', key)).not.toBe(pairId('How long is the refund window!', key));
  });

  test('the oracle reference is part of the identity', () => {
    const q = 'How long is the refund window?';
    const ids = [
      oracleKey({ chunkIds: ['c_1'] }),
      oracleKey({ chunkIds: ['c_1', 'c_2'] }),
      oracleKey({ article: 'billing/refund-policy.md', quote: 'within 14 days' }),
      oracleKey({ article: 'billing/refund-policy.md', quote: 'within 30 days' }),
      oracleKey({ article: 'billing/annual-billing.md', quote: 'within 14 days' }),
    ].map((key) => pairId(q, key));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('oracle keys ignore chunk id order, path spelling and quote formatting', () => {
    expect(oracleKey({ chunkIds: ['c_2', 'c_1'] })).toBe(oracleKey({ chunkIds: ['c_1', 'c_2'] }));
    expect(oracleKey({ article: './Billing\\Refund-Policy.md', quote: 'Within  **14** days' })).toBe(oracleKey({ article: 'billing/refund-policy.md', quote: 'within 14 days' }));
    expect(oracleKey({ chunkIds: ['c_1'], article: 'x' })).toBe('chunks:c_1');
  });
});

describe('mergePairs', () => {
  const base: QAPair = {
    id: 'q_1',
    question: 'Q?',
    answer: 'A',
    oracleChunkIds: ['c_1'],
    split: 'train',
    tags: [],
    origin: 'imported',
    feedback: 1,
    status: 'ok',
    createdAt: 10,
    updatedAt: 10,
  };

  test('adds new ids, updates changed ones (keeping createdAt, feedback and split), leaves equal ones alone', () => {
    const other: QAPair = { ...base, id: 'q_2', question: 'Other?' };
    const incoming: QAPair[] = [
      { ...base, split: 'unassigned', createdAt: 99, updatedAt: 99, feedback: undefined },
      { ...other, answer: 'New answer', createdAt: 99, updatedAt: 99 },
      { ...base, id: 'q_3', question: 'New?', createdAt: 99, updatedAt: 99 },
    ];
    const result = mergePairs([base, other], incoming);
    expect(result.added).toEqual(['q_3']);
    expect(result.updated).toEqual(['q_2']);
    expect(result.unchanged).toEqual(['q_1']);
    expect(result.pairs.map((p) => p.id)).toEqual(['q_1', 'q_2', 'q_3']);
    expect(result.pairs[0]).toBe(base);
    expect(result.pairs[1]).toMatchObject({ answer: 'New answer', createdAt: 10, updatedAt: 99 });
  });

  test('a later duplicate within the incoming pairs wins', () => {
    const result = mergePairs([], [base, { ...base, answer: 'Second' }]);
    expect(result.pairs).toHaveLength(1);
    expect(result.pairs[0].answer).toBe('Second');
  });
});

test('re-importing a file does not undo a fix the user made to an unresolved pair', () => {
  const base = { id: 'q_1', question: 'Q?', answer: 'A', tags: [], origin: 'imported' as const, split: 'unassigned' as const, createdAt: 1, updatedAt: 1 };
  const fixed = { ...base, oracleChunkIds: ['c_1'], status: 'ok' as const, updatedAt: 2 };
  const fromFile = { ...base, oracleChunkIds: [], status: 'unresolved' as const, problem: 'unknown chunk id c_x' };
  const merged = mergePairs([fixed], [fromFile]);
  expect(merged.unchanged).toEqual(['q_1']);
  expect(merged.pairs[0]).toBe(fixed);
});
