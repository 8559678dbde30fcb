// The Dataset recipe kept across reloads: what was stored comes back, anything invalid falls back to defaults.
import { describe, expect, test } from 'vitest';
import { DEFAULT_TEMPLATE } from '../../src/lib/core/raft/prompt';
import { DEFAULT_RAFT_PARAMS } from '../../src/lib/core/raft/types';
import { parseRecipe } from '../../src/lib/state/dataset-recipe';

describe('parseRecipe', () => {
  test('a stored recipe comes back as it was', () => {
    const recipe = {
      params: { ...DEFAULT_RAFT_PARAMS, distractors: 6, pOracle: 0.6, strategy: 'mixed', hardCount: 3, retrievalMode: 'hybrid', seed: 42, contextBudget: 4096 },
      template: { system: '', document: '[{title}] {text}\n', user: 'Q: {question}\n{documents}' },
      format: 'gorilla',
    };
    expect(parseRecipe(JSON.stringify(recipe))).toEqual(recipe);
  });

  test('nothing stored, corrupt JSON, or a wrong type gives the defaults', () => {
    const defaults = { params: { ...DEFAULT_RAFT_PARAMS }, template: { ...DEFAULT_TEMPLATE }, format: 'chat' };
    expect(parseRecipe(null)).toEqual(defaults);
    expect(parseRecipe('{not json')).toEqual(defaults);
    expect(parseRecipe('[1,2]')).toEqual(defaults);
  });

  test('each out-of-range or invalid field falls back alone', () => {
    const parsed = parseRecipe(JSON.stringify({ params: { distractors: 3, pOracle: 1.5, strategy: 'best', hardCount: 9, seed: -1, contextBudget: 12 }, format: 'xml' }));
    expect(parsed.params).toMatchObject({ distractors: 3, pOracle: DEFAULT_RAFT_PARAMS.pOracle, strategy: 'hard', seed: DEFAULT_RAFT_PARAMS.seed, contextBudget: 2048 });
    // The hard count never exceeds k.
    expect(parsed.params.hardCount).toBeLessThanOrEqual(3);
    expect(parsed.format).toBe('chat');
  });
});
