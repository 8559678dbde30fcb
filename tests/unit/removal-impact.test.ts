// The Remove confirmation counts what removing an article orphans: its questions, and the examples of the last
// dataset build made from them; and says they come back with the same file.
import { expect, test } from 'vitest';
import type { Corpus } from '../../src/lib/state/corpus.svelte';
import type { DatasetState } from '../../src/lib/state/dataset.svelte';
import { removalImpact, removalWarning } from '../../src/lib/state/removal-impact';

const pair = (id: string, oracle: string, status = 'ok') => ({ id, status, oracleChunkIds: [oracle] });

test('questions tied to the article, and the examples built from them, are counted', async () => {
  const corpus = {
    chunksOf: async (path: string) => (path === 'billing/refund-policy.md' ? [{ id: 'c1' }, { id: 'c2' }] : []),
    client: { call: async () => [pair('a', 'c1'), pair('b', 'c2'), pair('c', 'c9'), pair('d', 'c1', 'orphaned')] },
  } as unknown as Corpus;
  const dataset = { built: { examples: [{ pairId: 'a' }, { pairId: 'a' }, { pairId: 'b' }, { pairId: 'c' }] } } as unknown as DatasetState;
  const impact = await removalImpact(corpus, dataset, 'billing/refund-policy.md');
  expect(impact).toEqual({ questions: 2, examples: 3 });
  expect(removalWarning(impact)).toBe('2 questions tied to it will be orphaned (3 examples of the last dataset are built from them). Adding the same file back, at any path, ties them again.');
  expect(await removalImpact(corpus, { built: null } as unknown as DatasetState, 'other.md')).toEqual({ questions: 0, examples: 0 });
});

test('one question, no dataset: said in the singular; nothing orphaned: nothing said', () => {
  expect(removalWarning({ questions: 1, examples: 0 })).toBe('1 question tied to it will be orphaned. Adding the same file back, at any path, ties it again.');
  expect(removalWarning({ questions: 0, examples: 0 })).toBe('');
});
